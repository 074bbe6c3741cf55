"""Read-side queries over sections, publishers and feeds, shaped for the reader pages."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When

from newsstand.sources.models import Feed, FeedState, Publisher, Section

# Feed-health order: the feeds that need an operator first.
_STATE_RANK = {FeedState.FAILING: 0, FeedState.GONE: 1, FeedState.ACTIVE: 2}


def all_sections() -> list[Section]:
    """Every section in reading order (for the navigation)."""
    return list(Section.objects.order_by("position", "name"))


def section_by_slug(slug: str) -> Section:
    """Raises ``Section.DoesNotExist``."""
    return Section.objects.get(slug=slug)


def publisher_by_id(publisher_id: int) -> Publisher:
    """Raises ``Publisher.DoesNotExist``."""
    return Publisher.objects.get(pk=publisher_id)


def feeds_of(publisher: Publisher) -> list[Feed]:
    return list(publisher.feeds.select_related("section_hint").order_by("title", "url"))


def publisher_count() -> int:
    return Publisher.objects.count()


def feed_health(state: str | None = None) -> QuerySet[Feed]:
    """Feeds for the operators' health page: failing first, then gone, then active.

    Within a state the longest error streak comes first. Each feed carries
    ``article_count``. ``state`` (one of ``FeedState``) keeps only that state; any other
    value is ignored by the caller's validation, not here.
    """
    rank = Case(
        *(When(state=s, then=Value(r)) for s, r in _STATE_RANK.items()),
        default=Value(len(_STATE_RANK)),
        output_field=IntegerField(),
    )
    feeds = Feed.objects.select_related("publisher").annotate(
        state_rank=rank, article_count=Count("articlefeed")
    )
    if state is not None:
        feeds = feeds.filter(state=state)
    return feeds.order_by("state_rank", "-error_streak", "publisher__name", "url")


def feed_counts_by_state() -> dict[str, int]:
    """Number of feeds in each state (every state present, zero when empty)."""
    counts = {s.value: 0 for s in FeedState}
    for row in Feed.objects.values("state").annotate(n=Count("id")).order_by():
        counts[row["state"]] = row["n"]
    return counts
