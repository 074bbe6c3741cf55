"""Online story clustering: joins, new stories, merges, closing, rebuild, determinism."""

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from newsstand.core.stories import (
    ArticleSignal,
    StoryClusterer,
    StoryParams,
    recluster,
    related_stories,
)

T0 = datetime(2014, 3, 10, 12, tzinfo=UTC)


def unit(*values: float) -> np.ndarray:
    v = np.zeros(384, dtype=np.float32)
    v[: len(values)] = values
    return v / np.linalg.norm(v)


def art(ident, vector, hours=0.0, publisher="", entities=()):
    return ArticleSignal(
        id=ident,
        title=f"title {ident}",
        text="",
        published=T0 + timedelta(hours=hours),
        publisher=publisher,
        entities=frozenset(entities),
        vector=vector,
    )


class WordEncoder:
    """A hand-written encoder for tests: one dimension per known word."""

    words = ("fed", "taper", "apple", "samsung", "patent", "crimea", "russia")
    dimensions = 384

    def encode(self, texts):
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                if word.strip(".") in self.words:
                    out[row, self.words.index(word.strip("."))] += 1
            out[row, 383] += 0.1
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_similar_articles_join_and_others_found_stories():
    c = StoryClusterer(StoryParams(join_threshold=0.8))
    a = c.assign(art(1, unit(1, 0.1), publisher="Reuters"))
    b = c.assign(art(2, unit(1, 0.2), hours=1, publisher="AP"))
    d = c.assign(art(3, unit(0, 1, 1), hours=2))
    assert (a.story, a.created) == (1, True)
    assert (b.story, b.created) == (1, False)
    assert b.similarity > 0.8
    assert (d.story, d.created) == (3, True)
    story = c.snapshot(1)
    assert story.size == 2
    assert story.publishers == {"Reuters": 1, "AP": 1}
    assert story.first_published == T0
    assert story.last_published == T0 + timedelta(hours=1)


def test_shared_entities_tip_a_borderline_article_in():
    params = StoryParams(join_threshold=0.75, entity_weight=0.1)
    vector = unit(1, 1.05)  # cosine to (1, 0) is about 0.69
    plain = StoryClusterer(params)
    plain.assign(art(1, unit(1), entities={"Federal Reserve"}))
    assert plain.assign(art(2, vector)).created
    named = StoryClusterer(params)
    named.assign(art(1, unit(1), entities={"Federal Reserve"}))
    assert not named.assign(art(2, vector, entities={"Federal Reserve"})).created


def test_distance_in_time_lowers_the_score_and_the_window_bounds_it():
    params = StoryParams(join_threshold=0.9, time_weight=0.05, window=timedelta(days=3))
    c = StoryClusterer(params)
    c.assign(art(1, unit(1, 0.2)))
    near = c.assign(art(2, unit(1, 0.2), hours=24))
    assert near.story == 1
    assert near.similarity == pytest.approx(1 - 0.05, abs=1e-4)
    late = c.assign(art(3, unit(1, 0.2), hours=24 + 80))
    assert late.created


def test_stories_that_converge_are_merged_into_the_larger():
    params = StoryParams(join_threshold=0.6, merge_threshold=0.8)
    c = StoryClusterer(params, keep_members=True)
    c.assign(art("a", unit(1, 0.3)))
    c.assign(art("b", unit(0.3, 1), hours=1))  # cosine 0.55 to a: a story of its own
    steps = [c.assign(art(f"m{i}", unit(1, 0.97), hours=2 + i)) for i in range(3)]
    assert [s.merged for s in steps] == [(), (), ("b",)]
    assert [s.story for s in steps] == ["a", "a", "a"]
    (story,) = c.snapshots()
    assert story.key == "a"
    assert sorted(story.members) == ["a", "b", "m0", "m1", "m2"]
    assert story.size == 5


def test_quiet_stories_close():
    c = StoryClusterer(StoryParams(quiet_period=timedelta(hours=48)))
    c.assign(art(1, unit(1)))
    c.assign(art(2, unit(0, 1), hours=30))
    assert c.close_quiet(T0 + timedelta(hours=47)) == []
    assert c.close_quiet(T0 + timedelta(hours=49)) == [1]
    assert 1 not in c
    assert 2 in c
    assert c.assign(art(3, unit(1), hours=50)).created


def test_snapshots_rebuild_the_same_window():
    vectors = np.random.default_rng(7).normal(size=(60, 384)).astype(np.float32)
    vectors[30:] = vectors[:30] + 0.3 * vectors[30:]
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    articles = [art(i, v, hours=i / 10) for i, v in enumerate(vectors)]
    params = StoryParams(join_threshold=0.5)
    whole = StoryClusterer(params)
    expected = [a.story for a in whole.assign_many(articles)]
    first = StoryClusterer(params)
    first.assign_many(articles[:40])
    second = StoryClusterer(params, stories=first.snapshots())
    got = [a.story for a in second.assign_many(articles[40:])]
    assert got == expected[40:]


def test_same_input_same_stories_and_recluster_sorts_by_time():
    vectors = np.random.default_rng(3).normal(size=(80, 384)).astype(np.float32)
    vectors[40:] = vectors[:40] + 0.5 * vectors[40:]
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    articles = [art(i, v, hours=i) for i, v in enumerate(vectors)]
    one = recluster(articles, StoryParams(join_threshold=0.6))
    two = recluster(articles[::-1], StoryParams(join_threshold=0.6))
    assert one == two
    assert set(one) == set(range(80))
    assert sum(one[i] == one[i + 40] for i in range(40)) >= 35


def test_encoder_fills_missing_vectors_in_one_batch():
    encoder = WordEncoder()
    c = StoryClusterer(StoryParams(join_threshold=0.7), encoder=encoder)
    rows = [
        ArticleSignal(1, "Fed taper", "", T0),
        ArticleSignal(2, "Apple Samsung patent", "", T0),
        ArticleSignal(3, "Fed signals taper", "Fed.", T0),
        ArticleSignal(4, "Crimea Russia", "", T0),
    ]
    stories = [a.story for a in c.assign_many(rows)]
    assert stories == [1, 2, 1, 4]


def test_related_stories_never_include_the_story_itself():
    c = StoryClusterer(StoryParams(join_threshold=0.95))
    for i, v in enumerate([unit(1), unit(1, 0.5), unit(0, 1), unit(0, 0, 1)]):
        c.assign(art(i, v))
    assert [k for k, _ in c.related(0, 2)] == [1, 2]
    snapshots = c.snapshots()
    found = related_stories(snapshots[0].centroid, snapshots, k=10, exclude=0)
    assert [k for k, _ in found] == [1, 2, 3]
    assert found[0][1] > found[1][1]


def test_real_model_groups_real_headlines():
    headlines = [
        ("Fed official says weak data caused by weather, should not slow taper", "taper"),
        ("Malaysia Airlines search widens as missing jet mystery deepens", "mh370"),
        ("Samsung and Apple to face off again in court over patents", "patent"),
        ("Missing Malaysian plane: search area expanded", "mh370"),
        ("Apple, Samsung head back to court in second patent trial", "patent"),
        ("Plosser: weak economic data won't slow Fed tapering", "taper"),
    ]
    articles = [ArticleSignal(i, t, "", T0) for i, (t, _) in enumerate(headlines)]
    stories = recluster(articles)
    gold = [g for _, g in headlines]
    for i in range(len(gold)):
        for j in range(len(gold)):
            assert (stories[i] == stories[j]) == (gold[i] == gold[j]), (i, j)


def test_a_spread_story_needs_a_closer_article_than_a_tight_one():
    params = StoryParams(join_threshold=0.2, cohesion=1.0, merge_threshold=2.0)
    tight, spread = StoryClusterer(params), StoryClusterer(params)
    for clusterer, lean in ((tight, 0.1), (spread, 0.8)):
        clusterer.assign(art(1, unit(1, lean)))
        clusterer.assign(art(2, unit(1, -lean)))
        assert len(clusterer) == 1
    probe = art(3, unit(1), hours=2)  # on both centroids exactly
    assert tight.assign(probe).similarity > 0.99  # cohesion 0.995
    assert spread.assign(probe).similarity < 0.8  # cohesion 0.78: the mean similarity


def test_closed_stories_free_their_rows_and_the_window_stays_right():
    rng = np.random.default_rng(11)
    c = StoryClusterer(StoryParams(join_threshold=0.9, quiet_period=timedelta(hours=1)))
    kept = {}
    for day in range(6):  # 6 x 50 stories, all but the last batch closed: rows are reused
        for i in range(50):
            v = rng.normal(size=384).astype(np.float32)
            v /= np.linalg.norm(v)
            ident = f"{day}-{i}"
            assert c.assign(art(ident, v, hours=day * 24)).created
            kept[ident] = v
        if day < 5:
            closed = c.close_quiet(T0 + timedelta(hours=day * 24 + 2))
            assert sorted(closed) == sorted(f"{day}-{i}" for i in range(50))
    assert len(c) == 50
    assert c._units.shape[0] <= 128  # compacted, not grown to 300 rows
    for i in range(50):  # every open story still answers with its own vector
        again = c.assign(art(f"again-{i}", kept[f"5-{i}"], hours=5 * 24 + 0.5))
        assert again.story == f"5-{i}"
    assert {s.key for s in c.snapshots()} == {f"5-{i}" for i in range(50)}
