"""Story clustering quality on labelled real data, through `newsstand cluster`.

Every set is fed to the real command (``newsstand cluster``, the pipeline's core clusterer)
as JSON lines in a shuffled order (fixed seeds: the files are grouped by story, and an
online clusterer must not see that), and the story it writes for each line is scored
against the gold labels:

- pairwise (co-occurrence) precision, recall, F1 and BCubed precision, recall, F1, as the
  anchors report them; for GoogleNews also accuracy (Hungarian matching of stories to gold
  clusters, scipy) and NMI (scikit-learn);
- sets: ../shared/data/demo/uci-news-aggregator (6,366 headlines with publisher; the
  timestamps are crawl order grouped by story, so they are NOT given), clustering/googlenews
  T, S and TS (stemmed text without stop words; no times), clustering/newswcl50 (50 full
  articles on 10 events: title-less text, of which the encoder reads the first 128 tokens).

Nothing tells the clusterer the number of stories. One parameter set (the defaults of
``StoryParams``) serves every set.

Run: ``.venv/bin/python bench/clustering_quality.py [--sets uci,gn-TS,gn-T,gn-S,newswcl50]
[--seeds 0,1,2] [-- extra newsstand cluster options]``
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import normalized_mutual_info_score

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
NEWSSTAND = [sys.executable, "-m", "newsstand.cli", "cluster"]

ANCHORS = {
    "uci": "TF-IDF average-link told the count: pairwise F1 0.646, BCubed F1 0.699",
    "gn-TS": "SCCL acc 0.898 (NMI 0.949, recalled); TF-IDF average-link acc 0.830 NMI 0.936",
    "gn-T": "SCCL acc 0.758",
    "gn-S": "SCCL acc 0.831",
    "newswcl50": "none published",
}


def load(name: str) -> list[tuple[dict[str, object], object]]:
    """(input record, gold label) of every item of a set, in file order."""
    if name == "uci":
        path = DATA / "demo/uci-news-aggregator/uci_news_prefix_6366.tsv"
        with path.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
        return [
            ({"id": int(r["ID"]), "title": r["TITLE"], "publisher": r["PUBLISHER"]}, r["STORY"])
            for r in rows
        ]
    if name.startswith("gn-"):
        path = DATA / f"clustering/googlenews/GoogleNews-{name[3:]}.jsonl"
        docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        return [({"id": i, "title": d["text"]}, d["cluster"]) for i, d in enumerate(docs)]
    if name == "newswcl50":
        path = DATA / "clustering/newswcl50/newswcl50_docs.jsonl"
        docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        return [
            (
                {"id": d["doc_id"], "title": "", "text": d["text"], "publisher": d["outlet_code"]},
                d["event_id"],
            )
            for d in docs
        ]
    raise SystemExit(f"unknown set {name!r}")


def cluster(
    records: list[dict[str, object]], extra: list[str]
) -> tuple[dict[object, object], float]:
    """Story of each id from `newsstand cluster`, and the command's CPU seconds."""
    lines = "".join(json.dumps(r) + "\n" for r in records)
    started = time.perf_counter()
    proc = subprocess.run(
        [*NEWSSTAND, *extra], input=lines, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(proc.stderr)
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    return {o["id"]: o["story"] for o in out}, wall


def contingency(gold: list[object], pred: list[object]) -> np.ndarray:
    _, g = np.unique(np.asarray([str(x) for x in gold]), return_inverse=True)
    _, p = np.unique(np.asarray([str(x) for x in pred]), return_inverse=True)
    table = np.zeros((g.max() + 1, p.max() + 1), dtype=np.int64)
    np.add.at(table, (g, p), 1)
    return table


def scores(gold: list[object], pred: list[object]) -> dict[str, float]:
    """Pairwise and BCubed P/R/F1, Hungarian accuracy, NMI, number of stories."""
    table = contingency(gold, pred)
    n = table.sum()

    def pairs(x: np.ndarray) -> int:
        return int((x * (x - 1) // 2).sum())

    tp, predicted, true = pairs(table), pairs(table.sum(0)), pairs(table.sum(1))
    p = tp / predicted if predicted else 1.0
    r = tp / true if true else 1.0
    bp = float(((table**2).sum(0) / table.sum(0)).sum() / n)
    br = float(((table**2).sum(1) / table.sum(1)).sum() / n)
    rows, cols = linear_sum_assignment(-table)
    return {
        "P": p,
        "R": r,
        "F1": 2 * p * r / (p + r) if p + r else 0.0,
        "bP": bp,
        "bR": br,
        "bF1": 2 * bp * br / (bp + br),
        "acc": float(table[rows, cols].sum() / n),
        "NMI": float(normalized_mutual_info_score([str(g) for g in gold], [str(x) for x in pred])),
        "stories": float(table.shape[1]),
    }


def run_set(name: str, seed: int, extra: list[str]) -> dict[str, float]:
    items = load(name)
    random.Random(seed).shuffle(items)
    story, wall = cluster([r for r, _ in items], extra)
    # a line the command rejects (an empty text in GoogleNews-T) is a story of its own
    pred = [story.get(r["id"], f"rejected-{r['id']}") for r, _ in items]
    result = scores([g for _, g in items], pred)
    result["seconds"] = wall
    return result


COLUMNS = ("P", "R", "F1", "bP", "bR", "bF1", "acc", "NMI", "stories", "seconds")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="uci,gn-TS,gn-T,gn-S,newswcl50")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("extra", nargs="*", help="options passed to newsstand cluster")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    print("set        seed " + " ".join(f"{c:>7}" for c in COLUMNS), flush=True)
    for name in args.sets.split(","):
        runs = []
        for seed in seeds:
            result = run_set(name, seed, args.extra)
            runs.append(result)
            print(
                f"{name:<10} {seed:>4} " + " ".join(_cell(result[c]) for c in COLUMNS), flush=True
            )
        mean = {c: statistics.mean(r[c] for r in runs) for c in COLUMNS}
        print(f"{name:<10} mean " + " ".join(_cell(mean[c]) for c in COLUMNS))
        print(f"{'':<10} anchor: {ANCHORS[name]}", flush=True)


def _cell(value: float) -> str:
    return f"{value:7.3f}" if value < 10 else f"{value:7.0f}"


if __name__ == "__main__":
    main()
