"""A story's full coverage, shaped for its page: the top coverage, a timeline, the rest of
its articles a page at a time (or all at once), and who covered it.

One grouped read of the story's links (a few columns a row, at most ``MAX_READ``) feeds
every part; only the articles a page shows are then loaded whole.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from newsstand.articles.models import Article
from newsstand.core.countries import publisher_country
from newsstand.core.coverage import (
    CoverageCandidate,
    TimelinePoint,
    timeline,
    top_coverage,
)
from newsstand.sources.models import Publisher
from newsstand.stories.models import Story, StoryArticle

PAGE_SIZE = 30  # articles a page of "all coverage" lists
MAX_READ = 5000  # links of one story read for its page (the newest, beyond that)
MAX_ALL = 2000  # articles "show all" lists at most


@dataclass(frozen=True)
class Take:
    """One publisher's article on a story, with the near-copies folded under it."""

    article: Article
    copies: list[Article] = field(default_factory=list)


@dataclass(frozen=True)
class Step:
    """A step of the timeline with its first article."""

    point: TimelinePoint
    first: Article | None  # its earliest article that is not a copy


@dataclass(frozen=True)
class Coverage:
    """Everything the story page shows."""

    story: Story
    top: list[Take]  # a few articles that tell the story best, their copies folded in
    steps: list[Step]  # the timeline
    takes: list[Take]  # this page of the other articles, newest first
    page: int
    pages: int
    show_all: bool
    rest: int  # how many articles besides the top coverage
    by_publisher: list[tuple[Publisher, int]]  # every publisher, most articles first
    by_country: list[tuple[str, int]]  # known countries only, most articles first
    first: Article | None


@dataclass(frozen=True, slots=True)
class _Link:
    article_id: int
    publisher_id: int
    published: datetime
    duplicate_of: int | None
    words: int
    country: str


def _links(story: Story) -> list[_Link]:
    rows = (
        StoryArticle.objects.filter(story=story)
        .order_by("-published_at", "-article_id")
        .values_list(
            "article_id",
            "publisher_id",
            "published_at",
            "duplicate_of_id",
            "article__word_count",
            "publisher__country",
            "publisher__host",
            "publisher__language",
        )[:MAX_READ]
    )
    return [
        _Link(aid, pid, when, dup, words or 0, publisher_country(country, host, language))
        for aid, pid, when, dup, words, country, host, language in rows
    ]


def coverage(story: Story, *, page: int = 1, show_all: bool = False) -> Coverage:
    """The story page's parts; ``page`` (from 1) of the other articles, or all of them."""
    links = _links(story)
    candidates = [
        CoverageCandidate(
            link.article_id,
            link.publisher_id,
            link.country,
            link.published,
            link.words,
            link.duplicate_of is not None,
        )
        for link in links
    ]
    top_ids = top_coverage(candidates)
    points = timeline(candidates)
    chosen = set(top_ids)
    copies = [
        link for link in links if link.duplicate_of in chosen and link.article_id not in chosen
    ]
    rest = [
        link for link in links if link.article_id not in chosen and link.duplicate_of not in chosen
    ]
    pages = max(1, -(-len(rest) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    shown = rest[:MAX_ALL] if show_all else rest[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    wanted = {
        *top_ids,
        *(p.first for p in points if p.first is not None),
        *(link.article_id for link in [*shown, *copies]),
    }
    oldest = min(links, key=lambda link: (link.published, link.article_id), default=None)
    if oldest is not None:
        wanted.add(oldest.article_id)
    articles = Article.objects.select_related("publisher", "section").in_bulk(list(wanted))
    return Coverage(
        story=story,
        top=_top_takes(top_ids, copies, articles),
        steps=[Step(p, articles.get(p.first) if p.first else None) for p in points],
        takes=_takes(shown, articles),
        page=page,
        pages=pages,
        show_all=show_all,
        rest=len(rest),
        by_publisher=_by_publisher(links),
        by_country=_by_country(links),
        first=articles.get(oldest.article_id) if oldest else None,
    )


def _top_takes(
    top_ids: Sequence[int], copies: Sequence[_Link], articles: dict[int, Article]
) -> list[Take]:
    takes = {a: Take(articles[a]) for a in top_ids if a in articles}
    for link in copies:
        if link.duplicate_of in takes and link.article_id in articles:
            takes[link.duplicate_of].copies.append(articles[link.article_id])
    return list(takes.values())


def _takes(links: Sequence[_Link], articles: dict[int, Article]) -> list[Take]:
    """Near-copies folded under their canonical article when it is on the same page."""
    on_page = {link.article_id for link in links}
    takes: dict[int, Take] = {}
    for link in links:
        article = articles.get(link.article_id)
        if article is None:
            continue
        canonical = link.duplicate_of
        if canonical is not None and canonical in on_page and canonical in takes:
            takes[canonical].copies.append(article)
        else:
            takes[link.article_id] = Take(article)
    return list(takes.values())


def _by_publisher(links: Sequence[_Link]) -> list[tuple[Publisher, int]]:
    counts = Counter(link.publisher_id for link in links)
    publishers = Publisher.objects.only("id", "name").in_bulk(list(counts))
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [(publishers[pid], n) for pid, n in ordered if pid in publishers]


def _by_country(links: Sequence[_Link]) -> list[tuple[str, int]]:
    counts = Counter(link.country for link in links if link.country)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
