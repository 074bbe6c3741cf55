"""Read-side queries over articles, shaped for the reader pages.

Every list is ordered newest first by ``(published_at, id)`` and follows one of the two
"latest" indexes, ``(section, -published_at)`` or ``(publisher, -published_at)``, so a page
costs the same with a hundred articles or a million. Lists page by keyset (``before`` = the
id of the last article shown), never by OFFSET.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from newsstand.articles.models import Article
from newsstand.sources.models import Publisher, Section


@dataclass(frozen=True)
class ArticlePage:
    """One page of a newest-first list; ``next_before`` is None on the last page."""

    articles: list[Article]
    next_before: int | None


@dataclass(frozen=True)
class SectionBlock:
    section: Section
    articles: list[Article]


def _for_listing(queryset: QuerySet[Article]) -> QuerySet[Article]:
    return queryset.select_related("publisher", "section").order_by("-published_at", "-id")


def latest_articles(limit: int) -> list[Article]:
    """The newest ``limit`` articles of every section and publisher."""
    return list(_for_listing(Article.objects.all())[:limit])


def article_with_relations(article_id: int) -> Article:
    """One article with its publisher and section. Raises ``Article.DoesNotExist``."""
    return Article.objects.select_related("publisher", "section").get(pk=article_id)


def _newest_ids_per_section(section_ids: Sequence[int], per_section: int) -> list[int]:
    """Ids of the newest ``per_section`` articles of each section, in one statement.

    One ``UNION ALL`` of per-section ``LIMIT`` subqueries: each part is a short walk of the
    ``(section, -published_at)`` index, and the page costs one round trip however many
    sections there are. (Django cannot slice the parts of a union on SQLite, so the
    statement is assembled from the compiled parts; their parameters stay bound.)
    """
    parts: list[str] = []
    params: list[Any] = []
    for position, section_id in enumerate(section_ids):
        part = Article.objects.filter(section_id=section_id).order_by("-published_at", "-id")
        sql, part_params = part.values("id")[:per_section].query.sql_with_params()
        parts.append(f"SELECT * FROM ({sql}) AS part{position}")  # noqa: S608 (compiled ORM SQL)
        params.extend(part_params)
    if not parts:
        return []
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return [row[0] for row in cursor.fetchall()]


def latest_by_section(sections: Iterable[Section], per_section: int) -> list[SectionBlock]:
    """A block of the newest articles for each section that has any, in section order.

    Costs two queries however many sections and articles there are.
    """
    sections = list(sections)
    ids = _newest_ids_per_section([s.id for s in sections], per_section)
    by_section: dict[int, list[Article]] = {}
    for article in _for_listing(Article.objects.filter(id__in=ids)):
        if article.section_id is not None:
            by_section.setdefault(article.section_id, []).append(article)
    return [
        SectionBlock(section=s, articles=by_section[s.id]) for s in sections if s.id in by_section
    ]


def _keyset_page(queryset: QuerySet[Article], before: int | None, size: int) -> ArticlePage:
    """The ``size`` newest articles of ``queryset`` older than the article ``before``.

    An unknown ``before`` id gives an empty page (never an error: it comes from the URL).
    """
    queryset = _for_listing(queryset)
    if before is not None:
        anchor = Article.objects.filter(pk=before).values("published_at").first()
        if anchor is None:
            return ArticlePage(articles=[], next_before=None)
        published_at = anchor["published_at"]
        # (published_at, id) < (anchor): the <= bound lets the index seek to the anchor.
        queryset = queryset.filter(published_at__lte=published_at).filter(
            Q(published_at__lt=published_at) | Q(id__lt=before)
        )
    rows = list(queryset[: size + 1])
    articles = rows[:size]
    next_before = articles[-1].id if len(rows) > size else None
    return ArticlePage(articles=articles, next_before=next_before)


def section_page(section: Section, before: int | None, size: int) -> ArticlePage:
    """Newest-first page of a section's articles (``(section, -published_at)`` index)."""
    return _keyset_page(Article.objects.filter(section=section), before, size)


def publisher_page(publisher: Publisher, before: int | None, size: int) -> ArticlePage:
    """Newest-first page of a publisher's articles (``(publisher, -published_at)`` index)."""
    return _keyset_page(Article.objects.filter(publisher=publisher), before, size)


def article_count() -> int:
    return Article.objects.count()
