"""Near-duplicates on real agency-style text: a Wikinews article and edited copies of it."""

import json
from pathlib import Path

import numpy as np
import pytest

from newsstand.core.stories import (
    NearDuplicateIndex,
    is_near_duplicate,
    near_duplicate_signature,
    signature_similarity,
)

WIKINEWS = Path(__file__).parents[4] / "shared/data/demo/wikinews/wikinews.jsonl"


@pytest.fixture(scope="module")
def articles():
    rows = [json.loads(line) for line in WIKINEWS.read_text(encoding="utf-8").splitlines()]
    return [r["text"] for r in rows if len(r["text"].split()) > 120][:20]


def syndicated(text: str) -> str:
    """A republication: a dateline and a credit added, a word changed, the last part cut."""
    words = text.split()
    words[10] = "reportedly"
    kept = " ".join(words[: int(len(words) * 0.9)])
    return f"LONDON (Wire) - {kept} (Reporting by staff; editing by desk)"


def test_an_edited_wire_copy_is_a_near_duplicate(articles):
    original = articles[0]
    assert is_near_duplicate(original, syndicated(original))


def test_punctuation_and_case_edits_do_not_count(articles):
    original = articles[1]
    copy = original.replace(",", "").replace("\n", " ").upper()
    sim = signature_similarity(near_duplicate_signature(original), near_duplicate_signature(copy))
    assert sim == 1.0


def test_different_articles_are_not_near_duplicates(articles):
    signatures = [near_duplicate_signature(t) for t in articles]
    for i, a in enumerate(signatures):
        for b in signatures[i + 1 :]:
            assert not is_near_duplicate(a, b)


def test_a_rewrite_sharing_only_a_quote_is_not_a_near_duplicate(articles):
    original = articles[2]
    sentences = original.split(". ")
    rewrite = ". ".join([sentences[0], *articles[3].split(". ")[:8]])
    assert not is_near_duplicate(original, rewrite)


def test_short_texts_are_never_near_duplicates():
    assert not is_near_duplicate("Crimea votes to join Russia", "Crimea votes to join Russia")
    assert not near_duplicate_signature("too short").any()


def test_index_returns_the_earliest_copy_and_forgets(articles):
    index = NearDuplicateIndex()
    assert index.add("a", articles[0]) is None
    assert index.add("b", articles[1]) is None
    assert index.add("c", syndicated(articles[0])) == "a"
    assert index.add("d", syndicated(syndicated(articles[0]))) == "a"
    index.discard("a")
    assert index.add("e", articles[0]) == "c"
    assert len(index) == 4
    index.discard("missing")


def test_index_accepts_stored_signatures(articles):
    index = NearDuplicateIndex()
    stored = near_duplicate_signature(articles[4]).tobytes()
    index.add(1, np.frombuffer(stored, dtype=np.uint32))
    assert index.add(2, syndicated(articles[4])) == 1
