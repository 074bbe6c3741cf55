"""Top stories: how much a story matters right now, as a product of visible parts.

    score = breadth x velocity x recency x publisher weight x boost

- **breadth**: ``log2(1 + distinct publishers)``: one publisher 1, three 2, seven 3, a
  hundred 6.7. Distinct publishers, not articles: a publisher sending ten updates of its
  own piece does not make a story broad, and the logarithm keeps a wire story carried by
  two hundred sites from drowning everything else.
- **velocity**: is the story gathering pace? Articles in the last ``velocity_window``
  against the ``baseline_window`` before it, as rates, ``(recent + 1) / (expected + 1)``
  where ``expected`` is the earlier rate over the recent window; clamped to
  ``[velocity_floor, velocity_cap]``. A story that just broke scores high, one that is
  fading low, a steady one about 1.
- **recency**: ``0.5 ** (age / half_life)``, the age counted from the story's latest
  article, so a story with fresh developments stays up and a finished one sinks.
- **publisher weight**: the mean weight editors gave the story's publishers (1 for a
  publisher without one).
- **editorial**: ``boost`` multiplies the score; ``pinned`` stories come before all
  others (by score among themselves); ``buried`` ones are never ranked.

Everything is pure: the caller passes ``now`` and the counts. Ties break by story key, so
the same input always gives the same order.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class RankingParams:
    velocity_window: timedelta = timedelta(hours=6)
    baseline_window: timedelta = timedelta(hours=24)
    half_life: timedelta = timedelta(hours=8)
    velocity_floor: float = 0.5
    velocity_cap: float = 4.0

    @property
    def horizon(self) -> timedelta:
        """How far back the counts reach: stories quiet for longer score only by recency."""
        return self.velocity_window + self.baseline_window


@dataclass(frozen=True, slots=True)
class StoryActivity:
    """What the ranking knows of one story at ``now``."""

    key: int
    publishers: int  # distinct publishers of its articles
    recent: int  # its articles published within ``velocity_window`` before now
    earlier: int  # its articles in the ``baseline_window`` before that
    last_published: datetime
    publisher_weight: float = 1.0
    section: Hashable = None
    pinned: bool = False
    boost: float = 1.0
    buried: bool = False


@dataclass(frozen=True, slots=True)
class StoryScore:
    """A story's score with the parts it is made of (shown to editors)."""

    key: int
    breadth: float
    velocity: float
    recency: float
    weight: float
    boost: float
    score: float
    pinned: bool
    buried: bool

    def components(self) -> str:
        """One line for editors: ``"2.00 breadth x 1.50 velocity x ..."``."""
        line = (
            f"{self.breadth:.2f} breadth x {self.velocity:.2f} velocity x "
            f"{self.recency:.2f} recency x {self.weight:.2f} weight"
        )
        if self.boost != 1.0:
            line += f" x {self.boost:g} boost"
        flags = [name for name, on in (("pinned", self.pinned), ("buried", self.buried)) if on]
        return f"{line} = {self.score:.3f}" + (f" ({', '.join(flags)})" if flags else "")


def breadth(publishers: int) -> float:
    return math.log2(1 + max(0, publishers))


def velocity(recent: int, earlier: int, params: RankingParams = RankingParams()) -> float:
    expected = max(0, earlier) * (params.velocity_window / params.baseline_window)
    ratio = (max(0, recent) + 1) / (expected + 1)
    return min(params.velocity_cap, max(params.velocity_floor, ratio))


def recency(last_published: datetime, now: datetime, half_life: timedelta) -> float:
    """1 for a story whose latest article is from now (or the future), halving every
    ``half_life``."""
    age = max(timedelta(0), now - last_published)
    return float(0.5 ** (age / half_life))


def score_story(
    story: StoryActivity, now: datetime, params: RankingParams = RankingParams()
) -> StoryScore:
    parts = (
        breadth(story.publishers),
        velocity(story.recent, story.earlier, params),
        recency(story.last_published, now, params.half_life),
        max(0.0, story.publisher_weight),
        max(0.0, story.boost),
    )
    return StoryScore(
        story.key, *parts, score=math.prod(parts), pinned=story.pinned, buried=story.buried
    )


def _order(score: StoryScore) -> tuple[bool, float, int]:
    return (not score.pinned, -score.score, score.key)


def rank_stories(
    stories: Iterable[StoryActivity],
    now: datetime,
    params: RankingParams = RankingParams(),
    *,
    limit: int | None = None,
) -> list[StoryScore]:
    """Stories best first: pinned ones, then by score; buried ones left out."""
    scores = [score_story(s, now, params) for s in stories if not s.buried]
    scores.sort(key=_order)
    return scores if limit is None else scores[:limit]


def rank_by_section(
    stories: Sequence[StoryActivity],
    now: datetime,
    params: RankingParams = RankingParams(),
    *,
    per_section: int,
) -> dict[Hashable, list[StoryScore]]:
    """The best ``per_section`` stories of each section (stories without one left out)."""
    grouped: dict[Hashable, list[StoryActivity]] = {}
    for story in stories:
        if story.section is not None:
            grouped.setdefault(story.section, []).append(story)
    return {
        section: rank_stories(group, now, params, limit=per_section)
        for section, group in grouped.items()
    }
