"""`newsstand classify`: JSON lines {id, title, text} in, {id, section, language} out."""

from __future__ import annotations

import argparse
import sys

from newsstand.cli.command import Command
from newsstand.cli.database import ensure_database


def handle(args: argparse.Namespace) -> int:
    from newsstand.configuration import configuration
    from newsstand.sources.models import Section
    from newsstand.usecases.classify_cli import classify_lines
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
