"""Stories the demo's own pipeline made, against the UCI corpus's story labels.

Reads a demo database (``newsstand demo`` writes ``<data dir>/newsstand.sqlite3``) after
the demo ran long enough for every headline to arrive and be assigned (a headline a
publisher sent twice is stored once), and prints: how
many stories and multi-publisher stories there are, how many articles were folded as
near-copies, and pairwise and BCubed precision, recall and F1 of the UCI headlines'
stories against the corpus's labels. This is the real path end to end (feeds fetched,
parsed, stored, enriched, assigned in batches by the background task, in arrival order),
unlike bench/clustering_quality.py, which runs the clusterer alone on shuffled input.

Run: ``.venv/bin/python bench/stories_demo_quality.py ./newsstand-demo-data/newsstand.sqlite3``
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections import Counter, defaultdict
from contextlib import closing

from newsstand.demo.corpus import load_corpus

GUID_PREFIX = "urn:newsstand-demo:uci:"


def pairs(groups: dict[object, list[int]]) -> int:
    return sum(len(g) * (len(g) - 1) // 2 for g in groups.values())


def scores(predicted: dict[int, object], gold: dict[int, str]) -> dict[str, float]:
    items = [i for i in predicted if i in gold]
    by_pred: defaultdict[object, list[int]] = defaultdict(list)
    by_gold: defaultdict[str, list[int]] = defaultdict(list)
    both: Counter[tuple[object, str]] = Counter()
    for i in items:
        by_pred[predicted[i]].append(i)
        by_gold[gold[i]].append(i)
        both[(predicted[i], gold[i])] += 1
    together = sum(n * (n - 1) // 2 for n in both.values())
    precision = together / max(1, pairs(by_pred))
    recall = together / max(1, pairs(by_gold))
    b_precision = sum(both[(predicted[i], gold[i])] / len(by_pred[predicted[i]]) for i in items)
    b_recall = sum(both[(predicted[i], gold[i])] / len(by_gold[gold[i]]) for i in items)
    b_precision, b_recall = b_precision / len(items), b_recall / len(items)
    return {
        "items": len(items),
        "pairwise_p": precision,
        "pairwise_r": recall,
        "pairwise_f1": 2 * precision * recall / max(1e-12, precision + recall),
        "bcubed_p": b_precision,
        "bcubed_r": b_recall,
        "bcubed_f1": 2 * b_precision * b_recall / max(1e-12, b_precision + b_recall),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database")
    args = parser.parse_args()
    gold = {item.id: item.story for item in load_corpus().items}
    with closing(sqlite3.connect(f"file:{args.database}?mode=ro", uri=True)) as db:
        rows = db.execute(
            "SELECT a.guid, l.story_id FROM stories_storyarticle l"
            " JOIN articles_article a ON a.id = l.article_id"
        ).fetchall()
        stories, multi, biggest = db.execute(
            "SELECT count(*), sum(publisher_count > 1), max(publisher_count) FROM stories_story"
        ).fetchone()
        copies = db.execute(
            "SELECT count(*) FROM stories_storyarticle WHERE duplicate_of_id IS NOT NULL"
        ).fetchone()[0]
        articles = db.execute("SELECT count(*) FROM articles_article").fetchone()[0]
        stored = db.execute(
            "SELECT count(*) FROM articles_article WHERE guid LIKE ?", [GUID_PREFIX + "%"]
        ).fetchone()[0]
    predicted = {
        int(guid[len(GUID_PREFIX) :]): story for guid, story in rows if guid.startswith(GUID_PREFIX)
    }
    print(
        f"{articles} articles, {len(rows)} in stories ({len(predicted)} of the {stored} UCI "
        f"headlines stored, of {len(gold)}); {stories} stories, {multi} with several publishers "
        f"(the broadest: {biggest}); {copies} near-copies folded"
    )
    found = scores(predicted, gold)
    print(
        f"UCI headlines against the corpus's {len(set(gold.values()))} stories: pairwise "
        f"P {found['pairwise_p']:.3f} R {found['pairwise_r']:.3f} F1 {found['pairwise_f1']:.3f}; "
        f"BCubed P {found['bcubed_p']:.3f} R {found['bcubed_r']:.3f} F1 {found['bcubed_f1']:.3f}"
    )
    if len(predicted) < stored:
        print(f"({stored - len(predicted)} stored headlines not yet in a story: run longer)")
        sys.exit(1)


if __name__ == "__main__":
    main()
