#!/usr/bin/env python3
"""Generate a customer file for benchmarking `sekisho screen --input`.

    scripts/gen-batch.py [--rows 100000] [--listed 0.05] [--seed 4] [--out target/batch-100k.csv]

Rows mix names listed in the shared lists (OFAC SDN 2021 and the US Consolidated Screening
List, as written, persons sometimes turned to "Given FAMILY") with clean names made by
recombining real given and family names from different listed persons, and organisation
names made from words of different listed organisations. Headers are Japanese (取引先コード,
氏名・名称, 国名, 区分) so header detection is exercised. Deterministic for a seed. Needs
../shared/data (or $SEKISHO_SHARED_DATA); writes UTF-8 with BOM.
"""

import argparse
import csv
import os
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COUNTRIES = ["JP", "JP", "JP", "US", "CN", "KR", "DE", "GB", "SG", "TH", "VN", "IN", "FR", "BR", "AE"]
ORG_FORMS = ["Co., Ltd.", "Corporation", "Trading", "Holdings", "GmbH", "LLC", "株式会社", "Industries"]


def shared_lists() -> Path:
    base = os.environ.get("SEKISHO_SHARED_DATA")
    # The repository sits beside shared/; search upwards so that git worktrees find it too.
    found = [a / "shared" / "data" for a in ROOT.parents if (a / "shared" / "data").is_dir()]
    lists = Path(base) / "lists" if base else (found[0] if found else ROOT.parent / "shared" / "data") / "lists"
    if not lists.is_dir():
        raise SystemExit(f"no shared lists at {lists}")
    return lists


def listed(lists: Path):
    """(name, is_person) of every OFAC SDN 2021 and CSL entry."""
    out = []
    with open(lists / "ofac-sdn-2021" / "sdn.csv", encoding="latin-1", newline="") as f:
        for row in csv.reader(f):
            if len(row) > 2 and row[1].strip():
                out.append((row[1].strip(), row[2].strip() == "individual"))
    with open(lists / "us-csl-2026-07-31" / "consolidated.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["name"].strip():
                out.append((row["name"].strip(), row["type"] == "Individual"))
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--listed", type=float, default=0.05, help="share of rows with a listed name")
    p.add_argument("--seed", type=int, default=4)
    p.add_argument("--out", default=str(ROOT / "target" / "batch-100k.csv"))
    args = p.parse_args()
    rng = random.Random(args.seed)
    names = listed(shared_lists())
    people = [n for n, person in names if person and "," in n]
    orgs = [n for n, person in names if not person]
    families = sorted({n.split(",")[0].strip().title() for n in people})
    givens = sorted({n.split(",")[1].split()[0].title() for n in people if n.split(",")[1].split()})
    org_words = sorted({w for n in orgs for w in n.replace(",", " ").split() if len(w) > 3 and w.isalpha()})

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["取引先コード", "氏名・名称", "国名", "区分"])
        for i in range(args.rows):
            country = rng.choice(COUNTRIES)
            if rng.random() < args.listed:
                name, person = rng.choice(names)
                if person and "," in name and rng.random() < 0.5:
                    family, given = name.split(",", 1)
                    name = f"{given.strip()} {family.strip()}"
                country = ""
            elif rng.random() < 0.7:
                name, person = f"{rng.choice(givens)} {rng.choice(families)}", True
            else:
                words = rng.sample(org_words, 2)
                name, person = f"{words[0].title()} {words[1].title()} {rng.choice(ORG_FORMS)}", False
            w.writerow([f"C{i + 1:06d}", name, country, "個人" if person else "法人"])
    print(f"wrote {args.rows} rows to {out}")


if __name__ == "__main__":
    main()
