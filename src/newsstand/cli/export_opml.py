"""`newsstand export-opml [-o FILE]`: every subscription as OPML."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsstand.cli.command import Command
from newsstand.cli.database import ensure_database


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", help="file to write (default: standard output)")


def handle(args: argparse.Namespace) -> int:
    from newsstand.usecases.subscribe import export_opml

    ensure_database()
    data = export_opml()
    if args.output:
        Path(args.output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


COMMAND = Command(help="write every subscription as OPML", handle=handle, arguments=arguments)
