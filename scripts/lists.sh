# Sourced by the demo and the benchmark scripts: which shared lists they import, and where.

# The six current lists (one OFAC vintage, the 2021 one): 38,671 entities.
CURRENT_LISTS=(ofac-sdn-2021 un-sc-2026-02-27 us-csl-2026-07-31 us-bis-dpl
               jp-meti-end-user-list-2025-09-29 jp-mof-asset-freeze-2026-03-05)

# The shared lists folder: $SEKISHO_SHARED_DATA/lists, else shared/data/lists in the nearest
# folder above the current one (the checkout sits beside shared/; worktrees sit deeper).
# Prints nothing when there is none.
shared_lists_dir() {
  if [ -n "${SEKISHO_SHARED_DATA:-}" ]; then
    echo "$SEKISHO_SHARED_DATA/lists"
  else
    python3 -c 'import pathlib; p=[a/"shared/data/lists" for a in pathlib.Path.cwd().parents if (a/"shared/data/lists").is_dir()]; print(p[0] if p else "")'
  fi
}

# For the HTTP load scripts: builds the server and the load generator (with `--example`,
# cargo builds only the example, so two builds), imports the current lists into a fresh
# SEKISHO_HOME and makes one screener key. Sets `bin` ($SEKISHO_BIN or the build), `home`
# (the caller removes it) and `key`.
load_test_store() {
  cargo build --release --quiet -p sekisho
  cargo build --release --quiet -p sekisho-server --example loadgen
  bin=${SEKISHO_BIN:-target/release/sekisho}
  local lists
  lists=$(shared_lists_dir)
  [ -d "$lists" ] || { echo "no shared lists found" >&2; exit 1; }
  home=$(mktemp -d)
  export SEKISHO_HOME=$home
  mapfile -t paths < <(current_list_paths "$lists")
  "$bin" lists import "${paths[@]}" >/dev/null
  key=$("$bin" keys create loadtest --role screener)
}

# The paths of the current lists in folder $1.
current_list_paths() {
  local f
  for f in "${CURRENT_LISTS[@]}"; do echo "$1/$f"; done
}
