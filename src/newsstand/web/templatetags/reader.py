"""Template filters of the reader: URL checks, relative times, plain-text teasers.

Nothing here marks output safe: every value these filters return is escaped by the
template as usual.
"""

from __future__ import annotations

import html
from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.timesince import timesince, timeuntil

from newsstand.core.urls import safe_url

register = template.Library()


@register.filter
def safe_href(value: object) -> str:
    """The URL as checked when it is absolute http(s), else "" (the template then omits
    the link). The check is ``newsstand.core.urls.safe_url``, the one ingest applies."""
    if not isinstance(value, str):
        return ""
    return safe_url(value)


@register.filter
def ago(moment: datetime | None) -> str:
    """A past or future time relative to now: "3 hours ago", "in 5 minutes", "just now"."""
    if moment is None:
        return ""
    now = timezone.now()
    if moment > now:
        return f"in {timeuntil(moment, now, depth=1)}"
    if (now - moment).total_seconds() < 60:
        return "just now"
    return f"{timesince(moment, now, depth=1)} ago"


@register.filter
def teaser(sanitised_html: str, length: int = 220) -> str:
    """The plain text of a sanitised HTML fragment, cut at a word near ``length`` chars."""
    text = " ".join(html.unescape(strip_tags(sanitised_html or "")).split())
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0]
    return f"{cut}…"


@register.filter
def author_line(authors: object) -> str:
    """The authors' names joined for a byline ("A, B and C"); "" when there are none."""
    if not isinstance(authors, list):
        return ""
    names = [str(a).strip() for a in authors if isinstance(a, str) and a.strip()]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"
