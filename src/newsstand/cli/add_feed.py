"""`newsstand add-feed URL [--section SLUG] [--title TEXT]`: subscribe to a feed."""

from __future__ import annotations

import argparse
import sys

from newsstand.cli.command import Command
from newsstand.cli.database import ensure_database


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url")
    parser.add_argument("--section", default="", help="section slug or name")
    parser.add_argument("--title", default="")


def handle(args: argparse.Namespace) -> int:
    from newsstand.core.errors import NewsstandError
    from newsstand.usecases.subscribe import add_feed

    ensure_database()
    try:
        feed, created = add_feed(args.url, title=args.title, section=args.section)
    except NewsstandError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 2
    print(f"{'Added' if created else 'Already subscribed:'} feed {feed.pk} {feed.url}")
    return 0


COMMAND = Command(help="subscribe to a feed by URL", handle=handle, arguments=arguments)
