#!/usr/bin/env bash
# The main job in one command: build sekisho, import the shared restricted-party lists
# (only what changed since the last run), and screen a name against them.
#
#   scripts/demo.sh "Kim Jong Un" [screen options, e.g. --schema Person --json]
#
# Data home: $SEKISHO_HOME if set, else target/demo-home. Lists: $SEKISHO_SHARED_DATA/lists,
# else ../shared/data/lists (scripts/lists.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: scripts/demo.sh NAME [screen options]" >&2; exit 2; }
source scripts/lists.sh
lists=$(shared_lists_dir)
export SEKISHO_HOME=${SEKISHO_HOME:-$PWD/target/demo-home}
cargo build --release --quiet -p sekisho
bin=target/release/sekisho
if [ -n "$lists" ] && [ -d "$lists" ]; then
  mapfile -t paths < <(current_list_paths "$lists")
  "$bin" lists import "${paths[@]}" >&2
else
  echo "note: no shared lists found (\$SEKISHO_SHARED_DATA/lists or ../shared/data/lists); screening against what $SEKISHO_HOME already holds" >&2
fi
exec "$bin" screen "$@"
