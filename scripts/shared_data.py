"""Where the benchmark scripts find ../shared/data (imported by them, not run)."""
import os
import pathlib
import sys


def shared_data(part):
    """$SEKISHO_SHARED_DATA, else the nearest shared/data above the current folder that has
    `part` (the checkout sits beside shared/; worktrees sit deeper). Exits when there is none."""
    if os.environ.get("SEKISHO_SHARED_DATA"):
        return pathlib.Path(os.environ["SEKISHO_SHARED_DATA"])
    for parent in pathlib.Path.cwd().parents:
        if (parent / "shared/data" / part).is_dir():
            return parent / "shared/data"
    sys.exit("no shared data found")
