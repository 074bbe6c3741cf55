"""`newsstand members list [--csv]`: every member with their role and membership."""

from __future__ import annotations

import argparse
import csv
import sys

from newsstand.cli.command import Command
from newsstand.cli.database import ensure_database


def arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="every member: address, role, membership")
    listing.add_argument("--csv", action="store_true", help="CSV with a header line")


def handle(args: argparse.Namespace) -> int:
    from django.utils import timezone

    from newsstand.usecases.accounts import list_members

    ensure_database()
    rows = list_members(timezone.now())
    columns = ("email", "role", "status", "ends", "plan", "joined")
    table = [
        (
            r.email,
            r.role,
            r.status,
            r.ends.date().isoformat() if r.ends else "",
            r.plan,
            r.joined.date().isoformat(),
        )
        for r in rows
    ]
    if args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(table)
        return 0
    widths = [max([len(c), *(len(t[i]) for t in table)]) for i, c in enumerate(columns)]
    for line in [columns, *table]:
        print("  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)).rstrip())
    return 0


COMMAND = Command(
    help="list the members (members list [--csv])", handle=handle, arguments=arguments
)
