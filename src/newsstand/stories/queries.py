"""Read-side queries over stories, shaped for the reader pages and the admin.

Top stories are ranked among the stories active within ``CANDIDATE_HOURS`` (the
``-last_published`` index), at most ``MAX_CANDIDATES`` of them, the broadest first: the
front page costs the same with ten thousand stored articles or ten million. Their activity (articles in the velocity and
baseline windows) is counted in one grouped query over ``StoryArticle``'s
``(story, published_at)`` index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q

from newsstand.articles.models import Article
from newsstand.core.ranking import (
    RankingParams,
    StoryActivity,
    StoryScore,
    score_story,
)
from newsstand.core.stories import StorySnapshot, related_stories, unpack_vector
from newsstand.sources.models import Section
from newsstand.stories.models import PublisherWeight, Story, StoryArticle

CANDIDATE_HOURS = 48
# The broadest stories of those hours are ranked. A one-publisher story scores at most
# 1 x 2 (velocity of a first article) x 1 x weight, below any broad story still moving.
MAX_CANDIDATES = 300
RANKING = RankingParams()
RELATED_DAYS = 3  # related stories are looked for this long before and after a story
RELATED_CANDIDATES = 3000  # the broadest stories of that span are compared
MIN_RELATED = 0.35  # cosine below which a story is not called related


# --- ranking ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Candidate:
    """The few columns of a story that ranking reads (a ``Story`` has them too)."""

    pk: int
    publisher_count: int
    last_published: datetime
    section_id: int | None
    pinned: bool
    boost: float
    buried: bool


_CANDIDATE_COLUMNS = (
    "pk", "publisher_count", "last_published", "section_id", "pinned", "boost", "buried",
)  # fmt: skip


def candidate_rows(now: datetime, section: Section | None, limit: int) -> list[_Candidate]:
    """The pinned stories and the broadest stories active within CANDIDATE_HOURS, as plain
    rows (building model instances was most of the front page's cost)."""
    since = now - timedelta(hours=CANDIDATE_HOURS)
    recent = Story.objects.filter(last_published__gte=since, buried=False)
    pinned = Story.objects.filter(pinned=True, buried=False)
    if section is not None:
        recent, pinned = recent.filter(section=section), pinned.filter(section=section)
    # Two queries: one with an OR of both conditions reads the whole table.
    broadest = recent.order_by("-publisher_count", "-last_published")
    rows = {row[0]: row for row in pinned.order_by().values_list(*_CANDIDATE_COLUMNS)}
    for row in broadest.values_list(*_CANDIDATE_COLUMNS)[:limit]:
        rows.setdefault(row[0], row)
    return [_Candidate(*row) for row in rows.values()]


def _activity_counts(
    story_ids: Sequence[int], now: datetime, params: RankingParams
) -> dict[int, tuple[int, int]]:
    """(recent, earlier) article counts of each story, in one grouped query."""
    split = now - params.velocity_window
    rows = (
        StoryArticle.objects.filter(
            story_id__in=story_ids, published_at__gte=now - params.horizon, published_at__lte=now
        )
        .values("story_id")
        .annotate(
            recent=Count("pk", filter=Q(published_at__gte=split)),
            earlier=Count("pk", filter=Q(published_at__lt=split)),
        )
    )
    return {row["story_id"]: (row["recent"], row["earlier"]) for row in rows}


def _publisher_weights(stories: Sequence[Story | _Candidate]) -> dict[int, float]:
    """The mean weight of each story's publishers (1 for publishers without a weight).

    Reads only the links to weighted publishers: nothing when editors weighted none.
    """
    weights = dict(PublisherWeight.objects.values_list("publisher_id", "weight"))
    if not weights:
        return {}
    rows = (
        StoryArticle.objects.filter(
            story_id__in=[s.pk for s in stories], publisher_id__in=list(weights)
        )
        .values_list("story_id", "publisher_id")
        .distinct()
    )
    extra: dict[int, float] = {}
    for story_id, publisher_id in rows:
        extra[story_id] = extra.get(story_id, 0.0) + weights[publisher_id] - 1.0
    return {
        s.pk: 1.0 + extra[s.pk] / s.publisher_count
        for s in stories
        if s.publisher_count and s.pk in extra
    }


def activities(
    stories: Sequence[Story | _Candidate], now: datetime, params: RankingParams = RANKING
) -> list[StoryActivity]:
    """What the ranking needs of each story, in two queries (three with weights)."""
    counts = _activity_counts([s.pk for s in stories], now, params)
    weights = _publisher_weights(stories)
    return [
        StoryActivity(
            key=s.pk,
            publishers=s.publisher_count,
            recent=counts.get(s.pk, (0, 0))[0],
            earlier=counts.get(s.pk, (0, 0))[1],
            last_published=s.last_published,
            publisher_weight=weights.get(s.pk, 1.0),
            section=s.section_id,
            pinned=s.pinned,
            boost=s.boost,
            buried=s.buried,
        )
        for s in stories
    ]


def scores_of(
    stories: Sequence[Story], now: datetime, params: RankingParams = RANKING
) -> dict[int, StoryScore]:
    """Each story's score and its parts (for the admin)."""
    return {a.key: score_story(a, now, params) for a in activities(stories, now, params)}


def picks(limit: int) -> list[Story]:
    """Our Picks, the latest picked first."""
    stories = Story.objects.filter(pick=True, buried=False).select_related("headline_article")
    return list(stories.order_by("-picked_at", "-id")[:limit])


# --- one story ----------------------------------------------------------------------------


def story_by_id(story_id: int) -> Story:
    """Raises ``Story.DoesNotExist``."""
    return Story.objects.select_related("section", "headline_article").get(pk=story_id)


def story_of(article: Article) -> Story | None:
    link = StoryArticle.objects.filter(article=article).select_related("story").first()
    return link.story if link else None


# --- related stories ------------------------------------------------------------------------


def related(story: Story, k: int) -> list[Story]:
    """The ``k`` stories nearest to ``story`` by centroid (never itself), among the
    broadest stories active within RELATED_DAYS of it."""
    span = timedelta(days=RELATED_DAYS)
    rows = (
        Story.objects.filter(
            last_published__gte=story.first_published - span,
            first_published__lte=story.last_published + span,
        )
        .exclude(pk=story.pk)
        .order_by("-publisher_count", "-last_published")
        .values_list("pk", "centroid", "first_published", "last_published")[:RELATED_CANDIDATES]
    )
    candidates = [
        StorySnapshot(pk, unpack_vector(bytes(centroid)), 1, {}, {}, first, last)
        for pk, centroid, first, last in rows
    ]
    nearest = related_stories(unpack_vector(bytes(story.centroid)), candidates, k, story.pk)
    ids = [int(pk) for pk, cosine in nearest if cosine >= MIN_RELATED]
    found = Story.objects.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]
