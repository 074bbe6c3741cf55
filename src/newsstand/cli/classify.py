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

import argparse
import json
import sys
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from newsstand.cli.command import Command
from newsstand.cli.database import ensure_database
from newsstand.cli.jsonlines import BadLine, numbered_batches, read_article

# The classifier (scikit-learn) is imported when the command runs: `newsstand --help` loads
# every command module.
if TYPE_CHECKING:
    from newsstand.core.classify import SectionClassifier

BATCH = 512  # lines classified together (one matrix product)


@dataclass(frozen=True)
class _Item:
    id: str | int | float
    title: str
    text: str
    hint: str


def classify_lines(
    stdin: TextIO,
    stdout: TextIO,
    *,
    stderr: TextIO | None = None,
    classifier: SectionClassifier | None = None,
    sections: Collection[str] | None = None,
) -> int:
    """Classify every line of ``stdin`` onto ``stdout``; 0 when all lines were good, else 1."""
    from newsstand.core.classify import SectionClassifier
    from newsstand.core.language import detect_language

    errors = stderr if stderr is not None else sys.stderr
    model = classifier if classifier is not None else SectionClassifier.load_default()
    bad = 0
    for batch in numbered_batches(stdin, BATCH):
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
    ident, (title, text, hint) = read_article(line, ("title", "text", "language"))
    return _Item(ident, title, text, hint)


def handle(args: argparse.Namespace) -> int:
    from newsstand.configuration import configuration
    from newsstand.sources.models import Section
    from newsstand.usecases.enrich import section_classifier

    ensure_database()
    slugs = set(Section.objects.values_list("slug", flat=True))
    return classify_lines(
        sys.stdin,
        sys.stdout,
        classifier=section_classifier(configuration().enrichment),
        sections=slugs or None,
    )


COMMAND = Command(
    help="read JSON lines {id, title, text}; write {id, section, language} lines",
    handle=handle,
)
