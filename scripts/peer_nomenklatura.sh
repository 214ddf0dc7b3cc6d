#!/usr/bin/env bash
# Scores sekisho's labelled pairs with nomenklatura's logic-v1 and logic-v2 and with
# sekisho's `compare`, in the same run, and prints precision / recall / F1 and pairs/s.
#
#   scripts/peer_nomenklatura.sh [--split dev|heldout|all]
#
# Installs nomenklatura from PyPI into target/peer-venv on first use (pinned below),
# builds the release eval binary, exports the pairs to target/eval-pairs.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
SPLIT=all
if [[ "${1:-}" == "--split" ]]; then SPLIT="$2"; fi
VENV=target/peer-venv
NOMENKLATURA_VERSION="${NOMENKLATURA_VERSION:-4.17.4}"
if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/python" -c "import nomenklatura" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet "nomenklatura==$NOMENKLATURA_VERSION"
fi
cargo build --release --quiet -p sekisho-eval
target/release/sekisho-eval export-pairs target/eval-pairs.jsonl --split "$SPLIT"
# One core for every scorer, so that pairs/s compare like for like.
exec taskset -c 0 "$VENV/bin/python" scripts/peer_nomenklatura.py target/eval-pairs.jsonl \
    --sekisho target/release/sekisho-eval
