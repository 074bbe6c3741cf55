"""The offline regroup pass: stories close in vectors AND in rare words are joined."""

from datetime import UTC, datetime

import numpy as np

from newsstand.core.stories import StoryParams, StorySnapshot
from newsstand.core.stories.regroup import regroup

T0 = datetime(2024, 3, 1, tzinfo=UTC)


def unit(*values: float) -> np.ndarray:
    v = np.zeros(8, dtype=np.float32)
    v[: len(values)] = values
    return v / np.linalg.norm(v)


def story(key: str, vector: np.ndarray, members: list[str]) -> StorySnapshot:
    return StorySnapshot(
        key=key,
        centroid=vector.astype(np.float32),
        size=len(members),
        publishers={},
        entities={},
        first_published=T0,
        last_published=T0,
        members=members,
    )


TEXTS = {
    "a1": "Sprint weighs bid for T-Mobile",
    "a2": "Sprint bid for T-Mobile faces regulators",
    "a3": "SoftBank backs Sprint bid for T-Mobile",
    "b1": "T-Mobile rejects Sprint bid talk",
    "c1": "Comet lander wakes up in deep space",
    "c2": "Comet lander sends first signal",
}


def test_close_vectors_and_shared_rare_words_are_joined_under_the_larger_story():
    stories = [
        story("b1", unit(1, 0.6), ["b1"]),
        story("a1", unit(1, 0.5), ["a1", "a2", "a3"]),
        story("c1", unit(0, 0, 1), ["c1", "c2"]),
    ]
    result = regroup(stories, TEXTS, StoryParams())
    assert result == {"a1": "a1", "a2": "a1", "a3": "a1", "b1": "a1", "c1": "c1", "c2": "c1"}


def test_close_vectors_without_shared_words_stay_apart():
    texts = dict(TEXTS, b1="Phone carriers consider a merger")
    stories = [story("a1", unit(1, 0.5), ["a1", "a2", "a3"]), story("b1", unit(1, 0.6), ["b1"])]
    params = StoryParams(regroup_few=0)  # b1 is no straggler: its words must match too
    assert regroup(stories, texts, params)["b1"] == "b1"


def test_a_straggler_joins_on_close_vectors_alone():
    texts = dict(TEXTS, b1="Phone carriers consider a merger")
    stories = [story("a1", unit(1, 0.5), ["a1", "a2", "a3"]), story("b1", unit(1, 0.6), ["b1"])]
    assert regroup(stories, texts, StoryParams(regroup_few=1))["b1"] == "a1"
    # a story of more than ``regroup_few`` articles is no straggler
    bigger = [
        story("a1", unit(1, 0.5), ["a1", "a2", "a3"]),
        story("b1", unit(1, 0.6), ["b1", "c1"]),
    ]
    unrelated = dict(texts, c1="Regulators look at phone carrier deals")
    assert regroup(bigger, unrelated, StoryParams(regroup_few=1))["b1"] == "b1"


def test_shared_words_with_distant_vectors_stay_apart():
    stories = [story("a1", unit(1, 0.5), ["a1", "a2", "a3"]), story("b1", unit(0, 0, 0, 1), ["b1"])]
    assert regroup(stories, TEXTS, StoryParams())["b1"] == "b1"


def test_thresholds_out_of_reach_change_nothing():
    stories = [story("a1", unit(1, 0.5), ["a1", "a2", "a3"]), story("b1", unit(1, 0.6), ["b1"])]
    params = StoryParams(regroup_similarity=1.5, regroup_few_similarity=1.5)
    assert regroup(stories, TEXTS, params) == {"a1": "a1", "a2": "a1", "a3": "a1", "b1": "b1"}


def test_no_repeated_word_and_a_single_story_are_left_alone():
    one = [story("c1", unit(0, 0, 1), ["c1", "c2"])]
    assert regroup(one, TEXTS, StoryParams()) == {"c1": "c1", "c2": "c1"}
    two = [story("x", unit(1), ["x"]), story("y", unit(1), ["y"])]
    assert regroup(two, {"x": "alpha", "y": "beta"}, StoryParams()) == {"x": "x", "y": "y"}
