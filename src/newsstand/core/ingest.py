"""From a fetched document to what will be stored: parse, normalise, decide (pure).

One function, ``prepare_feed``, so the same work runs inline or in a worker process. Besides
parsing and normalising, it decides what the refresh would otherwise decide entry by entry
in the process that writes to the database (each entry's section from its categories,
whether its page should be fetched for full text) and turns each entry into a plain row of
text, numbers and None (``EntryRow``), cheap to send between processes and ready to bind.
The writer then only matches rows against stored articles and inserts.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from newsstand.core.errors import InternalError, NewsstandError
from newsstand.core.sections import section_from_categories
from newsstand.core.teaser import needs_full_text

if TYPE_CHECKING:
    from newsstand.core.entries import EntryCandidate
    from newsstand.core.normalise import FeedMeta

# What an EntryRow holds, in order. Times are UTC wall-clock text ("YYYY-MM-DD HH:MM:SS[.f]",
# what Django writes to SQLite; PostgreSQL reads it back as UTC), lists are JSON text.
ENTRY_ROW_FIELDS = (
    "identity", "guid", "url", "title", "authors", "summary", "content", "image",
    "comments_url", "published_at", "updated_at", "language", "section_id", "categories",
    "content_hash", "rights", "wants_full_text",
)  # fmt: skip
EntryRow = tuple[object, ...]
ROW_IDENTITY, ROW_URL, ROW_HASH = 0, 2, 14
ROW_WANTS_FULL_TEXT = len(ENTRY_ROW_FIELDS) - 1
_ZERO = timedelta(0)


@dataclass(frozen=True, slots=True)
class PrepareJob:
    body: bytes
    url: str
    content_type: str
    now: datetime
    full_text_mode: str = "never"  # the feed's mode: "auto", "always" or "never"
    section_hint: int | None = None  # the feed's section, when the subscriber gave one
    sections: Mapping[str, int] = field(default_factory=dict)  # section ids by slug


@dataclass(frozen=True, slots=True)
class PreparedFeed:
    meta: FeedMeta
    rows: tuple[EntryRow, ...]
    warnings: tuple[str, ...] = ()


def utc_text(moment: datetime | None) -> str | None:
    """``moment`` as naive UTC text, the form Django stores datetimes in on SQLite."""
    if moment is None:
        return None
    if moment.tzinfo is not None and moment.utcoffset() != _ZERO:
        moment = moment.astimezone(UTC)
    return str(moment.replace(tzinfo=None))


def entry_row(c: EntryCandidate, *, section_id: int | None, wants_full_text: bool) -> EntryRow:
    """One normalised entry as an ``EntryRow`` (see ``ENTRY_ROW_FIELDS``)."""
    return (
        c.identity, c.guid[:1000], c.url, c.title, _json_list(c.authors),
        c.summary_html, c.content_html, c.image, c.comments, utc_text(c.published),
        utc_text(c.updated), c.language, section_id, _json_list(c.categories),
        c.content_hash, c.rights[:1000], wants_full_text,
    )  # fmt: skip


@functools.lru_cache(maxsize=4096)  # a feed's entries repeat their authors and categories
def _json_list(values: tuple[str, ...]) -> str:
    return json.dumps(list(values))


@functools.lru_cache(maxsize=4096)
def _section_slug(categories: tuple[str, ...], known: frozenset[str]) -> str:
    """``section_from_categories``, remembered: feeds repeat a handful of categories."""
    return section_from_categories(categories, known)


def entry_rows(
    candidates: tuple[EntryCandidate, ...],
    *,
    full_text_mode: str,
    section_hint: int | None,
    sections: Mapping[str, int],
) -> tuple[EntryRow, ...]:
    """Rows of the candidates, with each one's section and full-text decision."""
    rows = []
    known = frozenset(sections)
    for c in candidates:
        section = section_hint
        if section is None and sections and c.categories:
            section = sections.get(_section_slug(c.categories, known))
        wants = bool(c.url) and needs_full_text(
            mode=full_text_mode, summary_html=c.summary_html, content_html=c.content_html
        )
        rows.append(entry_row(c, section_id=section, wants_full_text=wants))
    return tuple(rows)


def prepare_feed(job: PrepareJob) -> PreparedFeed:
    """Parse and normalise one document. Raises ParseError (NotAFeed, UnsafeXML...)."""
    # Imported here: a process that only stores what the parsing workers prepared (the
    # refresh's main process) never loads the parsers.
    from newsstand.core.normalise import normalise_entries, normalise_feed_meta
    from newsstand.core.parse import parse_feed

    parsed = parse_feed(job.body, url=job.url, content_type=job.content_type)
    candidates = tuple(normalise_entries(parsed, feed_url=job.url, now=job.now))
    return PreparedFeed(
        meta=normalise_feed_meta(parsed, feed_url=job.url),
        rows=entry_rows(
            candidates,
            full_text_mode=job.full_text_mode,
            section_hint=job.section_hint,
            sections=job.sections,
        ),
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
