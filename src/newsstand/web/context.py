"""What every reader page's template may use: the sections for the masthead's navigation,
and the trial's length (the wall and the sign-up pages offer it).

Views that have the sections already pass ``nav_sections`` themselves (it wins); pages
drawn by others (the account pages of django-allauth) get them here, queried only if the
template reads them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from newsstand.sources import queries as source_queries


def reader(request: HttpRequest) -> dict[str, Any]:
    return {
        "nav_sections": SimpleLazyObject(source_queries.all_sections),
        "trial_days": settings.NEWSSTAND_MEMBERS.trial_days,
    }
