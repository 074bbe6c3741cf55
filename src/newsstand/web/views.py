"""Reader pages. Thin: parse input, query, render.

Every list shows stories, one line per event (``stories.lines``); the pictures a page
shows are looked up once for the whole page (``web.pictures``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from itertools import chain
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from newsstand.articles import queries as article_queries
from newsstand.articles.models import Article, Entity
from newsstand.core.images import html_images
from newsstand.members import queries as member_queries
from newsstand.members import reads as member_reads
from newsstand.sources import queries as source_queries
from newsstand.sources.models import FeedState, Publisher, Section
from newsstand.stories import lines as story_lines
from newsstand.stories import queries as story_queries
from newsstand.stories.coverage import coverage
from newsstand.stories.lines import StoryLine
from newsstand.stories.models import Story
from newsstand.usecases import reading
from newsstand.web import wall
from newsstand.web.permissions import staff_with
from newsstand.web.pictures import pictures_for

FRONT_STORIES = 9  # a lead, four beside it, four below
FRONT_PICKS = 6
FRONT_ARCHIVE = 4
FRONT_PER_SECTION = 4
TOP_PAGE_SIZE = 30
RELATED_STORIES = 5
RELATED_TAKES_FOR = 1  # top stories shown with other publishers' headlines
LIST_PAGE_SIZE = 30
HEALTH_PAGE_SIZE = 100
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})?")


def _before(request: HttpRequest) -> int | None:
    """The keyset cursor ``?before=<article id>``; a malformed one means the first page."""
    raw = request.GET.get("before", "")
    return int(raw) if raw.isdigit() and len(raw) < 19 else None


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "")
    return int(raw) if raw.isdigit() and len(raw) < 6 else 1


def _language(request: HttpRequest) -> str | None:
    """The language filter ``?lang=xx``; anything that is not a language code means all."""
    raw = request.GET.get("lang", "")
    return raw if _LANGUAGE_CODE.fullmatch(raw) else None


def _languages(request: HttpRequest) -> dict[str, Any]:
    """Context of the language switcher: the languages present and the one chosen."""
    return {"languages": article_queries.languages_present(), "language": _language(request)}


def _picture_urls(lines: Iterable[StoryLine]) -> Iterable[str]:
    for line in lines:
        yield from line.image_urls
        yield line.lead.publisher.favicon


def _list(request: HttpRequest, articles: QuerySet[Article], *urls: str) -> dict[str, Any]:
    """A page of ``articles`` as story lines, with the pictures it shows (and ``urls``'),
    for the section, publisher and topic pages."""
    page = story_lines.lines_page(articles, _before(request), LIST_PAGE_SIZE)
    return {"page": page, "pictures": pictures_for([*urls, *_picture_urls(page.lines)])}


def front_page(request: HttpRequest) -> HttpResponse:
    """Top stories, Our Picks, archive finds, then each section's stories. With a
    language chosen (stories span languages), the newest articles of that language
    stand in for the ranking."""
    language = _language(request)
    sections = article_queries.sections_in_use()
    if language:
        page = story_lines.front_page_in(
            language, sections, top=FRONT_STORIES, per_section=FRONT_PER_SECTION
        )
    else:
        page = story_lines.front_page(
            timezone.now(), sections, top=FRONT_STORIES, per_section=FRONT_PER_SECTION
        )
    top = story_lines.with_related(page.top, RELATED_TAKES_FOR)
    archive = [] if language else story_lines.archive_lines(FRONT_ARCHIVE, shown=page.shown)
    lines = list(chain(top, archive, *(block.lines for block in page.blocks)))
    return render(
        request,
        "web/front.html",
        {
            "nav_sections": sections,
            "top": top,
            "picks": [] if language else story_queries.picks(FRONT_PICKS),
            "archive": archive,
            "blocks": page.blocks,
            "pictures": pictures_for(_picture_urls(lines)),
            **_languages(request),
        },
    )


def top_stories_page(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """Stories ranked right now, overall or in one section; editors see each score's parts."""
    section = _section(slug) if slug is not None else None
    lines = story_lines.top_stories(timezone.now(), TOP_PAGE_SIZE, section=section)
    return render(
        request,
        "web/top_stories.html",
        {
            "section": section,
            "lines": lines,
            "current_section": section.slug if section else None,
            "show_scores": request.user.has_perm("stories.change_story"),
            "pictures": pictures_for(_picture_urls(lines)),
        },
    )


def story_page(request: HttpRequest, story_id: int) -> HttpResponse:
    """Full coverage: the top coverage, a timeline, then every other article a page at a
    time (``?all=1``: all at once), who covered it, and the stories near it."""
    try:
        story = story_queries.story_by_id(story_id)
    except Story.DoesNotExist:
        raise Http404("No such story") from None
    found = coverage(story, page=_page_number(request), show_all=request.GET.get("all") == "1")
    urls = [take.article.image for take in found.top]
    return render(
        request,
        "web/story.html",
        {
            "coverage": found,
            "story": story,
            "related": story_queries.related(story, RELATED_STORIES),
            "pictures": pictures_for(urls),
            "current_section": story.section.slug if story.section else None,
        },
    )


def _section(slug: str) -> Section:
    try:
        return source_queries.section_by_slug(slug)
    except Section.DoesNotExist:
        raise Http404("No such section") from None


def section_page(request: HttpRequest, slug: str) -> HttpResponse:
    section = _section(slug)
    articles = article_queries.section_articles(section, _language(request))
    return render(
        request,
        "web/section.html",
        {
            "section": section,
            "current_section": section.slug,
            **_list(request, articles),
            **_languages(request),
        },
    )


def publisher_page(request: HttpRequest, publisher_id: int) -> HttpResponse:
    try:
        publisher = source_queries.publisher_by_id(publisher_id)
    except Publisher.DoesNotExist:
        raise Http404("No such publisher") from None
    articles = article_queries.publisher_articles(publisher)
    return render(
        request,
        "web/publisher.html",
        {
            "publisher": publisher,
            "feeds": source_queries.feeds_of(publisher),
            **_list(request, articles, publisher.favicon),
        },
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
    story = story_queries.story_of(article)
    figures = [image.url for image in html_images(article.content)] if access.full else []
    context = {
        "article": article,
        "entities": article_queries.article_entities(article),
        "story": story,
        "related": story_queries.related(story, RELATED_STORIES) if story else [],
        "pictures": pictures_for([article.image, article.publisher.favicon, *figures]),
        "current_section": article.section.slug if article.section else None,
        "full": access.full,
        "wall": access,
        **_member_marks(request, article, access.full, now),
    }
    response = render(request, "web/article.html", context)
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
    """The latest stories that name one person, organisation or place."""
    try:
        entity = article_queries.entity_by_slug(slug)
    except Entity.DoesNotExist:
        raise Http404("No such topic") from None
    articles = article_queries.topic_articles(entity)
    return render(
        request,
        "web/topic.html",
        {
            "entity": entity,
            "related": article_queries.related_entities(entity),
            **_list(request, articles),
        },
    )


def feed_health(request: HttpRequest) -> HttpResponse:
    """Operators' view of every feed's last fetch, sorted so the broken ones come first.
    In the demo (``NEWSSTAND_DEMO``) every visitor may read it, without its admin links."""
    if settings.NEWSSTAND_DEMO and not request.user.has_perm("sources.view_feed"):
        return _feed_health(request, read_only=True)
    return _operators_feed_health(request)


@staff_with("sources.view_feed")
def _operators_feed_health(request: HttpRequest) -> HttpResponse:
    return _feed_health(request, read_only=False)


def _feed_health(request: HttpRequest, *, read_only: bool) -> HttpResponse:
    state = request.GET.get("state", "")
    chosen = state if state in FeedState.values else None
    paginator = Paginator(source_queries.feed_health(chosen), HEALTH_PAGE_SIZE)
    return render(
        request,
        "web/feed_health.html",
        {
            "feeds": paginator.get_page(request.GET.get("page")),
            "counts": source_queries.feed_counts_by_state(),
            "state": chosen,
            "read_only": read_only,
        },
    )
