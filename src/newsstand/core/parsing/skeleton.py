"""Per-entry values fastfeedparser does not report, read from the document's markup.

fastfeedparser keeps the first author's name only (not the e-mail address or home page,
not the second author) and gives dates already converted. On the fast path those come
from the markup instead: the document with its CDATA sections emptied
(``trust.markup_outside_cdata``), read in one regular-expression pass that finds entry
start and end tags, dates and (Atom) authors, each value given to the entry that encloses
it. Anything this pass cannot read with certainty raises ``SkeletonMismatch`` and the
document goes to the tolerant parser.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

from newsstand.core.entries import Person

# Groups: 1 an entry's start tag, 2 its end tag, 3 a date element's name and 4 its text
# (RSS dc:date is an update date, as feedparser reads it), 5 an Atom author's content,
# 6 any other form of those elements (attributes, CDATA, markup inside), which this pass
# cannot read: tried last, it matches only where the plain forms did not.
_ATOM_SCAN = re.compile(
    rb"<(?:(entry)[\s>]|(/entry)>|(published|updated)>([^<]*)</(?:published|updated)>"
    rb"|author>(.*?)</author>|((?:author|published|updated)[\s/>]))",
    re.DOTALL,
)
_RSS_SCAN = re.compile(
    rb"<(?:(item)[\s>]|(/item)>|(pubDate|dc:date)>([^<]*)</(?:pubDate|dc:date)>|()(?!)"
    rb"|((?:pubDate|dc:date)[\s/>]))"
)
_PUBLISHED = {b"published", b"pubDate"}
_PERSON_PARTS = (b"name", b"email", b"uri")


class SkeletonMismatch(Exception):
    """The markup holds something this pass cannot read with certainty."""


@dataclass(frozen=True, slots=True)
class EntryExtras:
    """What the pass found in one entry."""

    people: tuple[Person, ...] = ()
    names: tuple[str, ...] = ()
    published_text: str = ""
    updated_text: str = ""


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


def scan(markup: bytes, fmt: str, items: int) -> list[EntryExtras]:
    """The extras of each of the ``items`` entries of ``markup``, in document order."""
    atom = fmt == "atom10"
    if atom and (b"<source" in markup or b"<atom:" in markup):
        raise SkeletonMismatch("source feeds or prefixed Atom elements inside entries")
    people: list[list[Person]] = []
    dates: list[list[str]] = []
    inside = False
    for match in (_ATOM_SCAN if atom else _RSS_SCAN).finditer(markup):
        kind = match.lastindex
        if kind == 1:
            if inside:
                raise SkeletonMismatch("nested entries")
            inside = True
            people.append([])
            dates.append(["", ""])
        elif kind == 2:
            if not inside:
                raise SkeletonMismatch("an entry end tag without a start")
            inside = False
        elif kind == 4:
            slot = 0 if match.group(3) in _PUBLISHED else 1
            if inside and not dates[-1][slot]:
                dates[-1][slot] = _text(match.group(4))
        elif kind == 5:
            person = _person(match.group(5))
            found = people[-1] if inside else []
            if (person.name or person.email or person.href) and person not in found:
                found.append(person)
        else:
            raise SkeletonMismatch(f"a <{match.group(kind or 0).decode()}> this pass cannot read")
    if inside or len(people) != items:
        raise SkeletonMismatch(f"{len(people)} entries found, {items} expected")
    return [
        EntryExtras(tuple(found_people), _names(tuple(found_people)), published, updated)
        for found_people, (published, updated) in zip(people, dates, strict=True)
    ]


@lru_cache(maxsize=1024)
def _names(people: tuple[Person, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.name or p.email for p in people if p.name or p.email))
