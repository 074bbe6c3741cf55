"""What the serving commands (run, web, demo) share: the address to listen on."""

from __future__ import annotations

import argparse


def add_bind_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--bind", help="address:port to listen on (NEWSSTAND_BIND)")


def bind_address(args: argparse.Namespace) -> tuple[str, int]:
    """``--bind``, else NEWSSTAND_BIND, as (host, port); a bracketed IPv6 host unbracketed."""
    from django.conf import settings

    bind = args.bind or settings.NEWSSTAND.bind
    host, _, port = bind.rpartition(":")
    return host.strip("[]") or "127.0.0.1", int(port)
