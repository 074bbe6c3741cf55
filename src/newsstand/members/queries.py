"""Read-side queries over members' own things and the read counts, shaped for pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet, Sum

from newsstand.members.models import Plan, PublisherReads, Reading, Save


def active_plans() -> list[Plan]:
    return list(Plan.objects.filter(active=True))


def plan_by_name(name: str) -> Plan:
    """Raises ``Plan.DoesNotExist``."""
    return Plan.objects.get(name__iexact=name)


def saved(user_id: int) -> QuerySet[Save]:
    """The member's saved articles, last saved first."""
    return (
        Save.objects.filter(user_id=user_id)
        .select_related("article", "article__publisher")
        .order_by("-saved_at", "-id")
    )


def is_saved(user_id: int, article_id: int) -> bool:
    return Save.objects.filter(user_id=user_id, article_id=article_id).exists()


def history(user_id: int) -> QuerySet[Reading]:
    """The articles the member read, last read first."""
    return (
        Reading.objects.filter(user_id=user_id)
        .select_related("article", "article__publisher")
        .order_by("-read_at", "-id")
    )


@dataclass(frozen=True)
class PublisherLine:
    publisher_id: int
    publisher: str
    reads: int


def reads_by_publisher(first: date, last: date) -> list[PublisherLine]:
    """Full reads per publisher from ``first`` to ``last`` (inclusive), most read first."""
    rows = (
        PublisherReads.objects.filter(day__gte=first, day__lte=last)
        .values("publisher_id", "publisher__name")
        .annotate(total=Sum("reads"))
        .order_by("-total", "publisher__name")
    )
    return [PublisherLine(r["publisher_id"], r["publisher__name"], int(r["total"])) for r in rows]
