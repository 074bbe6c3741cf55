"""The fast path's reading of fastfeedparser's entries: a description fastfeedparser made
up from the content is dropped, a real one is kept, and the shortcut that avoids making
one up to compare agrees with making it."""

from typing import Any

from fastfeedparser import main as ffp_main
from hypothesis import given, settings
from hypothesis import strategies as st

from newsstand.core.parse import parse_feed
from newsstand.core.parsing.fast import _synthesized


def _rss(item: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title>'
        f"<link>https://news.example.com/</link><item>{item}</item></channel></rss>"
    ).encode()


def test_content_only_item_has_no_made_up_summary():
    feed = parse_feed(
        _rss(
            "<title>A</title><link>https://news.example.com/a</link>"
            "<content:encoded><![CDATA[<p>Body <b>text</b> here.</p>]]></content:encoded>"
        )
    )
    assert not feed.used_fallback
    entry = feed.entries[0]
    assert entry.summary is None
    assert entry.content is not None and entry.content.value == "<p>Body <b>text</b> here.</p>"


def test_real_description_beside_content_is_kept():
    for description in ("Body text here.", "A teaser of its own.", "Body"):
        feed = parse_feed(
            _rss(
                f"<title>A</title><description>{description}</description>"
                "<content:encoded><![CDATA[<p>Body <b>text</b> here. More.</p>]]>"
                "</content:encoded>"
            )
        )
        entry = feed.entries[0]
        assert entry.summary is not None and entry.summary.value == description


def _by_making_one_up(entry: dict[str, Any]) -> bool:
    """The answer without the shortcut: make the description up and compare."""
    description = entry.get("description")
    content = entry.get("content")
    if not description or not content or len(description) > ffp_main._SYNTH_DESCRIPTION_LEN:
        return False
    probe: dict[str, Any] = {"content": content}
    ffp_main._synthesize_entry_description(probe)
    return bool(probe.get("description") == description)


_PIECES = st.sampled_from(
    [
        *("<p>", "</p>", "<b>", "<br/>", "<a href='x'>", "</a>", "<", ">", "<>", "&amp;"),
        *("&#65;", "&nbsp;", "&lt;b&gt;", " ", "  ", "\n", "\t", "\xa0", "\u2003", "word"),
        *("Word", "x" * 700, "é", ".", "a", "b"),
    ]
)
_CONTENT = st.lists(_PIECES, min_size=1, max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(_CONTENT, st.one_of(st.none(), st.lists(_PIECES, max_size=6).map("".join)))
def test_shortcut_agrees_with_making_the_description_up(content, other):
    made_up: dict[str, Any] = {"content": [{"value": content, "type": "text/html"}]}
    ffp_main._synthesize_entry_description(made_up)
    description = made_up["description"] if other is None else other
    entry = {"description": description, "content": [{"value": content, "type": "text/html"}]}
    assert _synthesized(entry) == _by_making_one_up(entry)
