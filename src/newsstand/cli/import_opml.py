"""`newsstand import-opml FILE|URL|--default`: subscribe to the feeds of an OPML document."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsstand.cli.command import Command
from newsstand.cli.database import ensure_database


def arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("source", nargs="?", help="OPML file path or http(s) URL")
    group.add_argument("--default", action="store_true", help="the curated list")


def handle(args: argparse.Namespace) -> int:
    from newsstand.configuration import configuration
    from newsstand.core.errors import NewsstandError
    from newsstand.usecases import subscribe

    ensure_database()
    try:
        if args.default:
            report = subscribe.import_opml(subscribe.default_opml())
        elif args.source.startswith(("http://", "https://")):
            report = subscribe.import_opml_url(args.source, policy=configuration().policy)
        else:
            report = subscribe.import_opml(Path(args.source).read_bytes())
    except (NewsstandError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"Added {report.added} feeds ({report.existing} already subscribed).")
    for reason in report.skipped:
        print(f"skipped: {reason}")
    if report.truncated:
        print("The document has more outlines than one import takes; the rest were ignored.")
    return 0


COMMAND = Command(
    help="subscribe to the feeds of an OPML file or URL (--default: the curated list)",
    handle=handle,
    arguments=arguments,
)
