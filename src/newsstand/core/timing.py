"""Honest times: how a reader page should say when an article was published.

An article is *from the archive* when Newsstand first saw it long after its publisher
dated it (a feed that lists old pieces, a site that re-publishes its back catalogue, the
demo's Wikinews articles of 2004-2013). Such an article shows its own date ("14 March
2011"), never "2 minutes ago", and never counts as news of the moment. Everything else
says how long ago it was published while that is short, and its date after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

ARCHIVE_AFTER = timedelta(days=7)  # first seen this long after publication: archive
RELATIVE_FOR = timedelta(days=2)  # newer than this: "3 hours ago"; older: the date

Telling = Literal["relative", "date", "archive"]


@dataclass(frozen=True, slots=True)
class PublishedTime:
    """How to show a publication time: ``relative`` ("3 hours ago"), ``date`` (the
    date, for older news) or ``archive`` (the date, labelled as from the archive)."""

    moment: datetime
    telling: Telling


def is_archive(published: datetime, first_seen: datetime | None) -> bool:
    """True when the article was first seen more than ``ARCHIVE_AFTER`` after it was
    published (an article never seen, or seen first, is not archive)."""
    return first_seen is not None and first_seen - published > ARCHIVE_AFTER


def published_time(
    published: datetime, first_seen: datetime | None, now: datetime
) -> PublishedTime:
    """How a page should tell ``published`` at ``now`` (see the module's doc)."""
    if is_archive(published, first_seen):
        return PublishedTime(published, "archive")
    if now - published < RELATIVE_FOR:
        return PublishedTime(published, "relative")
    return PublishedTime(published, "date")
