"""Golden checks on shared fixtures: lemon24/reader's feeds and the JSON Feed examples.

Read from ../shared/data (never copied). Expected values come from the fixtures' own
``.py`` files (reader) and from the JSON Feed examples' contents.
"""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsstand.core.entries import Enclosure
from newsstand.core.errors import NotAFeed, ParseError
from newsstand.core.normalise import normalise_entries
from newsstand.core.parse import parse_feed

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "feeds"
READER = SHARED / "reader-fixtures" / "tests" / "data"
JSONFEED = SHARED / "jsonfeed" / "test" / "examples"
NOW = datetime(2024, 1, 1, tzinfo=UTC)


def test_reader_full_rss():
    feed = parse_feed((READER / "full.rss").read_bytes())
    assert (feed.format, feed.title, feed.link) == (
        "rss20",
        "RSS Title",
        "http://www.example.com/main.html",
    )
    first = feed.entries[0]
    assert first.guid == "7bd204c6-1655-4c27-aeee-53f933c5395f"
    assert first.title == "Example entry"
    assert first.link == "http://www.example.com/blog/post/1"
    assert first.authors == ("Example editor",)
    assert first.published == datetime(2009, 9, 6, 16, 20, tzinfo=UTC)
    assert first.summary is not None
    assert first.summary.value == "Here is some text containing an interesting description."
    assert [e.url for e in first.enclosures] == [
        "http://example.com/enclosure",
        "http://example.com/enclosure-with-type",
        "http://example.com/enclosure-with-length",
        "http://example.com/enclosure-with-bad-length",
    ]
    assert first.enclosures[1].type == "image/jpeg"
    assert first.enclosures[2].length == 100000
    assert first.enclosures[3].length is None
    assert [e.guid for e in feed.entries[2:]] == [
        "source:only-url",
        "source:only-title",
        "source:empty",
    ]


def test_reader_full_atom():
    feed = parse_feed((READER / "full.atom").read_bytes())
    assert feed.format == "atom10"
    assert feed.title == "Example Feed"
    first = feed.entries[0]
    assert first.guid == "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"
    assert first.title == "Atom-Powered Robots Run Amok"
    assert first.link == "http://example.org/2003/12/13/atom03"
    assert first.published == datetime(2003, 12, 13, 17, 17, 51, tzinfo=UTC)
    assert first.updated == datetime(2003, 12, 13, 18, 30, 2, tzinfo=UTC)
    assert first.summary is not None
    assert first.summary.value == "Some text."
    assert "http://example.org/enclosure-with-type" in [e.url for e in first.enclosures]


def test_reader_full_json():
    feed = parse_feed((READER / "full.json").read_bytes())
    assert (feed.format, feed.title, feed.link) == (
        "json11",
        "My Example Feed",
        "https://example.org/",
    )
    second, first = feed.entries[:2]
    assert second.guid == "2"
    assert second.updated == datetime(2020, 1, 4, tzinfo=UTC)
    assert second.published == datetime(2020, 1, 2, 21, tzinfo=UTC)
    assert second.enclosures[0] == Enclosure(
        "http://example.com/downloads/file.m4a", "audio/x-m4a", 12345678
    )
    assert first.link == "https://example.org/initial-post"


def test_reader_relative_rss_resolves_against_the_feed_url():
    url = "http://example.com/feeds/relative.rss"
    feed = parse_feed((READER / "relative.rss").read_bytes(), url=url)
    (candidate,) = normalise_entries(feed, feed_url=url, now=NOW)
    assert candidate.url == "http://example.com/feeds/blog/post/1"
    assert 'href="http://example.com/feeds/target"' in candidate.summary_html
    assert "<script>" not in candidate.content_html
    assert candidate.enclosures[0].url == "http://example.com/feeds/enclosure?q=a#fragment"


@pytest.mark.parametrize("name", ["empty.rss", "empty.atom", "empty.json"])
def test_reader_empty_feeds(name):
    feed = parse_feed((READER / name).read_bytes())
    assert feed.entries == () or all(not e.title for e in feed.entries)


def test_reader_json_with_wrong_types_keeps_only_what_is_well_typed():
    feed = parse_feed((READER / "invalid.json").read_bytes())
    assert (feed.title, feed.link, feed.language) == ("", "", "")
    entry = feed.entries[0]
    assert (entry.guid, entry.title, entry.link) == ("2", "", "")
    assert (entry.content, entry.summary, entry.published, entry.updated) == (None,) * 4
    assert entry.authors == ()
    assert all(isinstance(e.url, str) and e.url for e in entry.enclosures)
    assert all(e.length is None or isinstance(e.length, int) for e in entry.enclosures)


def test_reader_unknown_json_and_broken_json():
    with pytest.raises(ParseError):
        parse_feed(b'{"version": "https://jsonfeed.org/version/1.1", "items": [')
    # an unknown JSON Feed version is still read, as reader does
    assert parse_feed((READER / "unknown.json").read_bytes()).entries == ()
    with pytest.raises(NotAFeed):
        parse_feed(b'{"version": "https://example.com/not-json-feed", "items": []}')


@pytest.mark.parametrize(
    "path", sorted(JSONFEED.rglob("*.json")), ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_json_feed_examples_match_their_documents(path):
    document = json.loads(path.read_text())
    feed = parse_feed(path.read_bytes())
    assert feed.format == ("json11" if document["version"].endswith("1.1") else "json10")
    assert feed.title == document.get("title", "")
    assert [e.guid for e in feed.entries] == [str(item["id"]) for item in document["items"]]
    for entry, item in zip(feed.entries, document["items"], strict=True):
        assert entry.link == item.get("url", "")
        expected_content = item.get("content_html") or item.get("content_text")
        assert (entry.content.value if entry.content else None) == expected_content
        attachments = [a["url"] for a in item.get("attachments", [])]
        assert [e.url for e in entry.enclosures] == attachments
