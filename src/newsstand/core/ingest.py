"""From a fetched document to what will be stored: parse, then normalise (pure).

One function, ``prepare_feed``, so the same work runs inline or in a worker process.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from newsstand.core.entries import EntryCandidate
from newsstand.core.errors import InternalError, NewsstandError
from newsstand.core.normalise import FeedMeta, normalise_entries, normalise_feed_meta
from newsstand.core.parse import parse_feed


@dataclass(frozen=True, slots=True)
class PreparedFeed:
    meta: FeedMeta
    candidates: tuple[EntryCandidate, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PrepareJob:
    body: bytes
    url: str
    content_type: str
    now: datetime


def prepare_feed(job: PrepareJob) -> PreparedFeed:
    """Parse and normalise one document. Raises ParseError (NotAFeed, UnsafeXML...)."""
    parsed = parse_feed(job.body, url=job.url, content_type=job.content_type)
    return PreparedFeed(
        meta=normalise_feed_meta(parsed, feed_url=job.url),
        candidates=tuple(normalise_entries(parsed, feed_url=job.url, now=job.now)),
        warnings=parsed.warnings,
    )


def prepare_or_error(job: PrepareJob) -> PreparedFeed | NewsstandError:
    """``prepare_feed`` with every failure returned as a value (safe across processes)."""
    try:
        return prepare_feed(job)
    except NewsstandError as error:
        return error
    except Exception as exc:  # noqa: BLE001 - a bug of ours on this input: reported on the feed
        return InternalError(f"{type(exc).__name__}: {exc}")
