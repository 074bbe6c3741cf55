"""Hostile and broken documents end as a typed error or a safe result, in bounded time.

Security catalogue §1B/§1C. The large inputs are generated here rather than committed.
"""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsstand.core.errors import NotAFeed, ParseError, UnsafeXML
from newsstand.core.normalise import normalise_entries
from newsstand.core.parse import MAX_ENTRIES, parse_feed

HOSTILE = Path(__file__).resolve().parent.parent / "data" / "feeds" / "hostile"
NOW = datetime(2024, 1, 1, tzinfo=UTC)


def _read(name: str) -> bytes:
    return (HOSTILE / name).read_bytes()


def test_billion_laughs_is_refused():
    with pytest.raises(UnsafeXML):
        parse_feed(_read("billion_laughs.xml"))


def test_quadratic_blowup_is_refused():
    big = "A" * 8_000
    doc = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "{big}">]>'
        '<rss version="2.0"><channel><title>t</title><item><title>'
        + "&a;" * 5_000
        + "</title></item></channel></rss>"
    ).encode()
    with pytest.raises(UnsafeXML):
        parse_feed(doc)


def test_xxe_to_a_local_file_is_refused_and_the_canary_never_appears(tmp_path):
    canary = tmp_path / "canary.txt"
    canary.write_text("CANARY-7f3a9")
    doc = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{canary}">]>'
        '<rss version="2.0"><channel><title>&xxe;</title><item><title>&xxe;</title>'
        "<link>https://example.com/a</link></item></channel></rss>"
    ).encode()
    with pytest.raises(UnsafeXML):
        parse_feed(doc)


def test_xxe_to_an_internal_address_is_refused_without_expanding():
    with pytest.raises(UnsafeXML):
        parse_feed(_read("xxe_http.xml"))


def test_the_body_is_never_read_as_a_file_name(tmp_path):
    canary = tmp_path / "feed.xml"
    canary.write_text('<rss version="2.0"><channel><title>CANARY-path</title></channel></rss>')
    with pytest.raises(ParseError):
        parse_feed(str(canary).encode())


def test_safe_internal_entities_still_expand():
    doc = (
        b'<!DOCTYPE rss [\n<!ENTITY id "tag:example.com,">\n]>\n<rss version="2.0"><channel>'
        b"<item><guid isPermaLink='false'>&id;2006:/blog/</guid></item></channel></rss>"
    )
    assert parse_feed(doc).entries[0].guid == "tag:example.com,2006:/blog/"


def test_deep_nesting_is_bounded():
    doc = (
        '<rss version="2.0"><channel><title>deep</title><item><title>x</title>'
        "<description>" + "<div>" * 5_000 + "deep" + "</div>" * 5_000 + "</description>"
        "</item></channel></rss>"
    ).encode()
    feed = parse_feed(doc)
    assert feed.used_fallback  # markup inside <description> is beyond the fast path
    (candidate,) = normalise_entries(feed, feed_url="https://example.com/feed", now=NOW)
    assert "deep" in candidate.summary_html
    assert candidate.summary_html.count("<div>") <= 5_000


def test_deep_element_nesting_is_bounded():
    doc = '<rss version="2.0"><channel>' + "<x>" * 5_000 + "</x>" * 5_000 + "</channel></rss>"
    feed = parse_feed(doc.encode())
    assert feed.entries == ()


def _many_items(count: int, extra: str = "") -> bytes:
    start = datetime(2014, 1, 1, tzinfo=UTC).timestamp()
    items = "".join(
        f"<item><title>Item {i}{extra}</title><link>https://example.com/{i}</link>"
        f"<guid>g{i}</guid><pubDate>"
        + datetime.fromtimestamp(start + 60 * ((i * 7919) % count), UTC).strftime(
            "%a, %d %b %Y %H:%M:%S GMT"
        )
        + "</pubDate></item>"
        for i in range(count)
    )
    return f'<rss version="2.0"><channel><title>big</title>{items}</channel></rss>'.encode()


def test_fifty_thousand_items_are_capped_to_the_newest():
    count = 50_000
    feed = parse_feed(_many_items(count))
    assert not feed.used_fallback
    assert len(feed.entries) == MAX_ENTRIES
    newest_first = sorted((e.published for e in feed.entries), reverse=True)
    assert newest_first[0] == datetime(2014, 1, 1, tzinfo=UTC) + (count - 1) * timedelta(minutes=1)
    assert newest_first[-1] == newest_first[0] - (MAX_ENTRIES - 1) * timedelta(minutes=1)


def test_fifty_thousand_items_on_the_tolerant_path_are_cut_first():
    # An HTML entity sends the document to feedparser, which gets the first items only.
    feed = parse_feed(_many_items(50_000, " &nbsp;"))
    assert feed.used_fallback
    assert len(feed.entries) == MAX_ENTRIES
    assert {e.guid for e in feed.entries} <= {f"g{i}" for i in range(4 * MAX_ENTRIES)}


def test_json_feed_deep_nesting_is_a_parse_error():
    with pytest.raises(ParseError):
        parse_feed(b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(ParseError):
        parse_feed(b'{"version": "https://jsonfeed.org/version/1.1", "items": ' + b"[" * 100_000)


def test_json_feed_huge_integer_is_a_parse_error():
    doc = (
        b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": ' + b"9" * 5000 + b"}]}"
    )
    with pytest.raises(ParseError):
        parse_feed(doc)


def test_json_that_is_not_a_feed():
    with pytest.raises(NotAFeed):
        parse_feed(json.dumps({"hello": "world"}).encode())
    with pytest.raises(ParseError):
        parse_feed(b'{"version": ')


@pytest.mark.parametrize("body", [b"", b"   \n", b"\xef\xbb\xbf"])
def test_empty_is_not_a_feed(body):
    with pytest.raises(NotAFeed):
        parse_feed(body)


def test_html_page_is_not_a_feed():
    with pytest.raises(NotAFeed):
        parse_feed(_read("html_page.html"), content_type="text/html")


@pytest.mark.parametrize("body", [b"plain text, no markup", b"<unknown><x/></unknown>"])
def test_unknown_documents_are_not_feeds(body):
    with pytest.raises(NotAFeed):
        parse_feed(body)


def test_truncated_xml_keeps_what_it_can():
    feed = parse_feed(_read("truncated.xml"))
    assert feed.used_fallback
    assert feed.entries[0].title == "Complete item"


def test_latin1_bytes_declared_utf8_do_not_crash():
    feed = parse_feed(_read("latin1_declared_utf8.xml"))
    assert feed.entries[0].title.startswith("Caf")


def test_declared_latin1_is_decoded():
    feed = parse_feed(_read("latin1.xml"))
    assert feed.entries[0].title == "Café crème"


def test_charset_header_overrides_for_the_tolerant_parser():
    body = '<rss version="2.0"><channel><item><title>Café</title></item></channel></rss>'
    feed = parse_feed(
        body.encode("cp1252"), content_type="application/rss+xml; charset=windows-1252"
    )
    assert feed.entries[0].title == "Café"


def test_utf16_document():
    body = '<?xml version="1.0" encoding="utf-16"?><rss version="2.0"><channel><item><title>Ünïcode</title></item></channel></rss>'
    assert parse_feed(body.encode("utf-16")).entries[0].title == "Ünïcode"


def test_dangerous_schemes_never_reach_a_candidate():
    feed = parse_feed(_read("javascript_urls.xml"))
    (candidate,) = normalise_entries(feed, feed_url="https://example.com/feed", now=NOW)
    assert candidate.url == ""
    assert candidate.comments == ""
    assert candidate.image == ""
    assert [e.url for e in candidate.enclosures] == ["https://cdn.example.com/ok.mp3"]
    for fragment in ("javascript", "vbscript", "data:", "onerror"):
        assert fragment not in candidate.summary_html.lower()
        assert fragment not in candidate.content_html.lower()
