"""Entity extraction: precision and recall on the hand-labelled set, and speed.

Quality: ``tests/data/entities/wikinews-labelled.jsonl`` (20 Wikinews paragraphs, see the
README there). A predicted entity is right when its name (case and accents ignored) is the
labelled name or one of its aliases; "typed" also needs the kind to agree. Names listed as
optional (events, products) are left out of both counts. Speed: every article of
``../shared/data/demo/wikinews`` and ``globalvoices`` (title and full text), one thread.

Run: ``.venv/bin/python bench/entities_quality.py [--show]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from newsstand.core.entities import Mention, extract_entities
from newsstand.core.entity_lexicon import fold, lexicon

ROOT = Path(__file__).resolve().parent.parent
LABELLED = [
    ROOT / "tests/data/entities/wikinews-labelled.jsonl",
    ROOT / "tests/data/entities/wikinews-holdout.jsonl",
]
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
    for mention in mentions:
        key = _key(mention.name)
        hits = [i for i, n in enumerate(names) if key in n]
        if not hits and key in optional:
            continue
        typed.predicted += 1
        untyped.predicted += 1
        kind_hits = [i for i in hits if golds[i]["kind"] == mention.kind]
        if hits:
            untyped.right += 1
            found_untyped.update(hits)
        if kind_hits:
            typed.right += 1
            found_typed.update(kind_hits)
        else:
            wrong = "wrong kind" if hits else "not an entity"
            errors.append(f"  + {mention.kind} {mention.name!r} ({wrong})")
    for score, found in ((typed, found_typed), (untyped, found_untyped)):
        score.gold += len(golds)
        score.found += len(found)
    errors += [
        f"  - {g['kind']} {g['name']!r} missed" for i, g in enumerate(golds) if i not in found_typed
    ]
    return errors


def quality(path: Path, show: bool) -> tuple[Score, Score]:
    typed, untyped = Score(), Score()
    for line in path.read_text(encoding="utf-8").splitlines():
        sample = json.loads(line)
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
    parser.add_argument("--show", action="store_true", help="print every error")
    args = parser.parse_args()
    started = time.perf_counter()
    lexicon()
    print(f"lexicon loaded in {(time.perf_counter() - started) * 1000:.0f} ms")
    for path in LABELLED:
        typed, untyped = quality(path, args.show)
        print(path.name)
        for label, s in (("typed", typed), ("untyped", untyped)):
            print(
                f"  {label:8} P {s.precision:.3f} ({s.right}/{s.predicted})  "
                f"R {s.recall:.3f} ({s.found}/{s.gold})  F1 {s.f1:.3f}"
            )
    n, words, median_ms, max_ms = speed()
    print(
        f"speed: {n} articles (median {words:.0f} words): median {median_ms:.2f} ms, max {max_ms:.2f} ms"
    )


if __name__ == "__main__":
    main()
