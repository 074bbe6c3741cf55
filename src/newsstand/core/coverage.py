"""What a story page leads with: a few articles that together tell the story best, and a
short timeline of how the coverage grew.

*Top coverage* takes the first report, then the most complete account from another
publisher, then one article each from publishers (and, first, countries) not yet shown,
the most complete first; wire copies are never chosen. *The timeline* splits the
story's span into a few steps (hours for a story of a day or two, days for a longer
one) and says, for each, how many articles appeared and which came first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

TOP_COVERAGE = 5
TIMELINE_POINTS = 8


@dataclass(frozen=True, slots=True)
class CoverageCandidate:
    """What the choice needs of one article of the story."""

    key: int
    publisher: int
    country: str  # "" when not known
    published: datetime
    words: int
    duplicate: bool = False  # a near-copy of another article of the story


def top_coverage(candidates: Sequence[CoverageCandidate], k: int = TOP_COVERAGE) -> list[int]:
    """Keys of up to ``k`` articles from different publishers: the earliest first, then
    the most complete, then new countries before new publishers, longer before shorter,
    earlier before later."""
    pool = [c for c in candidates if not c.duplicate] or list(candidates)
    if not pool or k <= 0:
        return []
    chosen = [min(pool, key=lambda c: (c.published, c.key))]
    publishers = {chosen[0].publisher}
    countries = {chosen[0].country} - {""}
    while len(chosen) < k:
        rest = [c for c in pool if c.publisher not in publishers]
        if not rest:
            break
        if len(chosen) == 1:
            best = max(rest, key=lambda c: (c.words, -c.published.timestamp(), -c.key))
        else:
            best = max(
                rest,
                key=lambda c: (
                    bool(c.country) and c.country not in countries,
                    c.words,
                    -c.published.timestamp(),
                    -c.key,
                ),
            )
        chosen.append(best)
        publishers.add(best.publisher)
        if best.country:
            countries.add(best.country)
    return [c.key for c in chosen]


@dataclass(frozen=True, slots=True)
class TimelinePoint:
    """One step of a story's timeline: its start, the articles in it, the first of them."""

    start: datetime
    articles: int
    first: int | None  # key of the step's earliest article that is not a copy
    daily: bool  # steps are days (else hours)


def timeline(
    candidates: Sequence[CoverageCandidate], points: int = TIMELINE_POINTS
) -> list[TimelinePoint]:
    """The story's coverage in at most ``points`` steps of equal length (whole hours, or
    whole days when the story spans more than two days), empty steps left out."""
    if not candidates:
        return []
    ordered = sorted(candidates, key=lambda c: (c.published, c.key))
    first, last = ordered[0].published, ordered[-1].published
    span = last - first
    daily = span > timedelta(days=2)
    unit = timedelta(days=1) if daily else timedelta(hours=1)
    units = max(1, -(-span // unit))  # ceiling
    step = unit * max(1, -(-units // points))
    start = first.replace(minute=0, second=0, microsecond=0)
    if daily:
        start = start.replace(hour=0)
    steps: dict[int, list[CoverageCandidate]] = {}
    for candidate in ordered:
        steps.setdefault((candidate.published - start) // step, []).append(candidate)
    return [
        TimelinePoint(start + step * index, len(members), _first_original(members), daily)
        for index, members in sorted(steps.items())
    ]


def _first_original(members: Sequence[CoverageCandidate]) -> int | None:
    """The step's earliest article that is not a wire copy (None when all are)."""
    return next((m.key for m in members if not m.duplicate), None)
