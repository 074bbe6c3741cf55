"""The one HTML sanitiser: publisher HTML goes through ``sanitize_html`` before it is stored.

An explicit nh3 (ammonia) allow-list: prose, lists, tables, figures, images, media and
code. No script, style, form controls, object/embed, svg/math, base or meta; no ``on*``,
``style``, ``class`` or ``id`` attributes; URL schemes http, https and mailto only; links
get ``rel="noopener noreferrer"``; relative URLs are resolved against the base URL.
Iframes survive only when their ``src`` is https on an allow-listed video host, and then
carry a ``sandbox``.

``sanitize_html`` is idempotent: cleaning its own output changes nothing.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Literal
from urllib.parse import urlsplit

import nh3

from newsstand.core.urls import safe_url

_TAGS = frozenset(
    {
        "a", "abbr", "acronym", "address", "article", "aside", "audio", "b", "bdi", "bdo",
        "blockquote", "br", "caption", "center", "cite", "code", "col", "colgroup", "dd",
        "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "footer",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img", "ins", "kbd", "li",
        "mark", "ol", "p", "picture", "pre", "q", "rp", "rt", "ruby", "s", "samp", "section",
        "small", "source", "span", "strike", "strong", "sub", "summary", "sup", "table",
        "tbody", "td", "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul", "var", "video",
        "wbr",
    }
)  # fmt: skip
_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"title", "lang", "dir"},
    "a": {"href", "hreflang"},
    "abbr": {"title"},
    "audio": {"src", "controls"},
    "blockquote": {"cite"},
    "col": {"span"},
    "colgroup": {"span"},
    "del": {"cite", "datetime"},
    "img": {"src", "alt", "width", "height", "srcset", "sizes"},
    "ins": {"cite", "datetime"},
    "ol": {"start", "reversed"},
    "q": {"cite"},
    "source": {"src", "type", "srcset", "sizes", "media"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope"},
    "time": {"datetime"},
    "video": {"src", "poster", "controls", "width", "height"},
}
_REMOVED_WITH_CONTENT = frozenset({"script", "style", "noscript", "template", "title"})
_URL_SCHEMES = frozenset({"http", "https", "mailto"})

# Hosts whose embedded players may appear in an iframe (https only).
IFRAME_HOSTS = frozenset(
    {
        "www.youtube.com",
        "www.youtube-nocookie.com",
        "youtube.com",
        "player.vimeo.com",
        "www.dailymotion.com",
        "open.spotify.com",
        "w.soundcloud.com",
        "bandcamp.com",
    }
)
_IFRAME_ATTRIBUTES = {"src", "width", "height", "allowfullscreen"}
# One added attribute only: nh3 adds several in no fixed order, which breaks idempotence.
_IFRAME_SET = {"sandbox": "allow-scripts allow-same-origin allow-popups allow-presentation"}
_OTHER_URL_ATTRIBUTES = frozenset({"cite", "poster"})
# Tags whose handling by the HTML parser (foster parenting) can make the first output
# parse into another tree.
_TABLE_TAGS = frozenset(
    {"table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "td", "th"}
)
_SETTLED_TAGS = _TAGS - _TABLE_TAGS
_TAG_NAME = re.compile(r"<\s*/?\s*([A-Za-z][A-Za-z0-9-]*)")
# nh3 output is normalised (lower-case tags, quoted attributes, closing tags present).
_IFRAME_WITHOUT_SRC = re.compile(r"<iframe(?![^>]*\ssrc=)[^>]*>.*?</iframe>", re.DOTALL)


def _srcset(value: str, base_url: str) -> str | None:
    """Each candidate URL made absolute http(s); None if any is not."""
    candidates = []
    for candidate in value.split(","):
        url, _, descriptor = candidate.strip().partition(" ")
        absolute = safe_url(url, base_url)
        if not absolute:
            return None
        candidates.append(f"{absolute} {descriptor.strip()}".strip())
    return ", ".join(candidates)


def _attribute_filter(base_url: str) -> Callable[[str, str, str], str | None]:
    """Vet what nh3 does not: iframe hosts, ``srcset`` lists, ``cite``/``poster`` URLs."""

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "iframe" and attribute == "src":
            parts = urlsplit(value.strip())
            if parts.scheme != "https" or (parts.hostname or "") not in IFRAME_HOSTS:
                return None
            return value
        if attribute == "srcset":
            return _srcset(value, base_url)
        if attribute in _OTHER_URL_ATTRIBUTES:
            return safe_url(value, base_url) or None
        return value

    return keep


def _cleaner(base_url: str, *, iframes: bool) -> nh3.Cleaner:
    tags = set(_TAGS)
    attributes = {tag: set(names) for tag, names in _ATTRIBUTES.items()}
    set_values: dict[str, dict[str, str]] = {}
    if iframes:
        tags.add("iframe")
        attributes["iframe"] = set(_IFRAME_ATTRIBUTES)
        set_values["iframe"] = dict(_IFRAME_SET)
    relative: tuple[Literal["rewrite_with_base"], str] | Literal["deny"] = (
        ("rewrite_with_base", base_url) if base_url else "deny"
    )
    return nh3.Cleaner(
        tags=tags,
        clean_content_tags=set(_REMOVED_WITH_CONTENT),
        attributes=attributes,
        attribute_filter=_attribute_filter(base_url),
        strip_comments=True,
        link_rel="noopener noreferrer",
        url_schemes=set(_URL_SCHEMES),
        set_tag_attribute_values=set_values,
        url_relative=relative,
    )


@lru_cache(maxsize=512)
def _cleaner_for(base_url: str, iframes: bool) -> nh3.Cleaner:
    """The cleaner for a base URL as given (an unusable base gives one without a base)."""
    return _cleaner(_usable_base(base_url) if base_url else "", iframes=iframes)


def _is_inert_text(text: str) -> bool:
    """Whether nh3 returns ``text`` unchanged under any allow-list: no markup, no character
    reference, and none of the characters its HTML parser or serialiser rewrites (NUL, CR,
    ``>``, U+00A0, a leading BOM) or that cannot be encoded (lone surrogates, which make it raise)."""
    if "<" in text or "&" in text or ">" in text or "\r" in text or "\x00" in text:
        return False
    if text.isascii():
        return True
    if "\xa0" in text or text.startswith("\ufeff"):  # a leading BOM is dropped by the parser
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _may_reparse_differently(html_text: str) -> bool:
    """Whether one cleaning pass may not be a fixed point: a tag was dropped or is a table part.

    Dropping an element (a form control, an object) can leave allowed elements nested in
    a way the HTML parser re-arranges when it reads the output again; so can tables.
    """
    if "<" not in html_text:
        return False
    names = set(_TAG_NAME.findall(html_text))
    return not names <= _SETTLED_TAGS and not {n.lower() for n in names} <= _SETTLED_TAGS


def _usable_base(base_url: str) -> str:
    try:
        parts = urlsplit(base_url)
    except ValueError:  # a malformed base is no base
        return ""
    if parts.scheme in ("http", "https") and parts.hostname:
        return base_url
    return ""


def sanitize_html(html_text: str, base_url: str = "") -> str:
    """Return ``html_text`` reduced to the allow-list, relative URLs resolved on ``base_url``.

    With no usable (http/https) base, relative URLs are removed. Never raises.
    """
    if not html_text:
        return ""
    if _is_inert_text(html_text):
        return html_text  # what nh3 would return, without a parse
    # Only a plain lower-case "<iframe" can be kept; any other spelling is simply dropped.
    if "<iframe" not in html_text:
        cleaner = _cleaner_for(base_url, False)
        once = str(cleaner.clean(html_text))
        # A second pass settles what re-parsing the first output would still change
        # (nested links, misnested formatting), so the result is a fixed point.
        return str(cleaner.clean(once)) if _may_reparse_differently(html_text) else once
    cleaner = _cleaner_for(base_url, True)
    cleaned = _IFRAME_WITHOUT_SRC.sub("", str(cleaner.clean(html_text)))
    return _IFRAME_WITHOUT_SRC.sub("", str(cleaner.clean(cleaned)))


_TEXT_ONLY = nh3.Cleaner(tags=set(), attributes={}, clean_content_tags=set(_REMOVED_WITH_CONTENT))


# Tags, a run of adjacent ones at a time: each run becomes one space, which collapses to the
# same text as a space per tag but leaves fewer double spaces to collapse.
# (Written to start with "<", which the regex engine searches for quickly.)
_TAG_RUN = re.compile(r"<[^>]*+>(?:<[^>]*+>)*+")
# Every character that ``str.split()`` splits on: as byte tables that turn them into spaces
# (one for UTF-8, where only ASCII bytes can be whole characters, one for Latin-1), and
# those outside ASCII listed (tests check the list is whole).
_UTF8_SPACES_TO_SPACE = bytes(0x20 if b < 0x80 and chr(b).isspace() else b for b in range(256))
_LATIN1_SPACES_TO_SPACE = bytes(0x20 if chr(b).isspace() else b for b in range(256))
UNICODE_SPACES = "\x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
UNICODE_SPACES += "\u2028\u2029\u202f\u205f\u3000"
_SHORT = 64  # below this many characters str.split() is as quick


def _collapsed_bytes(data: bytes, spaces_to_space: bytes) -> bytes:
    data = data.translate(spaces_to_space)
    while b"  " in data:
        data = data.replace(b"  ", b" ")
    return data.strip(b" ")


def collapsed_utf8(text: str) -> bytes:
    """The UTF-8 bytes (lone surrogates passed through) of ``" ".join(text.split())``.

    Long text is collapsed as bytes (one translate, a few replaces) rather than split into a
    string object per word, which costs several times more.
    """
    if len(text) < _SHORT or (
        not text.isascii() and any(space in text for space in UNICODE_SPACES)
    ):
        return " ".join(text.split()).encode("utf-8", "surrogatepass")
    return _collapsed_bytes(text.encode("utf-8", "surrogatepass"), _UTF8_SPACES_TO_SPACE)


def collapse_whitespace(text: str) -> str:
    """``" ".join(text.split())``: runs of whitespace as one space, none at either end."""
    if len(text) < _SHORT:
        return " ".join(text.split())
    try:
        one_byte = text.encode("latin-1")  # every character below U+0100 (ASCII too)
    except UnicodeEncodeError:
        return collapsed_utf8(text).decode("utf-8", "surrogatepass")
    return _collapsed_bytes(one_byte, _LATIN1_SPACES_TO_SPACE).decode("latin-1")


def text_of_clean_html(html_text: str) -> str:
    """Quick text of HTML this module produced (no script/style left): tags dropped, entities
    decoded, whitespace collapsed. Not for untrusted HTML: use ``plain_text`` for that."""
    if "<" in html_text:
        html_text = _TAG_RUN.sub(" ", html_text)
    if "&" in html_text:
        html_text = html.unescape(html_text)
    return collapse_whitespace(html_text)


def plain_text(html_or_text: str) -> str:
    """Return the text of an HTML fragment: tags dropped, entities decoded, spaces collapsed."""
    text = html_or_text
    if "<" in text:
        text = html.unescape(_TEXT_ONLY.clean(text))
    elif "&" in text:
        text = html.unescape(text)
    return collapse_whitespace(text)


def escape_text(text: str) -> str:
    """Return plain text as a safe HTML paragraph (used for ``type="text"`` content)."""
    escaped = html.escape(text.strip(), quote=False)
    if not escaped:
        return ""
    return "<p>" + escaped.replace("\n\n", "</p><p>").replace("\n", "<br>") + "</p>"
