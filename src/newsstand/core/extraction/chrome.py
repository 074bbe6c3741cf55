"""Aggregator and publisher chrome left inside an extracted article, and its removal.

News apps wrap an article in calls to action: "Get all your news in one place", "Sign up
to read this article", "Already a member? Sign in here", "Related Stories", newsletter
sign-ups, "Download the app". Extractors drop most of it with the page's header, aside and
footer, but the pieces placed between paragraphs come through. ``remove_chrome`` drops a
block only when every sentence of it is such a call to action (or a one-to-three-word
button label beside one), so prose that merely mentions an app or a newsletter stays. A
heading of a link list ("Related Stories", "Top stories right now") goes with the list of
links that follows it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

_CHROME_SENTENCES = [
    r"get all (of )?your news in one place",
    r"(sign|log) ?(up|in) (now )?to (read|continue reading|keep reading|unlock|access)( (this|the|the full|our))?( (article|story|piece|content))?( for free)?",
    r"(create|register for) a free account to (read|continue)( reading)?( (this|the) (article|story))?",
    r"already (a|an) (member|subscriber|user|account holder)\W*( (sign|log) ?in( here| now)?)?",
    r"(sign|log) ?in here",
    r"not a (member|subscriber)\W*( (sign|join) up( here| now| today)?)?",
    r"(join|subscribe) (now|today)( for free)?",
    r"related (stories|articles|news|content|coverage|links|reading|topics)",
    r"(more|other|latest|top) (stories|news|headlines)( right now| for you| from [\w ]{1,30})?",
    r"top stories right now",
    r"(most|more) (read|popular|viewed|shared)( stories| articles| today| now)?",
    r"trending( now| stories| today)?",
    r"recommended( for you| stories| reading)?",
    r"you (may|might) (also )?(like|be interested in)",
    r"(read|see) (more|also|next)",
    r"(don't|do not) miss",
    r"(click here to )?(sign|signup|sign up|subscribe|register) (up )?(for|to) (our|the|my|this|a|free|[\w.&'\u2019-]+['\u2019]s?)( free)?( [\w'\u2019-]+){0,4} newsletters?( here| now| today)?",
    r"get the latest( news| updates| headlines| stories)?( right| delivered)? (to|in) your inbox",
    r"get (our|the)( [\w'\u2019-]+){0,4} newsletters?( in your inbox)?( here| now| today)?",
    r"(the )?([\w'\u2019-]+ ){0,3}newsletters?( sign ?-?up)?",
    r"(enter|type) your e-?mail( address)?( here| below)?",
    r"(by (signing up|subscribing|clicking)|you agree to) [^.]{0,120}(terms|privacy)[^.]{0,60}",
    r"thanks? (you )?for (signing up|subscribing)",
    r"(download|get|install|open|try) (the|our)( [\w'\u2019-]+){0,3} app( (now|today|for free|here))?( for [\w'\u2019 -]{1,40})?",
    r"(download|get it|available) on (the )?(app store|google play|play store)",
    r"read (it|this|more) in (the|our) app",
    r"follow us on [\w ,&]{1,60}",
    r"share (this|on)( (article|story|page))?( on [\w ,&]{1,40})?",
    r"(skip )?advertisement",
    r"sponsored( content)?",
    r"(story|article) continues below( (the )?advertisement)?",
    r"continue reading below",
    r"(\d+ )?comments?",
    r"leave a (comment|reply)",
    r"like this",
    r"like loading",
    r"tell us what you think",
]
_CHROME = re.compile("(?:" + "|".join(_CHROME_SENTENCES) + r")", re.IGNORECASE)
_SENTENCE_END = re.compile("(?<=[.!?:|\u2022\u00b7\u00bb\u203a])\\s+|\\s*[|\u2022\u00b7]\\s*|\n+")
_EDGE_PUNCTUATION = (
    " \t\"'()[]<>:;,.!?*#|-"
    + "\u201c\u201d\u2018\u2019\u00ab\u00bb\u2192\u203a\u2013\u2014\u2026\u2022\u00b7"
)
_LINK_LIST_HEADINGS = re.compile(
    r"(related|more|other|top|latest|trending|most|recommended|popular)\b.{0,40}"
    r"(stories|articles|news|headlines|reading|links|coverage|read|now|for you)",
    re.IGNORECASE,
)
_MAX_CHROME_WORDS = 40
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_CHROME_BLOCKS = frozenset(
    {"p", "div", "section", "aside", "ul", "ol", "li", "blockquote", "h1", "h2", "h3",
     "h4", "h5", "h6", "figure", "figcaption", "table", "form", "header", "footer"}
)  # fmt: skip


def _words(text: str) -> int:
    return len(text.split())


def is_chrome_text(text: str) -> bool:
    """Whether every sentence of ``text`` is a call to action or a short button label."""
    if not text.strip() or _words(text) > _MAX_CHROME_WORDS:
        return False
    sentences = [s.strip(_EDGE_PUNCTUATION) for s in _SENTENCE_END.split(text)]
    sentences = [s for s in sentences if s]
    if not sentences:
        return False
    matched = [bool(_CHROME.fullmatch(s)) for s in sentences]
    if not any(matched):
        return False
    return all(hit or _words(s) <= 3 for hit, s in zip(matched, sentences, strict=True))


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _is_link(element: etree._Element, page_links: Callable[[], frozenset[str]]) -> bool:
    """Whether ``element`` is a link: its own ``<a>`` or the text of one of the page's links.

    Extractors may drop the ``<a>`` tags, so the page's link texts are the reference.
    """
    text = _text(element)
    if not text:
        return False
    linked = sum(len(_text(link)) for link in element.iter("a"))
    return linked >= 0.8 * len(text) or text.casefold() in page_links()


def _drop(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    if tail and tail.strip():
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _drop_link_list_after(
    heading: etree._Element, page_links: Callable[[], frozenset[str]]
) -> None:
    """Drop the lists or link-only blocks that follow a link-list heading."""
    sibling = heading.getnext()
    while sibling is not None and isinstance(sibling.tag, str):
        if sibling.tag in _HEADINGS:
            return
        if sibling.tag in ("ul", "ol"):
            items = [item for item in sibling if isinstance(item.tag, str)]
            if not items or not all(_is_link(item, page_links) for item in items):
                return
        elif not _is_link(sibling, page_links):
            return
        following = sibling.getnext()
        _drop(sibling)
        sibling = following


def link_texts(tree: etree._Element) -> frozenset[str]:
    """The case-folded texts of the page's links of three words or more."""
    texts = (_text(link).casefold() for link in tree.iter("a"))
    return frozenset(text for text in texts if len(text.split()) >= 3)


def remove_chrome(
    fragment: etree._Element, page_links: Callable[[], frozenset[str]] = frozenset
) -> int:
    """Remove chrome blocks from ``fragment`` in place; return how many were removed.

    ``page_links`` gives the page's link texts (see ``link_texts``) when a link-list
    heading is found, to recognise the links after it.
    """
    removed = 0
    for element in list(fragment.iter()):
        if element is fragment or not isinstance(element.tag, str):
            continue
        if element.tag not in _CHROME_BLOCKS or element.getparent() is None:
            continue
        text = _text(element)
        if not is_chrome_text(text):
            continue
        if element.tag not in ("ul", "ol", "li") and _LINK_LIST_HEADINGS.search(text):
            _drop_link_list_after(element, page_links)
        _drop(element)
        removed += 1
    return removed
