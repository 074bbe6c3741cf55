"""Read-side queries over stories, shaped for the reader pages and the admin.

Top stories are ranked among the stories active within ``CANDIDATE_HOURS`` (the
``-last_published`` index), at most ``MAX_CANDIDATES`` of them, the broadest first: the
front page costs the same with ten thousand stored articles or ten million. Their activity (articles in the velocity and
baseline windows) is counted in one grouped query over ``StoryArticle``'s
``(story, published_at)`` index.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Q

from newsstand.articles.models import Article
from newsstand.core.ranking import (
    RankingParams,
    StoryActivity,
    StoryScore,
    rank_stories,
    score_story,
)
from newsstand.core.stories import StorySnapshot, related_stories, unpack_vector
from newsstand.sources.models import Publisher, Section
from newsstand.stories.models import PublisherWeight, Story, StoryArticle

CANDIDATE_HOURS = 48
# The broadest stories of those hours are ranked. A one-publisher story scores at most
# 1 x 2 (velocity of a first article) x 1 x weight, below any broad story still moving.
MAX_CANDIDATES = 300
MAX_TAKES = 300  # articles listed on a story page
LATEST_DEVELOPMENTS = 5
MORE_PUBLISHERS = 3  # publishers named in "N more from X, Y, Z"
RANKING = RankingParams()
RELATED_DAYS = 3  # related stories are looked for this long before and after a story
RELATED_CANDIDATES = 3000  # the broadest stories of that span are compared
MIN_RELATED = 0.35  # cosine below which a story is not called related


@dataclass(frozen=True)
class TopStory:
    """A ranked story with what the front page shows of it."""

    story: Story
    score: StoryScore
    lead: Article | None
    more: int  # articles besides the lead
    more_from: list[str]  # a few other publishers' names


@dataclass(frozen=True)
class Take:
    """One publisher's article on a story, with the near-copies folded under it."""

    article: Article
    copies: list[Article] = field(default_factory=list)


@dataclass(frozen=True)
class Coverage:
    """Everything the story page shows."""

    story: Story
    takes: list[Take]  # oldest first (the timeline)
    by_publisher: list[tuple[Publisher, int]]
    by_country: list[tuple[str, int]]
    first: Article | None
    latest: list[Article]
    shown: int  # articles listed (at most MAX_TAKES)


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


def _candidates(now: datetime, section: Section | None, limit: int) -> list[_Candidate]:
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


def top_stories(
    now: datetime,
    limit: int,
    *,
    section: Section | None = None,
    params: RankingParams = RANKING,
) -> list[TopStory]:
    """The ``limit`` best stories right now (of ``section`` when given), with their leads."""
    candidates = _candidates(now, section, MAX_CANDIDATES)
    if not candidates:
        return []
    ranked = rank_stories(activities(candidates, now, params), now, params, limit=limit)
    found = Story.objects.in_bulk([score.key for score in ranked])
    chosen = [found[score.key] for score in ranked]
    leads = _leads(chosen)
    names = _publisher_names(chosen)
    result = []
    for score, story in zip(ranked, chosen, strict=True):
        lead = leads.get(story.headline_article_id or 0)
        result.append(
            TopStory(
                story=story,
                score=score,
                lead=lead,
                more=max(0, story.article_count - 1),
                more_from=_other_publishers(story, lead, names),
            )
        )
    return result


def _leads(stories: Iterable[Story]) -> dict[int, Article]:
    ids = [s.headline_article_id for s in stories if s.headline_article_id]
    leads = Article.objects.filter(pk__in=ids).select_related("publisher", "section")
    return {a.pk: a for a in leads}


def _top_publisher_ids(story: Story, limit: int) -> list[int]:
    counts = sorted(story.publishers.items(), key=lambda item: (-item[1], item[0]))
    return [int(pid) for pid, _ in counts[:limit] if str(pid).isdigit()]


def _publisher_names(stories: Iterable[Story]) -> dict[int, str]:
    ids = {pid for s in stories for pid in _top_publisher_ids(s, MORE_PUBLISHERS + 1)}
    return dict(Publisher.objects.filter(pk__in=ids).values_list("id", "name"))


def _other_publishers(story: Story, lead: Article | None, names: dict[int, str]) -> list[str]:
    lead_publisher = lead.publisher_id if lead else None
    others = [
        names[pid]
        for pid in _top_publisher_ids(story, MORE_PUBLISHERS + 1)
        if pid != lead_publisher and pid in names
    ]
    return others[:MORE_PUBLISHERS]


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


def coverage(story: Story) -> Coverage:
    """The story's articles as a timeline of takes (near-copies folded under the article
    they copy), counts by publisher and country, the first report and the latest ones."""
    links = list(
        StoryArticle.objects.filter(story=story)
        .select_related("article__publisher", "article__section")
        .order_by("published_at", "article_id")[:MAX_TAKES]
    )
    articles = [link.article for link in links]
    return Coverage(
        story=story,
        takes=_takes(links),
        by_publisher=_by_publisher(story),
        by_country=_by_country(story),
        first=articles[0] if articles else None,
        latest=_latest(story),
        shown=len(articles),
    )


def _takes(links: Sequence[StoryArticle]) -> list[Take]:
    shown = {link.article_id for link in links}
    takes: dict[int, Take] = {}
    for link in links:
        canonical = link.duplicate_of_id
        if canonical is not None and canonical in shown and canonical in takes:
            takes[canonical].copies.append(link.article)
        else:
            takes[link.article_id] = Take(link.article)
    return list(takes.values())


def _by_publisher(story: Story) -> list[tuple[Publisher, int]]:
    rows = (
        StoryArticle.objects.filter(story=story)
        .values("publisher_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "publisher_id")[:50]
    )
    counts = {row["publisher_id"]: row["n"] for row in rows}
    publishers = Publisher.objects.in_bulk(list(counts))
    return [(publishers[pid], n) for pid, n in counts.items() if pid in publishers]


def _by_country(story: Story) -> list[tuple[str, int]]:
    rows = (
        StoryArticle.objects.filter(story=story)
        .values("publisher__country")
        .annotate(n=Count("pk"))
        .order_by("-n", "publisher__country")
    )
    return [(row["publisher__country"] or "", row["n"]) for row in rows]


def _latest(story: Story) -> list[Article]:
    links = (
        StoryArticle.objects.filter(story=story)
        .select_related("article__publisher")
        .order_by("-published_at", "-article_id")[:LATEST_DEVELOPMENTS]
    )
    return [link.article for link in links]


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
