"""`newsstand refresh [--feed ID ...]`: fetch due feeds now and print what happened."""

from __future__ import annotations

import argparse
import json

from newsstand.cli.command import Command
from newsstand.cli.database import ensure_database


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--feed", type=int, action="append", help="feed id (repeatable)")


def handle(args: argparse.Namespace) -> int:
    from newsstand.configuration import configuration
    from newsstand.usecases.refresh import refresh_all, refresh_feeds

    ensure_database()
    config = configuration().refresh
    report = refresh_feeds(args.feed, config=config) if args.feed else refresh_all(config=config)
    print(json.dumps(report.summary()))
    return 0


COMMAND = Command(
    help="fetch due feeds (or --feed ID ...) now and print what happened",
    handle=handle,
    arguments=arguments,
)
