"""`newsstand classify`: sections and languages of articles given as JSON lines.

Reads lines ``{"id": ..., "title": "...", "text": "..."}`` (optionally ``"language"``, the
source's declared language, used as a hint) and writes ``{"id", "section", "language"}``
lines in the same order. A bad line (not JSON, not an object, no id, title or text not
strings) gets an error line on standard error and is skipped; the others go on.

The command line wires it with the classifier and sections the pipeline uses (the
operator's model when there is one, the taxonomy's slugs); by default it uses the model
shipped in the package and all of its sections.
"""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import TextIO

from newsstand.core.classify import SectionClassifier
from newsstand.core.errors import ParseError
from newsstand.core.language import detect_language

BATCH = 512  # lines classified together (one matrix product)


@dataclass(frozen=True)
class _Item:
    id: str | int | float
    title: str
    text: str
    hint: str


class BadLine(ParseError):
    """A line that is not an article object."""

    code = "bad_line"


def classify_lines(
    stdin: TextIO,
    stdout: TextIO,
    *,
    stderr: TextIO | None = None,
    classifier: SectionClassifier | None = None,
    sections: Collection[str] | None = None,
) -> int:
    """Classify every line of ``stdin`` onto ``stdout``; 0 when all lines were good, else 1."""
    errors = stderr if stderr is not None else sys.stderr
    model = classifier if classifier is not None else SectionClassifier.load_default()
    bad = 0
    for batch in _batches(_numbered(stdin), BATCH):
        items: list[_Item] = []
        for number, line in batch:
            try:
                items.append(parse_line(line))
            except BadLine as exc:
                bad += 1
                errors.write(f"line {number}: {exc}\n")
        found = model.predict_many(((i.title, i.text) for i in items), sections=sections)
        for item, (section, _) in zip(items, found, strict=True):
            language = detect_language(f"{item.title}\n{item.text}", hint=item.hint)
            record = {"id": item.id, "section": section, "language": language}
            stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        stdout.flush()
    return 1 if bad else 0


def parse_line(line: str) -> _Item:
    """The article of one input line. Raises BadLine saying what is wrong."""
    try:
        value = json.loads(line)
    except ValueError as exc:
        raise BadLine(f"not JSON ({exc})") from exc
    if not isinstance(value, dict):
        raise BadLine("not a JSON object")
    ident = value.get("id")
    if isinstance(ident, bool) or not isinstance(ident, str | int | float):
        raise BadLine('"id" must be a string or a number')
    title, text, hint = value.get("title", ""), value.get("text", ""), value.get("language", "")
    if not isinstance(title, str) or not isinstance(text, str) or not isinstance(hint, str):
        raise BadLine('"title", "text" and "language" must be strings')
    if not title.strip() and not text.strip():
        raise BadLine('no "title" and no "text"')
    return _Item(ident, title, text, hint)


def _numbered(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield number, line


def _batches(lines: Iterator[tuple[int, str]], size: int) -> Iterator[list[tuple[int, str]]]:
    while batch := list(itertools.islice(lines, size)):
        yield batch
