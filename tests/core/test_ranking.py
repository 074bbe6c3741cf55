from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsstand.core.ranking import (
    RankingParams,
    StoryActivity,
    breadth,
    rank_by_section,
    rank_stories,
    recency,
    score_story,
    velocity,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
PARAMS = RankingParams()


def story(key: int, **fields: object) -> StoryActivity:
    values: dict[str, object] = {
        "publishers": 3,
        "recent": 3,
        "earlier": 4,
        "last_published": NOW - timedelta(hours=1),
    }
    values.update(fields)
    return StoryActivity(key=key, **values)  # type: ignore[arg-type]


def test_breadth_counts_publishers_with_diminishing_returns():
    assert breadth(1) == 1.0
    assert breadth(3) == 2.0
    assert breadth(7) == 3.0
    assert breadth(0) == 0.0
    assert breadth(200) - breadth(100) < breadth(3) - breadth(1)


def test_velocity_is_about_one_for_a_steady_story():
    # 24 articles over the 24 h baseline = 6 expected in the 6 h window; 6 came.
    assert velocity(6, 24, PARAMS) == pytest.approx(1.0)


def test_velocity_rises_for_a_breaking_story_and_falls_for_a_fading_one():
    assert velocity(10, 0, PARAMS) == PARAMS.velocity_cap
    assert velocity(0, 40, PARAMS) == PARAMS.velocity_floor
    assert velocity(3, 0, PARAMS) > velocity(3, 8, PARAMS) > velocity(3, 40, PARAMS)


def test_recency_halves_every_half_life():
    half = PARAMS.half_life
    assert recency(NOW, NOW, half) == 1.0
    assert recency(NOW - half, NOW, half) == pytest.approx(0.5)
    assert recency(NOW - 2 * half, NOW, half) == pytest.approx(0.25)
    assert recency(NOW + timedelta(hours=1), NOW, half) == 1.0  # clock skew: never above 1


def test_score_is_the_product_of_its_visible_components():
    scored = score_story(story(1, publisher_weight=1.5, boost=2.0), NOW)
    product = scored.breadth * scored.velocity * scored.recency * scored.weight * scored.boost
    assert scored.score == pytest.approx(product)
    assert scored.weight == 1.5
    line = scored.components()
    assert "breadth" in line and "velocity" in line and "recency" in line
    assert "x 2 boost" in line and f"{scored.score:.3f}" in line


def test_broader_story_ranks_first_all_else_equal():
    ranked = rank_stories([story(1, publishers=2), story(2, publishers=9)], NOW)
    assert [s.key for s in ranked] == [2, 1]


def test_older_story_sinks():
    fresh = story(1, last_published=NOW - timedelta(hours=1))
    stale = story(2, last_published=NOW - timedelta(hours=30))
    assert [s.key for s in rank_stories([stale, fresh], NOW)] == [1, 2]


def test_publisher_weight_moves_a_story():
    trusted = story(1, publisher_weight=2.0)
    plain = story(2, publishers=4)
    assert [s.key for s in rank_stories([plain, trusted], NOW)] == [1, 2]


def test_pinned_first_buried_never_boost_multiplies():
    small_pinned = story(1, publishers=1, pinned=True)
    big = story(2, publishers=50)
    buried = story(3, publishers=100, buried=True)
    boosted = story(4, publishers=2, boost=10.0)
    ranked = rank_stories([big, buried, boosted, small_pinned], NOW)
    assert [s.key for s in ranked] == [1, 4, 2]
    assert score_story(buried, NOW).buried


def test_ties_break_by_key_and_limit_applies():
    ranked = rank_stories([story(3), story(1), story(2)], NOW, limit=2)
    assert [s.key for s in ranked] == [1, 2]


def test_rank_by_section_keeps_sections_apart():
    stories = [
        story(1, section="world", publishers=5),
        story(2, section="world", publishers=9),
        story(3, section="sport"),
        story(4),  # no section: only in the overall ranking
    ]
    ranked = rank_by_section(stories, NOW, per_section=1)
    assert {section: [s.key for s in group] for section, group in ranked.items()} == {
        "world": [2],
        "sport": [3],
    }


@given(
    publishers=st.integers(0, 500),
    recent=st.integers(0, 500),
    earlier=st.integers(0, 500),
    hours=st.floats(0, 500),
    weight=st.floats(0, 5),
)
def test_score_is_never_negative_and_components_stay_in_bounds(
    publishers: int, recent: int, earlier: int, hours: float, weight: float
) -> None:
    scored = score_story(
        story(
            1,
            publishers=publishers,
            recent=recent,
            earlier=earlier,
            last_published=NOW - timedelta(hours=hours),
            publisher_weight=weight,
        ),
        NOW,
    )
    assert scored.score >= 0
    assert PARAMS.velocity_floor <= scored.velocity <= PARAMS.velocity_cap
    assert 0 <= scored.recency <= 1
