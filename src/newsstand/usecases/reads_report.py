"""The monthly statement of full reads per publisher: what a platform would pay from.

Each line is a publisher and its members' full reads in the month (each read counted once
per member, article and day); the share is its part of all reads. The same statement is
printed by ``newsstand report reads`` and shown in the admin."""

from __future__ import annotations

import calendar
import csv
import io
import re
from dataclasses import dataclass
from datetime import date

from newsstand.core.errors import NewsstandError
from newsstand.members.queries import PublisherLine, reads_by_publisher

_MONTH = re.compile(r"(\d{4})-(\d{2})")


class BadMonth(NewsstandError):
    """The month is not written YYYY-MM."""

    code = "bad_month"


@dataclass(frozen=True)
class Statement:
    month: str
    first: date
    last: date
    lines: list[PublisherLine]

    @property
    def total(self) -> int:
        return sum(line.reads for line in self.lines)

    def share(self, line: PublisherLine) -> float:
        return line.reads / self.total if self.total else 0.0


def month_bounds(month: str) -> tuple[date, date]:
    """The first and last day of ``YYYY-MM``; raises ``BadMonth``."""
    match = _MONTH.fullmatch(month.strip())
    if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1:
        raise BadMonth(f"Not a month: {month[:40]!r} (write YYYY-MM, e.g. 2026-12)")
    year, number = int(match[1]), int(match[2])
    return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])


def monthly_statement(month: str) -> Statement:
    first, last = month_bounds(month)
    return Statement(month.strip(), first, last, reads_by_publisher(first, last))


def as_csv(statement: Statement) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["month", "publisher_id", "publisher", "reads", "share"])
    for line in statement.lines:
        share = f"{statement.share(line):.6f}"
        writer.writerow([statement.month, line.publisher_id, line.publisher, line.reads, share])
    return out.getvalue()


def as_text(statement: Statement) -> str:
    width = max([len(line.publisher) for line in statement.lines] + [9])
    rows = [f"Full reads by members, {statement.first:%d %B %Y} to {statement.last:%d %B %Y}", ""]
    rows.append(f"{'publisher':<{width}}  {'reads':>9}  {'share':>7}")
    for line in statement.lines:
        rows.append(f"{line.publisher:<{width}}  {line.reads:>9}  {statement.share(line):>7.2%}")
    rows.append(f"{'total':<{width}}  {statement.total:>9}  {1 if statement.total else 0:>7.2%}")
    return "\n".join(rows) + "\n"
