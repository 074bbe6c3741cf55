"""`newsstand web`: the web server only."""

from __future__ import annotations

import argparse

from newsstand.cli.command import Command
from newsstand.cli.database import migrate
from newsstand.cli.serving import add_bind_argument, bind_address


def handle(args: argparse.Namespace) -> int:
    from newsstand.processes import serve_web

    migrate()
    serve_web(*bind_address(args))
    return 0


COMMAND = Command(help="the web server only", handle=handle, arguments=add_bind_argument)
