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

from django.core.cache import caches
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from newsstand.articles.models import Article, ArticleEntity, Entity
from newsstand.core.timing import ARCHIVE_AFTER
from newsstand.sources.models import Publisher, Section

ARTICLE_COUNT_CACHE_KEY = "articles:count"
ARTICLE_COUNT_CACHE_SECONDS = 60
SECTIONS_IN_USE_CACHE_KEY = "articles:sections-in-use"
PUBLISHERS_IN_USE_CACHE_KEY = "articles:publishers-in-use"
LANGUAGES_CACHE_KEY = "articles:languages-present"
LANGUAGES_CACHE_SECONDS = 600
MAX_LANGUAGES = 30
# Read-side values that may be a minute old live in each process's own memory (the
# "local" cache): the shared cache (the database by default) would turn reads into writes.
LOCAL_CACHE = "local"
# Related topics are counted over the entity's latest articles only: a bounded query.
RELATED_WINDOW = 200


@dataclass(frozen=True)
class ArticlePage:
    """One page of a newest-first list; ``next_before`` is None on the last page."""

    articles: list[Article]
    next_before: int | None


@dataclass(frozen=True)
class RelatedEntity:
    kind: str
    name: str
    slug: str
    articles: int  # how many of the entity's latest articles also name this one


def _in_language(queryset: QuerySet[Article], language: str | None) -> QuerySet[Article]:
    return queryset.filter(language=language) if language else queryset


def _for_listing(queryset: QuerySet[Article]) -> QuerySet[Article]:
    return queryset.select_related("publisher", "section").order_by("-published_at", "-id")


def latest_articles(limit: int, language: str | None = None) -> list[Article]:
    """The newest ``limit`` articles of every section and publisher (in ``language`` only,
    when given: the ``(language, -published_at)`` index)."""
    return list(_for_listing(_in_language(Article.objects.all(), language))[:limit])


def article_with_relations(article_id: int) -> Article:
    """One article with its publisher and section. Raises ``Article.DoesNotExist``."""
    return Article.objects.select_related("publisher", "section").get(pk=article_id)


def _newest_ids_per_section(
    section_ids: Sequence[int], per_section: int, language: str | None = None
) -> list[int]:
    """Ids of the newest ``per_section`` articles of each section, in one statement.

    One ``UNION ALL`` of per-section ``LIMIT`` subqueries: each part is a short walk of the
    ``(section, -published_at)`` index, and the page costs one round trip however many
    sections there are. (Django cannot slice the parts of a union on SQLite, so the
    statement is assembled from the compiled parts; their parameters stay bound.)
    """
    parts: list[str] = []
    params: list[Any] = []
    for position, section_id in enumerate(section_ids):
        part = _in_language(Article.objects.filter(section_id=section_id), language)
        part = part.order_by("-published_at", "-id")
        sql, part_params = part.values("id")[:per_section].query.sql_with_params()
        parts.append(f"SELECT * FROM ({sql}) AS part{position}")  # noqa: S608 (compiled ORM SQL)
        params.extend(part_params)
    if not parts:
        return []
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return [row[0] for row in cursor.fetchall()]


def newest_by_section(
    sections: Iterable[Section], per_section: int, language: str | None = None
) -> dict[int, list[Article]]:
    """The newest ``per_section`` articles of each section, newest first, by section id
    (sections without articles are absent). Two queries however many sections."""
    ids = _newest_ids_per_section([s.id for s in sections], per_section, language)
    by_section: dict[int, list[Article]] = {}
    for article in _for_listing(Article.objects.filter(id__in=ids)):
        if article.section_id is not None:
            by_section.setdefault(article.section_id, []).append(article)
    return by_section


def recently_found_archive(limit: int, *, window: int = 2000) -> list[Article]:
    """Archive articles found lately (``core.timing.is_archive``: first seen long after
    their publication), newest found first: looked for among the ``window`` articles
    stored last (the primary key's order), so the cost is bounded however large the
    archive."""
    recent = Article.objects.order_by("-id").values("id")[:window]
    rows = (
        Article.objects.filter(id__in=recent)
        .filter(published_at__lt=F("first_seen_at") - ARCHIVE_AFTER)
        .select_related("publisher", "section")
        .order_by("-id")
    )
    return list(rows[:limit])


def keyset_page(queryset: QuerySet[Article], before: int | None, size: int) -> ArticlePage:
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


def section_articles(section: Section, language: str | None = None) -> QuerySet[Article]:
    """A section's articles, newest first (the ``(section, -published_at)`` index)."""
    return _in_language(Article.objects.filter(section=section), language)


def publisher_articles(publisher: Publisher) -> QuerySet[Article]:
    """A publisher's articles, newest first (the ``(publisher, -published_at)`` index)."""
    return Article.objects.filter(publisher=publisher)


def article_count() -> int:
    """How many articles are stored, for the reader's footer; kept in the cache for a
    minute (a ``COUNT(*)`` reads the whole table: 11 ms at a million rows on SQLite)."""
    cache = caches[LOCAL_CACHE]
    count = cache.get(ARTICLE_COUNT_CACHE_KEY)
    if count is None:
        count = Article.objects.count()
        cache.set(ARTICLE_COUNT_CACHE_KEY, count, ARTICLE_COUNT_CACHE_SECONDS)
    return int(count)


def sections_in_use() -> list[Section]:
    """The sections that hold at least one article, in reading order: the navigation
    shows these (an empty section appears once something is filed in it). One ``EXISTS``
    a section on the ``(section, -published_at)`` index, kept in the cache for a minute."""
    cache = caches[LOCAL_CACHE]
    sections = cache.get(SECTIONS_IN_USE_CACHE_KEY)
    if sections is None:
        used = Exists(Article.objects.filter(section=OuterRef("pk")))
        sections = list(Section.objects.filter(used).order_by("position", "name"))
        cache.set(SECTIONS_IN_USE_CACHE_KEY, sections, ARTICLE_COUNT_CACHE_SECONDS)
    return list(sections)


def publishers_with_articles() -> int:
    """How many publishers have at least one article (the footer's count; subscribed
    publishers whose feeds gave nothing yet are not counted). Cached for a minute."""
    cache = caches[LOCAL_CACHE]
    count = cache.get(PUBLISHERS_IN_USE_CACHE_KEY)
    if count is None:
        used = Exists(Article.objects.filter(publisher=OuterRef("pk")))
        count = Publisher.objects.filter(used).count()
        cache.set(PUBLISHERS_IN_USE_CACHE_KEY, count, ARTICLE_COUNT_CACHE_SECONDS)
    return int(count)


def languages_present() -> list[str]:
    """The languages articles are in (codes, sorted), for the reader's language switcher.

    One ``DISTINCT`` over the ``(language, -published_at)`` index, kept in the cache for
    ten minutes: a new language shows up in the switcher within that time."""
    cache = caches[LOCAL_CACHE]
    languages = cache.get(LANGUAGES_CACHE_KEY)
    if languages is None:
        rows = (
            Article.objects.exclude(language="")
            .order_by("language")
            .values_list("language", flat=True)
            .distinct()[:MAX_LANGUAGES]
        )
        languages = list(rows)
        cache.set(LANGUAGES_CACHE_KEY, languages, LANGUAGES_CACHE_SECONDS)
    return list(languages)


def entity_by_slug(slug: str) -> Entity:
    """Raises ``Entity.DoesNotExist``."""
    return Entity.objects.get(slug=slug)


def topic_articles(entity: Entity) -> QuerySet[Article]:
    """The articles that name ``entity``, newest first."""
    return Article.objects.filter(articleentity__entity=entity)


def article_entities(article: Article, limit: int = 24) -> list[ArticleEntity]:
    """The entities an article names, most named first, each with its ``entity`` loaded."""
    links = ArticleEntity.objects.filter(article=article).select_related("entity")
    return list(links.order_by("-mentions", "entity__name")[:limit])


def related_entities(entity: Entity, limit: int = 12) -> list[RelatedEntity]:
    """The entities most often named beside ``entity`` in its latest articles, in one
    query (the latest ``RELATED_WINDOW`` articles as a subquery)."""
    latest = (
        Article.objects.filter(articleentity__entity=entity)
        .order_by("-published_at", "-id")
        .values("id")[:RELATED_WINDOW]
    )
    rows = (
        ArticleEntity.objects.filter(article_id__in=latest)
        .exclude(entity=entity)
        .values("entity__kind", "entity__name", "entity__slug")
        .annotate(articles=Count("article_id"))
        .order_by("-articles", "entity__name")[:limit]
    )
    return [
        RelatedEntity(
            kind=row["entity__kind"],
            name=row["entity__name"],
            slug=row["entity__slug"],
            articles=row["articles"],
        )
        for row in rows
    ]
