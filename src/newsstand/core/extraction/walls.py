"""Why a page yields no article: a script shell, a cookie wall, a paywall stub, or too little.

``refuse_short_page`` is called when the extracted text is short (or missing) and raises
the most specific ``NotAnArticle`` it can name. ``consent_text`` recognises a consent notice
that an extractor took for the article.
"""

from __future__ import annotations

import re

from lxml import etree

from newsstand.core.errors import CookieWall, PaywallStub, ScriptShell, TooLittleText
from newsstand.core.extraction.words import count_words

# An article under this many words is refused; a paywall stub is recognised under the second.
MIN_WORDS = 40
PAYWALL_STUB_WORDS = 180
COOKIE_WALL_WORDS = 600

_VISIBLE_TEXT = etree.XPath(
    "//body//text()[not(ancestor::script) and not(ancestor::style)"
    " and not(ancestor::noscript) and not(ancestor::template)]"
)
_SCRIPTS = etree.XPath("//script[@src or string-length(normalize-space(.)) > 200]")
_CONSENT = re.compile(
    r"accept all|reject all|allow all|deny all|accept (and|&) (close|continue)"
    r"|(manage|customi[sz]e|change) (your )?(privacy |cookie |consent )?"
    r"(settings|preferences|options|choices)"
    r"|we and our (\d+ )?(partners|vendors)|legitimate interests?|cookie (policy|notice|settings)"
    r"|(use|store|access) (of )?cookies|consent to (the use|our use|cookies)|your privacy choices"
    r"|personali[sz]ed (ads|advertising|content)|before you continue",
    re.IGNORECASE,
)
_PAYWALL = re.compile(
    r"subscribe (now )?to (continue|read|keep reading|unlock|get (full )?access)"
    r"|(continue|keep) reading (with|by|for) "
    r"|(this|the) (article|story|content) is (only )?(for|available (only )?to) (paying )?(subscribers|members)"
    r"|(for|to) (subscribers|members) only|subscribers? only|subscriber[- ]exclusive"
    r"|already (a|an) (subscriber|member)|(sign|log) ?in to (read|continue)"
    r"|(become|join as) a (member|subscriber) to (read|continue)|(start|get) your (free )?trial"
    r"|unlock (this|the) (article|story)|to read the full (article|story)",
    re.IGNORECASE,
)
_NOT_FREE = re.compile(r"""["']isAccessibleForFree["']\s*:\s*["']?false""", re.IGNORECASE)


def visible_text(tree: etree._Element) -> str:
    """The page's text outside scripts, styles and templates, spaces collapsed."""
    return " ".join(" ".join(str(t) for t in _VISIBLE_TEXT(tree)).split())


def consent_markers(text: str) -> int:
    """How many different consent-notice phrases ``text`` holds."""
    return len({m.group(0).lower() for m in _CONSENT.finditer(text)})


def consent_text(text: str, words: int) -> bool:
    """Whether ``text`` (of ``words`` words) reads as a consent notice, not an article."""
    return words < COOKIE_WALL_WORDS // 2 and consent_markers(text) >= 2


def _not_free(tree: etree._Element) -> bool:
    """Whether the page's JSON-LD says the article is not free to read."""
    return any(
        _NOT_FREE.search(script.text or "")
        for script in tree.iter("script")
        if (script.get("type") or "").lower() == "application/ld+json"
    )


def refuse_short_page(tree: etree._Element, text: str) -> None:
    """Raise why a page whose extracted ``text`` is short (or empty) is no article.

    Under ``MIN_WORDS`` words it raises ``ScriptShell``, ``CookieWall``, ``PaywallStub``
    or else ``TooLittleText``. Under ``PAYWALL_STUB_WORDS`` it raises ``CookieWall`` when the
    text is a consent notice and ``PaywallStub`` when the text or the page's JSON-LD says the
    article is for subscribers; otherwise the text is a short article and it returns.
    """
    words = count_words(text)
    if words >= PAYWALL_STUB_WORDS:
        return
    if words >= MIN_WORDS:
        if consent_text(text, words):
            raise CookieWall("the page is a cookie or consent notice", text)
        if _PAYWALL.search(text) or _not_free(tree):
            raise PaywallStub("the page is a paywall stub: the article is for subscribers", text)
        return
    page_text = visible_text(tree)
    page_words = count_words(page_text)
    if page_words < MIN_WORDS and _SCRIPTS(tree):
        raise ScriptShell("the page is a JavaScript shell: its text is drawn by scripts", text)
    if page_words < COOKIE_WALL_WORDS and consent_markers(page_text) >= 2:
        raise CookieWall("the page is a cookie or consent wall", text)
    if _PAYWALL.search(page_text) or _not_free(tree):
        raise PaywallStub("the page is a paywall stub: the article is for subscribers", text)
    raise TooLittleText(f"the page's main text has {words} words (fewer than {MIN_WORDS})", text)
