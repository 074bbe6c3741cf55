"""`newsstand extract FILE|URL [--url BASE_URL]`: one page's article as JSON."""

from __future__ import annotations

import argparse
import sys

from newsstand.cli.command import Command


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", help="an HTML file or an http(s) URL")
    parser.add_argument("--url", default=None, help="the page's own URL (for a file)")


def handle(args: argparse.Namespace) -> int:
    from newsstand.configuration import configuration
    from newsstand.usecases.extract_cli import extract_command

    config = configuration()
    return extract_command(
        args.source, args.url, sys.stdout, config=config.full_text, enrichment=config.enrichment
    )


COMMAND = Command(
    help="extract the article of a page file or URL and print it as JSON",
    handle=handle,
    arguments=arguments,
)
