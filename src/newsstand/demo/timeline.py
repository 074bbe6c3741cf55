"""When each demo headline counts as published: corpus order mapped onto the wall clock.

The corpus has no publication times (its TIMESTAMP is the aggregator's crawl order, about
36 hours grouped by story), so the demo invents them from the order alone:

- the first ``published_share`` of the items (crawl order) are already published when the
  server starts, spread evenly over the ``backlog`` before the start: the oldest at
  ``start - backlog``, the last of them at ``start``;
- the rest appear one by one over the ``arrival`` window after the start, evenly spaced,
  the last at ``start + arrival``. ``speed`` divides that window (speed 2 → twice as fast).

Times are whole seconds, as feeds carry them. Everything here is pure: the caller passes
``start`` and asks with its own ``now``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from math import ceil

from newsstand.demo.corpus import DemoItem

DEFAULT_PUBLISHED_SHARE = 0.6
DEFAULT_BACKLOG = timedelta(hours=24)
DEFAULT_ARRIVAL = timedelta(hours=3)


@dataclass(frozen=True, slots=True)
class Timeline:
    """Publication times of the corpus for one server run."""

    start: datetime
    published: dict[int, datetime]  # item id → publication time
    first: datetime  # the earliest publication time
    last: datetime  # the latest (when the last item appears)


def visible_count(times: Sequence[datetime], now: datetime) -> int:
    """How many of ``times`` (ascending) are published at ``now``."""
    return bisect_right(times, now)


def build_timeline(
    items: Sequence[DemoItem],
    *,
    start: datetime,
    published_share: float = DEFAULT_PUBLISHED_SHARE,
    backlog: timedelta = DEFAULT_BACKLOG,
    arrival: timedelta = DEFAULT_ARRIVAL,
    speed: float = 1.0,
) -> Timeline:
    """Publication times for ``items`` (in crawl order), as described in the module doc.

    Raises ``ValueError`` when ``published_share`` is outside [0, 1] or ``speed`` is not
    positive.
    """
    start = start.replace(microsecond=0)
    times = spread_times(
        len(items),
        start=start,
        published_share=published_share,
        backlog=backlog,
        arrival=arrival,
        speed=speed,
    )
    published = {item.id: moment for item, moment in zip(items, times, strict=True)}
    return Timeline(start, published, min(times, default=start), max(times, default=start))


def spread_times(
    count: int,
    *,
    start: datetime,
    published_share: float = DEFAULT_PUBLISHED_SHARE,
    backlog: timedelta = DEFAULT_BACKLOG,
    arrival: timedelta = DEFAULT_ARRIVAL,
    speed: float = 1.0,
) -> list[datetime]:
    """Publication times for ``count`` items in order, as described in the module doc.

    Raises ``ValueError`` when ``published_share`` is outside [0, 1] or ``speed`` is not
    positive.
    """
    if not 0.0 <= published_share <= 1.0:
        raise ValueError("published_share must be between 0 and 1")
    if speed <= 0:
        raise ValueError("speed must be positive")
    start = start.replace(microsecond=0)
    already = round(count * published_share)
    later = count - already
    window = arrival / speed
    times = []
    for rank in range(count):
        if rank < already:
            share_before = (already - 1 - rank) / max(already - 1, 1)
            offset = -_whole_seconds(backlog * share_before)
        else:
            # rounded up, so nothing meant to arrive later is already there at the start
            offset = timedelta(
                seconds=ceil((window * ((rank - already + 1) / later)).total_seconds())
            )
        times.append(start + offset)
    return times


def _whole_seconds(delta: timedelta) -> timedelta:
    return timedelta(seconds=round(delta.total_seconds()))
