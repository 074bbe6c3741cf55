"""What every page drawn with the reader's base template may use, whoever renders it (the
reader's views, the error pages, the account pages): the sections for the masthead, the
footer's counts, the interface languages, the trial's length (the wall and the sign-up
pages offer it). Each query runs only if the template reads its value, and is cached
(``articles.queries``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from newsstand.articles import queries as article_queries


def reader(request: HttpRequest) -> dict[str, Any]:
    return {
        "nav_sections": SimpleLazyObject(article_queries.sections_in_use),
        "site_counts": SimpleLazyObject(_site_counts),
        "interface_languages": settings.LANGUAGES,
        "today": timezone.now,
        "trial_days": settings.NEWSSTAND_MEMBERS.trial_days,
    }


def _site_counts() -> dict[str, int]:
    return {
        "articles": article_queries.article_count(),
        "publishers": article_queries.publishers_with_articles(),
    }
