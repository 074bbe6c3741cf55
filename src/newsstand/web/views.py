"""Reader pages. Thin: parse input, query, render."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from newsstand.articles import queries as article_queries
from newsstand.articles.models import Article, Entity
from newsstand.members import queries as member_queries
from newsstand.members import reads as member_reads
from newsstand.sources import queries as source_queries
from newsstand.sources.models import FeedState, Publisher, Section
from newsstand.stories import queries as story_queries
from newsstand.stories.models import Story
from newsstand.usecases import reading
from newsstand.web import wall
from newsstand.web.permissions import staff_with

FRONT_TOP = 12
FRONT_STORIES = 10
FRONT_PICKS = 6
TOP_PAGE_SIZE = 30
RELATED_STORIES = 5
FRONT_PER_SECTION = 6
LIST_PAGE_SIZE = 30
HEALTH_PAGE_SIZE = 100
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})?")


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """Render a reader page; every page carries the section navigation."""
    return render(request, template, {"nav_sections": source_queries.all_sections(), **context})


def _before(request: HttpRequest) -> int | None:
    """The keyset cursor ``?before=<article id>``; a malformed one means the first page."""
    raw = request.GET.get("before", "")
    return int(raw) if raw.isdigit() and len(raw) < 19 else None


def _language(request: HttpRequest) -> str | None:
    """The language filter ``?lang=xx``; anything that is not a language code means all."""
    raw = request.GET.get("lang", "")
    return raw if _LANGUAGE_CODE.fullmatch(raw) else None


def _languages(request: HttpRequest) -> dict[str, Any]:
    """Context of the language switcher: the languages present and the one chosen."""
    return {"languages": article_queries.languages_present(), "language": _language(request)}


def front_page(request: HttpRequest) -> HttpResponse:
    """Top stories with their lead articles, Our Picks, then the sections. With a language
    chosen (stories span languages), or before any story exists, the latest articles stand
    in for the top stories."""
    language = _language(request)
    stories = [] if language else story_queries.top_stories(timezone.now(), FRONT_STORIES)
    top = [] if stories else article_queries.latest_articles(FRONT_TOP, language)
    sections = source_queries.all_sections()
    blocks = article_queries.latest_by_section(sections, FRONT_PER_SECTION, language)
    return render(
        request,
        "web/front.html",
        {
            "nav_sections": sections,
            "stories": stories,
            "picks": [] if language else story_queries.picks(FRONT_PICKS),
            "top": top,
            "blocks": blocks,
            "publisher_count": source_queries.publisher_count(),
            "article_count": article_queries.article_count(),
            **_languages(request),
        },
    )


def top_stories_page(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """Stories ranked right now, overall or in one section; editors see each score's parts."""
    section = None
    if slug is not None:
        try:
            section = source_queries.section_by_slug(slug)
        except Section.DoesNotExist:
            raise Http404("No such section") from None
    stories = story_queries.top_stories(timezone.now(), TOP_PAGE_SIZE, section=section)
    return _render(
        request,
        "web/top_stories.html",
        {
            "section": section,
            "stories": stories,
            "current_section": section.slug if section else None,
            "show_scores": request.user.has_perm("stories.change_story"),
        },
    )


def story_page(request: HttpRequest, story_id: int) -> HttpResponse:
    """Full coverage: every publisher's take on one story, and the stories near it."""
    try:
        story = story_queries.story_by_id(story_id)
    except Story.DoesNotExist:
        raise Http404("No such story") from None
    return _render(
        request,
        "web/story.html",
        {
            "coverage": story_queries.coverage(story),
            "story": story,
            "related": story_queries.related(story, RELATED_STORIES),
        },
    )


def section_page(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        section = source_queries.section_by_slug(slug)
    except Section.DoesNotExist:
        raise Http404("No such section") from None
    language = _language(request)
    page = article_queries.section_page(section, _before(request), LIST_PAGE_SIZE, language)
    return _render(
        request,
        "web/section.html",
        {"section": section, "page": page, "current_section": section.slug, **_languages(request)},
    )


def publisher_page(request: HttpRequest, publisher_id: int) -> HttpResponse:
    try:
        publisher = source_queries.publisher_by_id(publisher_id)
    except Publisher.DoesNotExist:
        raise Http404("No such publisher") from None
    page = article_queries.publisher_page(publisher, _before(request), LIST_PAGE_SIZE)
    feeds = source_queries.feeds_of(publisher)
    return _render(
        request, "web/publisher.html", {"publisher": publisher, "feeds": feeds, "page": page}
    )


def article_page(request: HttpRequest, article_id: int) -> HttpResponse:
    """The article: in full for members and within a visitor's allowance, else the headline,
    the teaser and the wall (the full text is then not in the page at all)."""
    try:
        article = article_queries.article_with_relations(article_id)
    except Article.DoesNotExist:
        raise Http404("No such article") from None
    now = timezone.now()
    access = wall.article_access(request, article.pk, now)
    entities = article_queries.article_entities(article)
    story = story_queries.story_of(article)
    related = story_queries.related(story, RELATED_STORIES) if story else []
    context = {
        "article": article,
        "entities": entities,
        "story": story,
        "related": related,
        "full": access.full,
        "wall": access,
        **_member_marks(request, article, access.full, now),
    }
    response = _render(request, "web/article.html", context)
    wall.remember(request, response, access, now)
    return response


def _member_marks(
    request: HttpRequest, article: Article, full: bool, now: datetime
) -> dict[str, Any]:
    """A member's saved mark and when they last read the article; a full read is recorded
    (history, and the publisher's count)."""
    user = request.user
    if not user.is_authenticated:
        return {}
    read_before = member_reads.last_read_at(user.pk, article.pk)
    if full:
        reading.record_full_read(user.pk, article.pk, article.publisher_id, now)
    return {"saved": member_queries.is_saved(user.pk, article.pk), "read_before": read_before}


def topic_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The latest articles that name one person, organisation or place."""
    try:
        entity = article_queries.entity_by_slug(slug)
    except Entity.DoesNotExist:
        raise Http404("No such topic") from None
    page = article_queries.topic_page(entity, _before(request), LIST_PAGE_SIZE)
    related = article_queries.related_entities(entity)
    return _render(request, "web/topic.html", {"entity": entity, "page": page, "related": related})


@staff_with("sources.view_feed")
def feed_health(request: HttpRequest) -> HttpResponse:
    """Operators' view of every feed's last fetch, sorted so the broken ones come first."""
    state = request.GET.get("state", "")
    chosen = state if state in FeedState.values else None
    paginator = Paginator(source_queries.feed_health(chosen), HEALTH_PAGE_SIZE)
    return _render(
        request,
        "web/feed_health.html",
        {
            "feeds": paginator.get_page(request.GET.get("page")),
            "counts": source_queries.feed_counts_by_state(),
            "state": chosen,
        },
    )
