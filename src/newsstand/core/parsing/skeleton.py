"""Per-entry values fastfeedparser does not report, read from the document's markup.

fastfeedparser keeps the first author's name only (not the e-mail address or home page,
not the second author) and gives dates already converted. On the fast path those come
from the markup instead: the document with its CDATA sections emptied
(``trust.markup_outside_cdata``), where regular expressions find the entries' start and
end tags, the dates and (Atom) the authors, each value given to the entry that encloses
it. Anything this pass cannot read with certainty raises ``SkeletonMismatch`` and the
document goes to the tolerant parser.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from operator import lt
from typing import NamedTuple

from newsstand.core.entries import Person
from newsstand.core.parsing.trust import count_tags

_START = {"atom10": re.compile(rb"<entry[\s>]"), "rss": re.compile(rb"<item[\s>]")}
_END = {"atom10": re.compile(rb"</entry>"), "rss": re.compile(rb"</item>")}
# The plain form of each element read (no attributes, CDATA or markup inside). For
# authors, any other form makes the counts differ and the pass refuses the document.
_DATES = {
    "atom10": ((b"published", re.compile(rb"<published>([^<]*)</published>")),
               (b"updated", re.compile(rb"<updated>([^<]*)</updated>"))),
    # RSS dc:date is an update date, as feedparser reads it
    "rss": ((b"pubDate", re.compile(rb"<pubDate>([^<]*)</pubDate>")),
            (b"dc:date", re.compile(rb"<dc:date>([^<]*)</dc:date>"))),
}  # fmt: skip
_AUTHOR = re.compile(rb"<author>(.*?)</author>", re.DOTALL)
_PUBLISHED = {b"published", b"pubDate"}
_PERSON_PARTS = (b"name", b"email", b"uri")


class SkeletonMismatch(Exception):
    """The markup holds something this pass cannot read with certainty."""


class Extras(NamedTuple):
    """What the pass found, one list item per entry in document order (columns, not an
    object per entry: this runs for every entry of every feed)."""

    published_text: list[str]
    updated_text: list[str]
    people: list[tuple[Person, ...]] | None  # Atom only
    names: list[tuple[str, ...]] | None


def _text(raw: bytes) -> str:
    text = raw.decode("utf-8")
    return (html.unescape(text) if "&" in text else text).strip()


@lru_cache(maxsize=1024)  # the entries of a feed share a few authors
def _person(block: bytes) -> Person:
    """The person in an Atom ``<author>``: its name, email and uri, each at most once."""
    values = []
    tags = 0
    for name in _PERSON_PARTS:
        opening = b"<" + name + b">"
        start = block.find(opening)
        if start < 0:
            values.append("")
            continue
        end = block.find(b"</" + name + b">", start)
        inner = block[start + len(opening) : end]
        if end < 0 or b"<" in inner or block.find(opening, end) >= 0:
            raise SkeletonMismatch(f"an author's <{name.decode()}> is not plain text")
        values.append(_text(inner))
        tags += 2
    # Every "<" of the block must be one of those elements' tags: nothing else is read.
    if block.count(b"<") != tags:
        raise SkeletonMismatch("an Atom author with other markup than name, email and uri")
    return Person(*values)


@dataclass(frozen=True, slots=True)
class _Entries:
    """Where each entry starts and ends in the markup."""

    starts: list[int]
    ends: list[int]

    def enclosing(self, positions: list[int]) -> list[int]:
        """For each of ``positions`` (in document order), the entry that encloses it, or
        -1 (the feed's head, tail, or between two entries)."""
        starts, ends, count = self.starts, self.ends, len(self.starts)
        found, index = [], -1
        for position in positions:
            while index + 1 < count and starts[index + 1] < position:
                index += 1
            found.append(index if index >= 0 and position < ends[index] else -1)
        return found


def _entries(markup: bytes, kind: str, items: int) -> _Entries:
    starts = [m.start() for m in _START[kind].finditer(markup)]
    ends = [m.start() for m in _END[kind].finditer(markup)]
    if len(starts) != items or len(ends) != items:
        raise SkeletonMismatch(f"{len(starts)} entry tags, {items} entries")
    # start < end < next start: entries neither nested nor unclosed
    if not all(map(lt, starts, ends)) or not all(map(lt, ends, starts[1:])):
        raise SkeletonMismatch("nested or unclosed entries")
    return _Entries(starts, ends)


def _plain_elements(
    markup: bytes, name: bytes, pattern: re.Pattern[bytes]
) -> list[re.Match[bytes]]:
    """Every ``<name>…</name>`` of the markup, all in their plain form: SkeletonMismatch
    when one has attributes or holds CDATA or markup (the counts then differ)."""
    matches = list(pattern.finditer(markup))
    opening = b"<" + name
    if len(matches) != markup.count(opening) and len(matches) != count_tags(markup, name):
        raise SkeletonMismatch(f"a <{name.decode()}> this pass cannot read")
    return matches


def _dates(markup: bytes, entries: _Entries, kind: str) -> tuple[list[str], list[str]]:
    """Each entry's first published and first updated date as written."""
    found: tuple[list[str], list[str]] = ([""] * len(entries.starts), [""] * len(entries.starts))
    for column, (name, pattern) in zip(found, _DATES[kind], strict=True):
        if b"<" + name not in markup:
            continue
        # Only plain-text dates are read; one with attributes or CDATA keeps "" (the
        # parsed date comes from fastfeedparser either way).
        matches = list(pattern.finditer(markup))
        for match, index in zip(
            matches, entries.enclosing([m.start() for m in matches]), strict=True
        ):
            if index >= 0 and not column[index]:
                column[index] = _text(match.group(1))
    return found


def _people(markup: bytes, entries: _Entries) -> list[tuple[Person, ...]]:
    """Each Atom entry's authors."""
    people: list[list[Person]] = [[] for _ in entries.starts]
    if b"<author" not in markup:
        return [() for _ in people]
    matches = _plain_elements(markup, b"author", _AUTHOR)
    for match, index in zip(matches, entries.enclosing([m.start() for m in matches]), strict=True):
        if index >= 0:
            person = _person(match.group(1))
            found = people[index]
            if (person.name or person.email or person.href) and person not in found:
                found.append(person)
    return [tuple(found) for found in people]


def scan(markup: bytes, fmt: str, items: int) -> Extras:
    """The extras of the ``items`` entries of ``markup``."""
    kind = "atom10" if fmt == "atom10" else "rss"
    if kind == "atom10" and (b"<source" in markup or b"<atom:" in markup):
        raise SkeletonMismatch("source feeds or prefixed Atom elements inside entries")
    entries = _entries(markup, kind, items)
    published, updated = _dates(markup, entries, kind)
    if kind != "atom10":
        return Extras(published, updated, None, None)
    people = _people(markup, entries)
    return Extras(published, updated, people, [_names(found) for found in people])


@lru_cache(maxsize=1024)
def _names(people: tuple[Person, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.name or p.email for p in people if p.name or p.email))
