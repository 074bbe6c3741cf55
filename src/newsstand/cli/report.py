"""`newsstand report reads --month YYYY-MM [--csv]`: full reads by members per publisher for
a month, the statement a platform would pay publishers from."""

from __future__ import annotations

import argparse
import sys

from newsstand.cli.command import Command
from newsstand.cli.database import ensure_database


def arguments(parser: argparse.ArgumentParser) -> None:
    reports = parser.add_subparsers(dest="report", metavar="REPORT", required=True)
    reads = reports.add_parser("reads", help="full reads by members per publisher for a month")
    reads.add_argument("--month", required=True, help="YYYY-MM")
    reads.add_argument("--csv", action="store_true", help="CSV: month, publisher, reads, share")


def handle(args: argparse.Namespace) -> int:
    from newsstand.usecases.reads_report import BadMonth, as_csv, as_text, monthly_statement

    ensure_database()
    try:
        statement = monthly_statement(args.month)
    except BadMonth as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 2
    sys.stdout.write(as_csv(statement) if args.csv else as_text(statement))
    return 0


COMMAND = Command(
    help="reports (report reads --month YYYY-MM [--csv])", handle=handle, arguments=arguments
)
