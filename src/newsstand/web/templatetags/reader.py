"""Template filters of the reader: URL checks, relative times, plain-text teasers.

Nothing here marks output safe: every value these filters return is escaped by the
template as usual.
"""

from __future__ import annotations

import html
import math
from datetime import datetime

from django import template
from django.conf.locale import LANG_INFO
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.timesince import timesince, timeuntil

from newsstand.articles.models import Article
from newsstand.core.urls import safe_url

register = template.Library()

WORDS_PER_MINUTE = 230
STANDFIRST_LENGTH = 400
_PROBE_LENGTH = 100  # how much of the summary must recur in the text to count as a repeat


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


WALL_TEASER_LENGTH = 300


@register.filter
def wall_teaser(article: Article) -> str:
    """What a walled article shows of its text: the opening of the feed's summary (else of
    the text) as plain text, cut at a word near 300 characters."""
    return teaser(article.summary or article.content, WALL_TEASER_LENGTH)


@register.filter
def author_line(authors: object) -> str:
    """The authors' names joined for a byline ("A, B and C"); "" when there are none."""
    if not isinstance(authors, list):
        return ""
    names = [str(a).strip() for a in authors if isinstance(a, str) and a.strip()]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _plain(sanitised_html: str) -> str:
    return " ".join(html.unescape(strip_tags(sanitised_html or "")).split())


@register.filter
def standfirst(article: Article) -> str:
    """The feed's summary as plain text, to stand under the headline of a full text; ""
    when there is no full text (the summary is the text then) or when the summary only
    repeats the text's opening (a teaser cut from it, or the same text twice)."""
    if not article.content:
        return ""
    summary = _plain(article.summary)
    if not summary:
        return ""
    # The summary's opening, short of any "Read more" or "[…]" a feed adds at its end.
    probe = summary[: min(_PROBE_LENGTH, max(20, len(summary) * 3 // 5))].casefold()
    if probe in _plain(article.content).casefold():
        return ""
    return teaser(article.summary, STANDFIRST_LENGTH)


@register.filter
def reading_minutes(article: Article) -> int:
    """Minutes to read the article at about 230 words a minute, at least one; the words are
    counted from the text shown when ``word_count`` is not known."""
    words = article.word_count or len(_plain(article.content or article.summary).split())
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


@register.filter
def lead_image(article: Article) -> str:
    """The lead image's checked URL, or "" when it is missing, not http(s), or already in
    the text as a figure (shown once, with its caption)."""
    url = safe_url(article.image) if article.image else ""
    if not url or url in article.content or html.escape(url) in article.content:
        return ""
    return url


@register.filter
def language_name(code: str) -> str:
    """A language's own name ("français" for "fr"); the code itself when unknown."""
    info = LANG_INFO.get(code) or LANG_INFO.get(code.split("-")[0].lower())
    if not info:
        return code
    name = str(info.get("name_local") or info.get("name") or code)
    return name[:1].upper() + name[1:]
