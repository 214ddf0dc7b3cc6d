#!/usr/bin/env bash
# The main job in one command: build sekisho, import the shared restricted-party lists
# (only what changed since the last run), and screen a name against them.
#
#   scripts/demo.sh "Kim Jong Un" [screen options, e.g. --schema Person --json]
#
# Data home: $SEKISHO_HOME if set, else target/demo-home. Lists: $SEKISHO_SHARED_DATA/lists,
# else ../shared/data/lists.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: scripts/demo.sh NAME [screen options]" >&2; exit 2; }
lists=${SEKISHO_SHARED_DATA:-../shared/data}/lists
export SEKISHO_HOME=${SEKISHO_HOME:-$PWD/target/demo-home}
cargo build --release --quiet -p sekisho
bin=target/release/sekisho
if [ -d "$lists" ]; then
  "$bin" lists import "$lists"/ofac-sdn-2021 "$lists"/un-sc-2026-02-27 "$lists"/us-csl-2026-07-31 \
    "$lists"/us-bis-dpl "$lists"/jp-meti-end-user-list-2025-09-29 "$lists"/jp-mof-asset-freeze-2026-03-05 >&2
else
  echo "note: no shared lists at $lists; screening against what $SEKISHO_HOME already holds" >&2
fi
exec "$bin" screen "$@"
