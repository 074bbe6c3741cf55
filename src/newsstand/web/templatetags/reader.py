"""Template filters of the reader: URL checks, honest times in the reader's language,
language and section names, plain-text teasers.

Nothing here marks output safe: every value these filters return is escaped by the
template as usual.
"""

from __future__ import annotations

import html
import math
from datetime import datetime

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from django import template
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _

from newsstand.articles.models import Article
from newsstand.core.countries import publisher_country
from newsstand.core.timing import PublishedTime, published_time
from newsstand.core.urls import safe_url
from newsstand.sources.models import Publisher, Section
from newsstand.stories.lines import StoryLine
from newsstand.web.pictures import PictureSet, Shown

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
def absolute(path: str, request: HttpRequest) -> str:
    """``path`` as an absolute URL of this site ("" without a path or a request; an
    absolute URL stays as it is)."""
    if not path or request is None:
        return ""
    return request.build_absolute_uri(path)


@register.filter
def ago(moment: datetime | None) -> str:
    """A past or future time relative to now, in the reader's language: "3 hours ago",
    "in 5 minutes", "just now"."""
    if moment is None:
        return ""
    now = timezone.now()
    if moment > now:
        return _("in %(time)s") % {"time": timeuntil(moment, now, depth=1)}
    if (now - moment).total_seconds() < 60:
        return _("just now")
    return _("%(time)s ago") % {"time": timesince(moment, now, depth=1)}


@register.filter
def telling(article: Article) -> PublishedTime:
    """How the article's publication time should be shown (``core.timing``): relative
    while recent, its date when older, its date labelled as archive when Newsstand found
    it long after its publisher dated it."""
    return published_time(article.published_at, article.first_seen_at, timezone.now())


def _babel_locale() -> Locale:
    try:
        return Locale.parse(to_locale(get_language() or "en"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


@register.filter
def long_date(moment: datetime | None) -> str:
    """The date in the reader's language: "14 March 2011", "14 mars 2011"."""
    if moment is None:
        return ""
    return format_date(timezone.localtime(moment).date(), "long", locale=_babel_locale())


@register.filter
def full_date(moment: datetime | None) -> str:
    """The date with its weekday, as a newspaper's masthead gives it."""
    if moment is None:
        return ""
    return format_date(timezone.localtime(moment).date(), "full", locale=_babel_locale())


@register.filter
def long_datetime(moment: datetime | None) -> str:
    """Date and time in the reader's language ("14 Mar 2011, 09:30")."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    locale = _babel_locale()
    pattern = str(locale.datetime_formats.get("medium", "{1}, {0}"))
    day = format_date(local.date(), "medium", locale=locale)
    return pattern.replace("{1}", day).replace(
        "{0}", format_time(local.time(), "short", locale=locale)
    )


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
def byline_authors(article: Article) -> str:
    """The article's authors joined for a byline ("A, B and C"), leaving out a name that
    only repeats the publisher's (feeds often give the publisher as the author); "" when
    none is left."""
    authors = article.authors if isinstance(article.authors, list) else []
    publisher = article.publisher.name.casefold().strip()
    names = [
        str(a).strip()
        for a in authors
        if isinstance(a, str) and a.strip() and a.strip().casefold() != publisher
    ]
    if len(names) <= 1:
        return "".join(names)
    return _("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


@register.filter
def country_of(publisher: Publisher) -> str:
    """The publisher's country code (recorded, else from its domain or feed language)."""
    return publisher_country(publisher.country, publisher.host, publisher.language)


@register.filter
def country_name(code: str) -> str:
    """A country's name in the reader's language ("United Kingdom" for "GB")."""
    return str(_babel_locale().territories.get(code.upper(), code)) if code else ""


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
    """A language's name in the reader's language ("Nigerian Pidgin" for "pcm", "Anglais"
    for "en" to a French reader), from the CLDR data Babel ships; "" when CLDR does not
    know the code (a page then leaves the language out rather than show a code)."""
    if not code:
        return ""
    names = _babel_locale().languages
    name = names.get(code) or names.get(code.split("-")[0].lower()) or ""
    return name[:1].upper() + name[1:]


@register.filter
def section_name(name: str) -> str:
    """A section's name in the reader's language: the default sections are translated
    (``newsstand.web.vocabulary``); an operator's own names are shown as written."""
    return _(name) if name else ""


# --- pictures ------------------------------------------------------------------------

# How wide each slot is drawn, for the browser's choice among the srcset's widths.
PICTURE_SIZES = {
    "lead": "(min-width: 64rem) 38rem, 100vw",
    "card": "(min-width: 64rem) 18rem, (min-width: 40rem) 45vw, 100vw",
    "story": "(min-width: 64rem) 16rem, (min-width: 40rem) 45vw, 100vw",
    "thumb": "7rem",
    "article": "(min-width: 46rem) 42rem, 100vw",
}
# Slots that keep their shape with a section-coloured placeholder when there is no
# picture; other slots show nothing then.
PLACEHOLDER_SLOTS = frozenset({"lead", "card"})


@register.inclusion_tag("web/_picture.html")
def line_picture(
    line: StoryLine, pictures: PictureSet | None, slot: str = "card", eager: bool = False
) -> dict[str, object]:
    """A story line's picture (the first of its story's that can be shown), else a
    placeholder in the colour of its section for the slots that keep their shape."""
    shown = pictures.first(line.image_urls) if pictures is not None else None
    return _picture_context(shown, slot, line_section(line), eager)


@register.filter
def line_section(line: StoryLine) -> Section | None:
    """The section a line is filed under: its story's, else its lead article's."""
    if line.story is not None and line.story.section is not None:
        return line.story.section
    return line.lead.section


@register.inclusion_tag("web/_picture.html")
def article_picture(
    article: Article, pictures: PictureSet | None, slot: str = "card", eager: bool = False
) -> dict[str, object]:
    shown = pictures.get(article.image) if pictures is not None and article.image else None
    return _picture_context(shown, slot, article.section, eager)


def _picture_context(
    shown: Shown | None, slot: str, section: Section | None, eager: bool
) -> dict[str, object]:
    return {
        "shown": shown,
        "slot": slot,
        "sizes": PICTURE_SIZES.get(slot, "100vw"),
        "placeholder": shown is None and slot in PLACEHOLDER_SLOTS,
        "section": section,
        "eager": eager,
    }


@register.filter
def favicon(publisher: Publisher, pictures: PictureSet | None) -> Shown | None:
    """The publisher's icon as it can be shown (None when it cannot)."""
    if pictures is None or not publisher.favicon:
        return None
    return pictures.icon(publisher.favicon)


@register.filter
def og_picture(url: str, pictures: PictureSet | None) -> str:
    """The address a shared link's preview should show for the picture ``url`` (the
    largest file kept), or ""."""
    if not url or pictures is None:
        return ""
    return pictures.largest(url)


@register.filter
def with_pictures(sanitised_html: str, pictures: PictureSet | None) -> str:
    """The article's HTML with each picture drawn from Newsstand's picture cache (the
    pictures not fetched yet are left out, their captions kept); unchanged when pictures
    link the publishers directly. The input is sanitised HTML; only ``<img>`` tags are
    rewritten, with addresses Newsstand made."""
    if pictures is None:
        return sanitised_html
    return pictures.rewrite_html(sanitised_html)
