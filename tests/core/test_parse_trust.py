"""Byte-level trust checks: the undeclared-prefix search finds exactly the prefixed tags
whose prefix is not declared, and a document with one leaves the fast path."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from newsstand.core.parse import parse_feed
from newsstand.core.parsing.trust import _undeclared_prefix_pattern


def _spec(declared: frozenset[bytes]) -> re.Pattern[bytes]:
    """The check as first written: at each tag, not a known prefix, then a prefixed name."""
    known = b"|".join(re.escape(p) for p in sorted(declared, key=len, reverse=True))
    return re.compile(rb"</?(?!(?:" + known + rb"):)[A-Za-z_][\w.\-]*:[A-Za-z_]")


_TAGS = st.sampled_from(
    [
        *(b"<dc:creator>", b"</dc:creator>", b"<dcx:a>", b"<d:c>", b"<media:content/>"),
        *(b"<a:b>", b"</_x:y>", b"< x:y>", b"<x.y-z:w>", b"<x:1>", b"<item>", b"</item>"),
        *(b"text", b"a:b", b"<", b":", b"<content:encoded>", b"<xml:lang>", b"<atom:link/>"),
    ]
)
_DECLARED = st.sets(st.sampled_from([b"dc", b"media", b"content", b"atom", b"d", b"x.y-z"]))


@settings(max_examples=500, deadline=None)
@given(st.lists(_TAGS, max_size=12).map(b"".join), _DECLARED)
def test_undeclared_prefix_search_agrees_with_its_first_form(markup, declared):
    known = frozenset(declared | {b"xml", b"xmlns"})
    found = _undeclared_prefix_pattern(known).search(markup) is not None
    assert found == (_spec(known).search(markup) is not None)


def test_undeclared_prefix_leaves_the_fast_path():
    item = "<item><title>A</title><link>https://news.example.com/a</link>{}</item>"
    head = '<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
    clean = f"{head}<channel><title>T</title>{item.format('<dc:creator>X</dc:creator>')}"
    odd = f"{head}<channel><title>T</title>{item.format('<dcx:creator>X</dcx:creator>')}"
    assert not parse_feed((clean + "</channel></rss>").encode()).used_fallback
    assert parse_feed((odd + "</channel></rss>").encode()).used_fallback
