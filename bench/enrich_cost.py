"""CPU time of enriching one article (language, section, entities), against a baseline tree.

Times the pure work enrichment does for each article, without the database: language
(``detect_language`` with the feed's language as a hint), section (the classifier's
probabilities and the decision of ``core.classify``; a baseline without them predicts, as
enrichment did for an article of a feed that declared no section) and entities. Inputs: the
demo corpus's 6,366 headlines and the 417 Wikinews and Global Voices articles of
``../shared/data/demo``. Each round runs the code of this tree and of the baseline tree in
turn, in fresh processes, alternating which goes first; the machine is shared, so the paired
ratio is the figure to read.

Run: ``nice -n 10 .venv/bin/python bench/enrich_cost.py --baseline /path/to/other/checkout [--rounds 5]``
(a baseline checkout: ``git worktree add /tmp/base <commit>``)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORKER = r"""
import json, sys, time
from pathlib import Path
from newsstand.core import classify
from newsstand.core.entities import extract_entities
from newsstand.core.language import detect_language
from newsstand.demo.corpus import load_corpus

shared = Path(sys.argv[1])
items = [(i.title, "") for i in load_corpus().items]
for name in ("wikinews/wikinews.jsonl", "wikinews/wikinews_semeval2015_task4.jsonl",
             "globalvoices/globalvoices.jsonl"):
    for line in (shared / "demo" / name).read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        items.append((record["title"], record["text"]))
model = classify.SectionClassifier.load_default()
known = list(model.sections)
decide = getattr(classify, "decide_section", None)
detect_language("warm up the language model", hint="en")
extract_entities("Warm up", "The lexicon loads once.")

def section(title, text):
    if decide is None:
        return model.predict(title, text, sections=known)
    probabilities = classify.section_probabilities(model, title, text, known)
    return decide(probabilities, feeds=[classify.FeedVotes("technology")])

timings = {}
for label, part in (("headlines", items[:6366]), ("articles", items[6366:])):
    started = time.process_time()
    for title, text in part:
        language = detect_language(f"{title}\n{text}", hint="en")
        section(title, text)
        extract_entities(title, text, language=language)
    timings[label] = (time.process_time() - started) / len(part) * 1000
print(json.dumps(timings))
"""


def run(src: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(src / "src")}
    out = subprocess.run(
        [sys.executable, "-c", WORKER, str(ROOT.parent / "shared" / "data")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--baseline", type=Path, required=True, help="another checkout")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    ours: list[dict[str, float]] = []
    theirs: list[dict[str, float]] = []
    for n in range(args.rounds):
        order = [(ROOT, ours), (args.baseline, theirs)]
        for src, into in order if n % 2 == 0 else reversed(order):
            into.append(run(src))
        print(f"round {n + 1}: this tree {ours[-1]}, baseline {theirs[-1]} (ms CPU per item)")
    for label in ("headlines", "articles"):
        ratios = [a[label] / b[label] for a, b in zip(ours, theirs, strict=True)]
        print(
            f"{label}: this tree {statistics.median(a[label] for a in ours):.3f} ms, "
            f"baseline {statistics.median(b[label] for b in theirs):.3f} ms CPU per item; "
            f"ratio median {statistics.median(ratios):.2f} (range {min(ratios):.2f}-{max(ratios):.2f})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
