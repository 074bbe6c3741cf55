"""JSON lines in, for the operators' tools (`newsstand classify`, `newsstand cluster`).

Each line is one article object; blank lines are skipped; a bad line raises ``BadLine``
saying what is wrong, and the tools report it with its line number and go on.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator, Sequence

from newsstand.core.errors import ParseError

Id = str | int | float


class BadLine(ParseError):
    """A line that is not an article object."""

    code = "bad_line"


def numbered_batches(lines: Iterable[str], size: int) -> Iterator[list[tuple[int, str]]]:
    """The non-blank lines with their numbers (from 1), ``size`` at a time."""
    numbered = ((n, line) for n, line in enumerate(lines, start=1) if line.strip())
    while batch := list(itertools.islice(numbered, size)):
        yield batch


def read_article(
    line: str, strings: Sequence[str], *, numbers: bool = True
) -> tuple[Id, list[str]]:
    """The ``"id"`` of one line's object and its ``strings`` fields ("" when absent), in
    that order. ``numbers``: an id may be any JSON number, else a string or an integer.
    Raises BadLine; also when the object has neither a title nor a text."""
    try:
        value = json.loads(line)
    except ValueError as exc:
        raise BadLine(f"not JSON ({exc})") from exc
    if not isinstance(value, dict):
        raise BadLine("not a JSON object")
    ident = value.get("id")
    kinds = (str, int, float) if numbers else (str, int)
    if isinstance(ident, bool) or not isinstance(ident, kinds):
        raise BadLine(
            '"id" must be a string or a number'
            if numbers
            else '"id" must be a string or an integer'
        )
    fields = [value.get(name, "") or "" for name in strings]
    if not all(isinstance(f, str) for f in fields):
        raise BadLine(f"{_listed(strings)} must be strings")
    found = dict(zip(strings, fields, strict=True))
    if not found.get("title", "").strip() and not found.get("text", "").strip():
        raise BadLine('no "title" and no "text"')
    return ident, fields


def _listed(names: Sequence[str]) -> str:
    quoted = [f'"{n}"' for n in names]
    return ", ".join(quoted[:-1]) + f" and {quoted[-1]}" if len(quoted) > 1 else quoted[0]
