#!/usr/bin/env python3
"""Score labelled name pairs with nomenklatura (logic-v1, logic-v2) and with sekisho.

Input: JSON lines from `sekisho-eval export-pairs`, each
{"id", "schema"?, "a", "b", "label", "set", "split"}.

Each pair becomes two FollowTheMoney entities of the pair's schema (LegalEntity when none)
with one `name` each, compared with the algorithm's `compare` and its default config; a
pair matches at score >= 0.7 (the threshold yente uses with these algorithms). sekisho's
side runs `sekisho-eval score-pairs` (its `compare`, match at its operating threshold) on
the same file in the same run. Timings cover only the comparisons, on one core.

Usage: scripts/peer_nomenklatura.sh (sets up the venv), or
    python peer_nomenklatura.py PAIRS.jsonl --sekisho target/release/sekisho-eval [--json]
"""
import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from importlib.metadata import version

THRESHOLD = 0.7


def metrics(rows):
    """rows: (label, predicted) -> precision, recall, F1, counts."""
    tp = sum(1 for l, p in rows if l and p)
    fp = sum(1 for l, p in rows if not l and p)
    fn = sum(1 for l, p in rows if l and not p)
    prec = tp / (tp + fp) if tp + fp else float("nan")
    rec = tp / (tp + fn) if tp + fn else float("nan")
    f1 = 2 * prec * rec / (prec + rec) if tp else 0.0
    return {"pairs": len(rows), "tp": tp, "fp": fp, "fn": fn, "precision": prec, "recall": rec, "f1": f1}


def score_nomenklatura(pairs, algorithm):
    from followthemoney import model

    config = algorithm.default_config()
    entities = []
    for p in pairs:
        schema = p.get("schema") or "LegalEntity"
        a = model.make_entity(schema)
        a.id = p["id"] + "-a"
        a.add("name", p["a"])
        b = model.make_entity(schema)
        b.id = p["id"] + "-b"
        b.add("name", p["b"])
        entities.append((a, b))
    for a, b in entities[:50]:  # warm caches (name tables, transliterators)
        algorithm.compare(a, b, config)
    start = time.perf_counter()
    scores = [algorithm.compare(a, b, config).score for a, b in entities]
    seconds = time.perf_counter() - start
    return scores, seconds


def score_sekisho(path, binary):
    with tempfile.NamedTemporaryFile(suffix=".jsonl") as out:
        res = subprocess.run([binary, "score-pairs", path, out.name], capture_output=True, text=True, check=True)
        # "N pairs in S s: R pairs/s (one thread)"
        seconds = float(res.stderr.split(" in ")[1].split(" s")[0])
        scored = {}
        with open(out.name) as f:
            for line in f:
                r = json.loads(line)
                scored[r["id"]] = (r["score"], r["match"])
    return scored, seconds


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pairs")
    ap.add_argument("--sekisho", default="target/release/sekisho-eval")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with open(args.pairs) as f:
        pairs = [json.loads(line) for line in f if line.strip()]

    from nomenklatura.matching import LogicV1, LogicV2

    results = {}
    seki, seki_s = score_sekisho(args.pairs, args.sekisho)
    results["sekisho"] = ([seki[p["id"]][1] for p in pairs], seki_s)
    for alg in (LogicV1, LogicV2):
        scores, seconds = score_nomenklatura(pairs, alg)
        results[alg.NAME] = ([s >= THRESHOLD for s in scores], seconds)

    report = {
        "versions": {
            "nomenklatura": version("nomenklatura"),
            "followthemoney": version("followthemoney"),
            "rigour": version("rigour"),
            "python": sys.version.split()[0],
        },
        "threshold_nomenklatura": THRESHOLD,
        "pairs": len(pairs),
        "scorers": {},
    }
    for name, (pred, seconds) in results.items():
        by = defaultdict(list)
        for p, m in zip(pairs, pred):
            by[(p["split"], p["set"])].append((p["label"], m))
            by[(p["split"], "all")].append((p["label"], m))
            by[("all", "all")].append((p["label"], m))
        report["scorers"][name] = {
            "pairs_per_second": len(pairs) / seconds,
            "by": {f"{k[0]}/{k[1]}": metrics(v) for k, v in sorted(by.items())},
        }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    v = report["versions"]
    print(f"nomenklatura {v['nomenklatura']}, followthemoney {v['followthemoney']}, rigour {v['rigour']}, "
          f"Python {v['python']}; {len(pairs)} pairs; nomenklatura match at >= {THRESHOLD}, sekisho at its threshold")
    keys = sorted(next(iter(report["scorers"].values()))["by"].keys())
    names = list(report["scorers"])
    print(f"\n{'split/set':<34}" + "".join(f"{n:>26}" for n in names))
    print(f"{'':<34}" + "".join(f"{'P / R / F1 %':>26}" for _ in names))
    for k in keys:
        cells = []
        for n in names:
            m = report["scorers"][n]["by"][k]
            if m["tp"] + m["fn"] == 0:  # negatives only: how many were called a match
                cells.append(f"{m['fp']} of {m['pairs']} matched")
                continue
            pr = "  –  " if m["precision"] != m["precision"] else f"{100*m['precision']:5.1f}"
            rc = "  –  " if m["recall"] != m["recall"] else f"{100*m['recall']:5.1f}"
            cells.append(f"{pr} / {rc} / {100*m['f1']:5.1f}")
        print(f"{k:<34}" + "".join(f"{c:>26}" for c in cells))
    print(f"\n{'pairs/s (one core)':<34}" + "".join(f"{report['scorers'][n]['pairs_per_second']:>26.0f}" for n in names))


if __name__ == "__main__":
    main()
