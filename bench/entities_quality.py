"""Entity extraction: precision and recall on labelled news, and speed.

Sets (see ``tests/data/entities/README.md``):

- ``wikinews-labelled`` and ``wikinews-holdout``: Wikinews paragraphs and articles labelled
  by hand for this project;
- ``demo-headlines`` (304) and ``demo-headlines-holdout`` (101): headlines of the demo corpus
  (UCI News Aggregator) labelled by hand for this project, the second after the headline
  rules of decision 0020 were written;
- ``gum-news``: GUM's 24 Wikinews articles (``bench/entities_gum.py``), read from
  ``$GUM_NEWS`` (default ``/work/datasets/gum-news``; skipped with a message when missing).

A predicted entity is right when its name (case and accents ignored) is the labelled name or
one of its aliases; "typed" also needs the kind to agree. Names listed as optional (events,
products, works) are left out of both counts. Precision is given for each kind, with a 95%
bootstrap interval over the samples (1,000 resamples, seed 0). Speed: every article of
``../shared/data/demo/wikinews`` and ``globalvoices`` (title and full text), one thread.

Run: ``.venv/bin/python bench/entities_quality.py [--show SET]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from newsstand.core.entities import Mention, extract_entities
from newsstand.core.entity_lexicon import fold, lexicon

sys.path.insert(0, str(Path(__file__).resolve().parent))
from entities_gum import gum_samples

ROOT = Path(__file__).resolve().parent.parent
LABELLED = [
    ROOT / "tests/data/entities/wikinews-labelled.jsonl",
    ROOT / "tests/data/entities/wikinews-holdout.jsonl",
    ROOT / "tests/data/entities/demo-headlines.jsonl",
    ROOT / "tests/data/entities/demo-headlines-holdout.jsonl",
]
GUM_NEWS = Path(os.environ.get("GUM_NEWS", "/work/datasets/gum-news"))
KINDS = ("person", "org", "place")
CORPORA = [
    ROOT.parent / "shared/data/demo/wikinews/wikinews.jsonl",
    ROOT.parent / "shared/data/demo/wikinews/wikinews_semeval2015_task4.jsonl",
    ROOT.parent / "shared/data/demo/globalvoices/globalvoices.jsonl",
]


@dataclass
class Score:
    predicted: int = 0
    right: int = 0
    gold: int = 0
    found: int = 0
    # per sample and kind: (predicted, right), for per-kind precision and its spread
    by_kind: list[dict[str, tuple[int, int]]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _key(name: str) -> str:
    key = fold(name).strip()
    return key[4:] if key.startswith("the ") else key


def score_sample(sample: dict, mentions: list[Mention], typed: Score, untyped: Score) -> list[str]:
    """Adds one sample's counts; returns its errors, for --show."""
    golds = sample["entities"]
    optional = {_key(name) for name in sample["optional"]}
    names = [{_key(g["name"]), *(_key(a) for a in g["aliases"])} for g in golds]
    found_typed: set[int] = set()
    found_untyped: set[int] = set()
    errors: list[str] = []
    predicted: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for mention in mentions:
        key = _key(mention.name)
        hits = [i for i, n in enumerate(names) if key in n]
        if not hits and key in optional:
            continue
        typed.predicted += 1
        untyped.predicted += 1
        predicted[mention.kind] += 1
        kind_hits = [i for i in hits if golds[i]["kind"] == mention.kind]
        if hits:
            untyped.right += 1
            found_untyped.update(hits)
        if kind_hits:
            typed.right += 1
            right[mention.kind] += 1
            found_typed.update(kind_hits)
        else:
            wrong = "wrong kind" if hits else "not an entity"
            errors.append(f"  + {mention.kind} {mention.name!r} ({wrong})")
    for score, found in ((typed, found_typed), (untyped, found_untyped)):
        score.gold += len(golds)
        score.found += len(found)
    typed.by_kind.append({kind: (predicted[kind], right[kind]) for kind in KINDS})
    errors += [
        f"  - {g['kind']} {g['name']!r} missed" for i, g in enumerate(golds) if i not in found_typed
    ]
    return errors


def kind_precision(score: Score, kind: str, rounds: int = 1000) -> str:
    """Precision of one kind, with a 95% bootstrap interval over the samples."""
    cells = np.array([sample[kind] for sample in score.by_kind], dtype=float)
    if not len(cells) or not cells[:, 0].sum():
        return f"{kind} -"
    rng = np.random.default_rng(0)
    draws = []
    for _ in range(rounds):
        pick = cells[rng.integers(0, len(cells), len(cells))]
        if pick[:, 0].sum():
            draws.append(pick[:, 1].sum() / pick[:, 0].sum())
    low, high = np.percentile(draws, [2.5, 97.5])
    p = cells[:, 1].sum() / cells[:, 0].sum()
    return f"{kind} {p:.3f} [{low:.3f}, {high:.3f}] ({int(cells[:, 1].sum())}/{int(cells[:, 0].sum())})"


def samples_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def quality(samples: list[dict], show: bool) -> tuple[Score, Score]:
    typed, untyped = Score(), Score()
    for sample in samples:
        mentions = extract_entities(sample["title"], sample["text"])
        errors = score_sample(sample, mentions, typed, untyped)
        if show and errors:
            print(sample["id"], sample["title"])
            print("\n".join(errors))
    return typed, untyped


def speed() -> tuple[int, float, float, float]:
    articles = [
        json.loads(line)
        for path in CORPORA
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    lexicon()
    timings = []
    for article in articles:
        started = time.process_time()  # CPU time: steadier than wall time on a busy machine
        extract_entities(article["title"], article["text"])
        timings.append(time.process_time() - started)
    words = statistics.median(len(a["text"].split()) for a in articles)
    return len(articles), words, statistics.median(timings) * 1000, max(timings) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--show", default="", help="print every error of this set")
    args = parser.parse_args()
    started = time.perf_counter()
    lexicon()
    print(f"lexicon loaded in {(time.perf_counter() - started) * 1000:.0f} ms")
    sets = {path.stem: samples_of(path) for path in LABELLED}
    if (GUM_NEWS / "GUM_news_iodine.conllu").exists():
        sets["gum-news"] = gum_samples(GUM_NEWS)
    else:
        print(f"GUM news not found under {GUM_NEWS} (set GUM_NEWS): skipped")
    for name, samples in sets.items():
        typed, untyped = quality(samples, args.show == name)
        print(f"{name} ({len(samples)} samples)")
        for label, s in (("typed", typed), ("untyped", untyped)):
            print(
                f"  {label:8} P {s.precision:.3f} ({s.right}/{s.predicted})  "
                f"R {s.recall:.3f} ({s.found}/{s.gold})  F1 {s.f1:.3f}"
            )
        print("  precision by kind: " + "; ".join(kind_precision(typed, k) for k in KINDS))
    n, words, median_ms, max_ms = speed()
    print(
        f"speed: {n} articles (median {words:.0f} words): median {median_ms:.2f} ms, max {max_ms:.2f} ms"
    )


if __name__ == "__main__":
    main()
