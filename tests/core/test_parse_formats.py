"""parse_feed on one real-shaped document per format (golden values beside the inputs)."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsstand.core.entries import Content, Enclosure
from newsstand.core.parse import parse_feed

DATA = Path(__file__).resolve().parent.parent / "data" / "feeds"


def _parse(name: str, url: str = "https://feeds.example.com/feed"):
    return parse_feed((DATA / name).read_bytes(), url=url)


def test_rss20_with_media_and_dublin_core():
    feed = _parse("rss20_media_dc.xml")
    assert (feed.format, feed.title, feed.language) == ("rss20", "The Daily Ledger", "en-gb")
    assert feed.link == "https://ledger.example.com/"
    first, second, third = feed.entries
    assert first.guid == "ledger-42"
    assert first.title == "Fed official says weak data caused by weather, should not slow taper"
    assert first.authors == ("Jane Roe",)
    assert first.categories == ("Economy", "Federal Reserve")
    assert first.published == datetime(2014, 3, 10, 16, 20, tzinfo=UTC)
    assert first.image == "https://cdn.example.com/fed.jpg"
    assert first.comments == "https://ledger.example.com/economy/fed-weather#comments"
    assert first.enclosures == (
        Enclosure("https://cdn.example.com/fed-podcast.mp3", "audio/mpeg", 123456),
    )
    assert first.summary is not None
    assert "<b>Federal Reserve</b>" in first.summary.value
    assert first.content is not None
    assert "Full text of the story" in first.content.value
    assert second.guid == "https://ledger.example.com/markets/week"
    assert second.title == "Rates & markets: a <b>bold</b> week"
    assert second.title_type == "html"
    assert second.image == "https://cdn.example.com/markets-thumb.jpg"
    assert (second.published or second.updated) == datetime(2014, 3, 10, 9, tzinfo=UTC)
    assert third.guid == ""
    assert third.published is None
    assert third.updated is None


def test_atom10_keeps_text_constructs_typed():
    feed = _parse("atom10.xml")
    assert (feed.format, feed.title, feed.language) == ("atom10", "Example Atom Desk", "en")
    first, second = feed.entries
    assert first.title == "Why <b> tags are not bold here"
    assert first.title_type == "text"
    assert first.summary == Content("Text summary with <script> that must stay text.", "text")
    assert first.content is not None
    assert first.content.type == "html"
    assert first.authors == ("John Doe", "Mary Major")
    assert first.categories == ("markup", "html")
    assert first.published == datetime(2014, 3, 11, 17, 17, 51, tzinfo=UTC)
    assert first.enclosures[0].url == "https://atom.example.org/audio/tags.mp3"
    assert first.link.endswith("/2014/03/11/tags")
    assert second.title_type == "html"
    assert second.content == Content("<p>XHTML <strong>content</strong></p>", "html")


def test_atom03_with_base64_content():
    feed = _parse("atom03.xml")
    assert feed.format == "atom03"
    first, second = feed.entries
    assert first.published == datetime(2004, 5, 1, 12, tzinfo=UTC)
    assert first.content == Content("<p>Hello <i>world</i>.</p>", "html")
    assert second.content == Content("<p>Encoded <b>bold</b></p>", "html")


def test_rss10_rdf():
    feed = _parse("rss10_rdf.xml")
    assert feed.format == "rss10"
    assert feed.title == "RDF Site Summary"
    first, second = feed.entries
    assert first.link == "http://rdf.example.com/a"
    assert first.summary == Content("Beschreibung über den Artikel", "html")
    assert first.authors == ("Erika Mustermann",)
    assert first.categories == ("Politik",)
    assert first.published == datetime(2014, 3, 12, 7, tzinfo=UTC)
    assert second.title == "Zweiter Artikel"


def test_json_feed_11():
    feed = _parse("jsonfeed11.json")
    assert (feed.format, feed.title, feed.language) == ("json11", "JSON Desk", "en-US")
    assert feed.icon == "https://json.example.com/icon.png"
    first, second = feed.entries
    assert first.guid == "2347259"
    assert first.authors == ("Ann Smith", "Bob Jones")
    assert first.categories == ("World", "Europe")
    assert first.updated == datetime(2014, 3, 12, 11, 30, tzinfo=UTC)
    assert first.enclosures == (Enclosure("https://json.example.com/a.mp3", "audio/mpeg", 1000),)
    assert second.guid == "42"
    assert second.content == Content("Plain <text> & more\nsecond line", "text")
    assert second.authors == ("Feed Author",)


REALISTIC_RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Wire</title><link>https://wire.example.com/</link><language>en</language>
<item><title>One</title><link>https://wire.example.com/1</link><guid>w-1</guid>
<description><![CDATA[<p>First &nbsp; story</p>]]></description>
<content:encoded><![CDATA[<p>Body &amp; more</p>]]></content:encoded>
<dc:creator>A. Writer</dc:creator><category>World</category>
<pubDate>Tue, 11 Mar 2014 10:00:00 GMT</pubDate></item>
<item><title>Two &amp; three</title><link>https://wire.example.com/2</link><guid>w-2</guid>
<description>Second</description><pubDate>Tue, 11 Mar 2014 09:00:00 GMT</pubDate></item>
</channel></rss>"""


def test_realistic_rss_stays_on_the_fast_path():
    feed = parse_feed(REALISTIC_RSS, url="https://wire.example.com/rss")
    assert not feed.used_fallback
    assert feed.language == "en"
    one, two = feed.entries
    assert one.guid == "w-1"
    assert one.summary == Content("<p>First &nbsp; story</p>", "html")
    assert one.content == Content("<p>Body &amp; more</p>", "html")
    assert one.authors == ("A. Writer",)
    assert two.title == "Two & three"
    assert two.content is None


@pytest.mark.parametrize(
    "marker",
    [
        b"&nbsp;",  # an HTML entity outside CDATA: fastfeedparser would lose text
        b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "x">',
    ],
)
def test_untrustworthy_documents_use_the_tolerant_parser(marker):
    if marker.startswith(b"<!DOCTYPE"):
        data = REALISTIC_RSS.replace(b"<rss ", marker + b"\n<rss ", 1)
    else:
        data = REALISTIC_RSS.replace(b"<description>Second", b"<description>Sec" + marker + b"ond")
    feed = parse_feed(data)
    assert feed.used_fallback
    assert feed.entries[1].summary is not None
    assert feed.entries[1].summary.value.endswith("ond")
