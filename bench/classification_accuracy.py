"""Section classification: accuracy on AG News and BBC News, with the training data named.

Figures (each line of the report says what the model was trained on):

1. The default model shipped in the package (trained offline on openly licensed data only:
   our seed lexicon, UCI News Aggregator, notnews/top_news, Wikinews, Global Voices,
   WordNet; see src/newsstand/data/models/MODEL_CARD.md), run through `newsstand
   classify`'s code (``classify_lines``) on
   - AG News test (7,600 titles + descriptions; classes mapped: World -> world or politics,
     Sports -> sport, Business -> business, Sci/Tech -> technology or science), once with
     all ten sections allowed and once with the taxonomy cut to those six;
   - BBC News (2,225 articles; business, entertainment, politics, sport, tech ->
     technology), once with all ten sections and once with those five.
2. The weak-supervision path: a model trained, with the same code as an operator's
   (``SectionClassifier.train``), on labelled articles of the same kind as those it is tested
   on. No training split of either set is available here, so it is stratified k-fold
   cross-validation on each set itself (train on k-1 folds, test on the held-out fold,
   mean accuracy over the folds). This is what an operator's model reaches once their feeds
   declare the sections of enough articles. A learning curve shows it with fewer labelled
   articles per section.

Licences: AG News (non-commercial research) and BBC News (BBC copyright) are read from
../shared/data for measuring only; no shipped model is trained on them.

Run: ``.venv/bin/python bench/classification_accuracy.py [--folds 10] [--skip-cv]``
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import statistics
import time
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from sklearn.model_selection import StratifiedKFold

from newsstand.cli.classify import classify_lines
from newsstand.core.classification.model import DEFAULT_MODEL
from newsstand.core.classify import SectionClassifier, TrainingOptions
from newsstand.core.language import detect_language

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "classification"
AG_NEWS = DATA / "ag-news-test" / "test.csv"
BBC_NEWS = DATA / "bbc-news" / "bbc_news.jsonl"
MODEL_FILE = ROOT / "src" / "newsstand" / "data" / "models" / DEFAULT_MODEL

Example = tuple[str, str, str]  # title, text, gold label (our slug)

AG_CLASSES = {1: "world", 2: "sport", 3: "business", 4: "technology"}
# Our sections counted right for each AG class (AG folds politics into World, science into
# Sci/Tech).
AG_ACCEPT = {
    "world": {"world", "politics"},
    "sport": {"sport"},
    "business": {"business"},
    "technology": {"technology", "science"},
}
BBC_CLASSES = {
    "business": "business",
    "entertainment": "entertainment",
    "politics": "politics",
    "sport": "sport",
    "tech": "technology",
}
SHIPPED = (
    "the shipped default model (seed lexicon, UCI News Aggregator, notnews/top_news, "
    "Wikinews, Global Voices, WordNet 3.0; no AG or BBC text)"
)


def ag_news() -> list[Example]:
    with AG_NEWS.open(encoding="utf-8", newline="") as handle:
        return [
            (title, description.replace("\\", " "), AG_CLASSES[int(label)])
            for label, title, description in csv.reader(handle)
        ]


def bbc_news() -> list[Example]:
    with BBC_NEWS.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    return [(r["title"], r["text"], BBC_CLASSES[r["label"]]) for r in rows]


# --- 1. the shipped model through classify_lines ---------------------------------------


def classify_through_cli(
    examples: Sequence[Example], sections: Collection[str] | None
) -> tuple[list[str], float]:
    """Sections from ``classify_lines`` (as `newsstand classify` runs), and lines per second."""
    lines = "".join(
        json.dumps({"id": i, "title": title, "text": text}) + "\n"
        for i, (title, text, _) in enumerate(examples)
    )
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    code = classify_lines(io.StringIO(lines), out, stderr=err, sections=sections)
    elapsed = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"classify_lines failed: {err.getvalue()[:500]}")
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    found = {r["id"]: r["section"] for r in records}
    return [found[i] for i in range(len(examples))], len(examples) / elapsed


def accuracy(
    examples: Sequence[Example], predicted: Sequence[str], accept: Callable[[str, str], bool]
) -> float:
    right = sum(accept(gold, p) for (_, _, gold), p in zip(examples, predicted, strict=True))
    return right / len(examples)


def shipped_figures(ag: Sequence[Example], bbc: Sequence[Example]) -> list[str]:
    def ag_ok(gold: str, p: str) -> bool:
        return p in AG_ACCEPT[gold]

    def same(gold: str, p: str) -> bool:
        return gold == p

    ag_sections = set().union(*AG_ACCEPT.values())
    rows = []
    for name, data, ok, cut in (
        ("AG News test", ag, ag_ok, ag_sections),
        ("BBC News", bbc, same, set(BBC_CLASSES.values())),
    ):
        for label, sections in (("all 10 sections", None), (f"{len(cut)} sections", cut)):
            predicted, rate = classify_through_cli(data, sections)
            score = accuracy(data, predicted, ok)
            rows.append(f"| {name} | {SHIPPED} | {label} | {score:.1%} | {rate:,.0f} lines/s |")
    return rows


# --- 2. weak supervision: cross-validation ----------------------------------------------


def _fold(
    args: tuple[Sequence[Example], list[int], list[int], TrainingOptions, int | None],
) -> float:
    data, train, test, options, per_section = args
    if per_section is not None:
        taken: dict[str, int] = {}
        kept = []
        for i in train:
            label = data[i][2]
            if taken.get(label, 0) < per_section:
                taken[label] = taken.get(label, 0) + 1
                kept.append(i)
        train = kept
    model = SectionClassifier.train((data[i] for i in train), options=options)
    predicted = model.predict_many((data[i][0], data[i][1]) for i in test)
    return sum(p == data[i][2] for (p, _), i in zip(predicted, test, strict=True)) / len(test)


def cross_validate(
    data: Sequence[Example], folds: int, per_section: int | None = None
) -> tuple[float, float]:
    """Mean and standard deviation of the held-out accuracy over stratified folds."""
    labels = [label for _, _, label in data]
    splitter = StratifiedKFold(folds, shuffle=True, random_state=0)
    jobs = [
        (data, list(train), list(test), TrainingOptions(), per_section)
        for train, test in splitter.split(np.zeros(len(labels)), labels)
    ]
    with ProcessPoolExecutor(max(1, min(4, os.cpu_count() or 1))) as pool:
        scores = list(pool.map(_fold, jobs))
    return statistics.mean(scores), statistics.pstdev(scores)


def cv_figures(ag: Sequence[Example], bbc: Sequence[Example], folds: int) -> list[str]:
    rows = []
    for name, data in (("AG News test", ag), ("BBC News", bbc)):
        for per_section in (None, 500, 100):
            if per_section is not None and name == "BBC News" and per_section >= 386:
                continue  # BBC's smallest class has 386 articles: no smaller curve point
            started = time.perf_counter()
            mean, spread = cross_validate(data, folds, per_section)
            seconds = time.perf_counter() - started
            amount = "all of" if per_section is None else f"at most {per_section} per section of"
            training = (
                f"{folds}-fold cross-validation: {amount} the other {folds - 1} folds of "
                f"{name} (its own labels)"
            )
            rows.append(
                f"| {name} | {training} | {len({r[2] for r in data})} sections | "
                f"{mean:.1%} ± {spread:.1%} | {seconds:.0f} s for {folds} folds |"
            )
    return rows


# --- speed ------------------------------------------------------------------------------


def speed(ag: Sequence[Example], bbc: Sequence[Example]) -> list[str]:
    started = time.perf_counter()
    model = SectionClassifier.from_bytes(MODEL_FILE.read_bytes())
    load = time.perf_counter() - started
    rows = [
        f"model file {MODEL_FILE.name}: {MODEL_FILE.stat().st_size / 1e6:.2f} MB, "
        f"{len(model.space.terms):,} terms x {len(model.sections)} sections, "
        f"loaded in {load * 1000:.0f} ms"
    ]
    for name, data in (("AG News (short)", ag), ("BBC News (full articles)", bbc)):
        sample = data[:2000]
        started = time.perf_counter()
        for title, text, _ in sample:
            model.predict(title, text)
        one = len(sample) / (time.perf_counter() - started)
        started = time.perf_counter()
        model.predict_many((title, text) for title, text, _ in sample)
        many = len(sample) / (time.perf_counter() - started)
        detect_language("warm up the language model once")
        started = time.perf_counter()
        for title, text, _ in sample:
            detect_language(f"{title}\n{text}")
        languages = len(sample) / (time.perf_counter() - started)
        rows.append(
            f"{name}: predict {one:,.0f}/s one at a time, {many:,.0f}/s in a batch; "
            f"detect_language {languages:,.0f}/s (one thread)"
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--skip-cv", action="store_true", help="only the shipped model")
    args = parser.parse_args()
    ag, bbc = ag_news(), bbc_news()
    print("| test set | trained on | sections allowed | accuracy | speed |")
    print("|---|---|---|---|---|")
    for row in shipped_figures(ag, bbc):
        print(row, flush=True)
    if not args.skip_cv:
        for row in cv_figures(ag, bbc, args.folds):
            print(row, flush=True)
    print()
    for line in speed(ag, bbc):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
