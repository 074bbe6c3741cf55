"""The details of authors, links, tags and the feed's own metadata, on every path.

The fast path builds them from three sources (fastfeedparser, the feed's head read with
lxml, and one pass over the markup); each document here is also given to the tolerant
parser directly, and both must agree.
"""

from datetime import UTC, datetime

import pytest

from newsstand.core.entries import Generator, Image, Link, ParsedFeed, Person, Tag
from newsstand.core.parse import parse_feed
from newsstand.core.parsing.tolerant import parse_tolerant

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
  <title>Ledger</title>
  <link>https://ledger.example.com/</link>
  <description>Daily news</description>
  <language>en</language>
  <copyright>(c) Ledger</copyright>
  <managingEditor>desk@ledger.example.com (News Desk)</managingEditor>
  <generator>Publisher 4.2</generator>
  <pubDate>Mon, 10 Mar 2014 08:00:00 GMT</pubDate>
  <lastBuildDate>Mon, 10 Mar 2014 09:30:00 +0100</lastBuildDate>
  <category domain="https://ledger.example.com/sections">News</category>
  <atom:link rel="self" type="application/rss+xml" href="https://ledger.example.com/feed"/>
  <image><url>https://ledger.example.com/logo.png</url><title>Ledger</title>
    <link>https://ledger.example.com/</link><width>88</width><height>31</height></image>
  <item>
    <title>First</title>
    <link>https://ledger.example.com/first</link>
    <guid>first</guid>
    <author>jane@ledger.example.com (Jane Roe)</author>
    <category domain="https://ledger.example.com/tags">Economy</category>
    <category>Markets</category>
    <pubDate>Mon, 10 Mar 2014 07:15:00 GMT</pubDate>
    <description><![CDATA[<p>Body</p>]]></description>
  </item>
  <item>
    <title>Second</title>
    <link>https://ledger.example.com/second</link>
    <guid>second</guid>
    <description>Plain</description>
  </item>
</channel>
</rss>
"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>Desk</title>
  <subtitle>What happened</subtitle>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <updated>2014-03-11T18:30:02Z</updated>
  <rights>CC BY 4.0</rights>
  <generator uri="https://gen.example.org/" version="1.0">Gen</generator>
  <logo>https://desk.example.org/logo.png</logo>
  <icon>https://desk.example.org/favicon.ico</icon>
  <author><name>Desk Editor</name><email>editor@desk.example.org</email></author>
  <link rel="alternate" type="text/html" href="https://desk.example.org/"/>
  <link rel="self" type="application/atom+xml" href="https://desk.example.org/feed.atom"/>
  <category term="world" scheme="https://desk.example.org/sections" label="World"/>
  <entry>
    <title>Two authors</title>
    <id>tag:desk.example.org,2014:1</id>
    <link rel="alternate" type="text/html" title="Read" href="https://desk.example.org/1"/>
    <link rel="related" href="https://other.example.org/background"/>
    <published>2014-03-11T17:17:51+01:00</published>
    <updated>2014-03-11T18:00:00Z</updated>
    <author>
      <name>John Doe</name>
      <email>john@desk.example.org</email>
      <uri>https://desk.example.org/john</uri>
    </author>
    <author><name>Mary Major</name></author>
    <category term="politics" scheme="https://desk.example.org/tags" label="Politics"/>
    <summary>Short</summary>
  </entry>
  <entry>
    <title>No author</title>
    <id>tag:desk.example.org,2014:2</id>
    <link href="https://desk.example.org/2"/>
    <updated>2014-03-10T08:00:00Z</updated>
    <summary>Other</summary>
  </entry>
</feed>
"""


def _both(data: bytes) -> tuple[ParsedFeed, ParsedFeed]:
    fast = parse_feed(data)
    assert not fast.used_fallback
    return fast, parse_tolerant(data)


@pytest.mark.parametrize("path", ["fast", "tolerant"])
def test_rss_authors_tags_and_channel_metadata(path):
    feed = dict(zip(("fast", "tolerant"), _both(RSS), strict=True))[path]
    first, second = feed.entries
    assert first.people == (Person("Jane Roe", "jane@ledger.example.com"),)
    assert first.authors == ("Jane Roe",)
    assert first.tags == (Tag("Economy", "https://ledger.example.com/tags"), Tag("Markets"))
    assert first.categories == ("Economy", "Markets")
    assert first.links[0].href == "https://ledger.example.com/first"
    assert first.published_text == "Mon, 10 Mar 2014 07:15:00 GMT"
    assert first.published == datetime(2014, 3, 10, 7, 15, tzinfo=UTC)
    assert second.people == ()
    assert feed.people == (Person("News Desk", "desk@ledger.example.com"),)
    assert feed.rights == "(c) Ledger"
    assert feed.generator == Generator("Publisher 4.2")
    assert feed.image == Image(
        "https://ledger.example.com/logo.png", "Ledger", "https://ledger.example.com/", 88, 31
    )
    assert feed.tags == (Tag("News", "https://ledger.example.com/sections"),)
    assert feed.icon == "https://ledger.example.com/logo.png"
    assert Link("https://ledger.example.com/feed", "self", "application/rss+xml") in feed.links
    assert feed.published == datetime(2014, 3, 10, 8, tzinfo=UTC)
    assert feed.updated == datetime(2014, 3, 10, 8, 30, tzinfo=UTC)
    assert feed.updated_text == "Mon, 10 Mar 2014 09:30:00 +0100"
    assert feed.description_type == "html"


@pytest.mark.parametrize("path", ["fast", "tolerant"])
def test_atom_people_links_tags_and_feed_metadata(path):
    feed = dict(zip(("fast", "tolerant"), _both(ATOM), strict=True))[path]
    first, second = feed.entries
    john = Person("John Doe", "john@desk.example.org", "https://desk.example.org/john")
    assert first.people[0] == john
    if path == "fast":  # feedparser gives the second author the first one's e-mail address
        assert first.people == (john, Person("Mary Major"))
    assert first.authors == ("John Doe", "Mary Major")
    # (feedparser gives a link without a type "text/html"; the fast path leaves it empty)
    assert [(link.href, link.rel, link.title) for link in first.links] == [
        ("https://desk.example.org/1", "alternate", "Read"),
        ("https://other.example.org/background", "related", ""),
    ]
    assert first.links[0].type == "text/html"
    assert first.tags == (Tag("politics", "https://desk.example.org/tags", "Politics"),)
    assert first.published_text == "2014-03-11T17:17:51+01:00"
    assert first.updated_text == "2014-03-11T18:00:00Z"
    assert second.people == ()
    assert [(link.href, link.rel) for link in second.links] == [
        ("https://desk.example.org/2", "alternate")
    ]
    assert feed.id == "urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6"
    assert feed.people == (Person("Desk Editor", "editor@desk.example.org"),)
    assert feed.rights == "CC BY 4.0"
    assert feed.generator == Generator("Gen", "https://gen.example.org/", "1.0")
    assert feed.image is not None and feed.image.url == "https://desk.example.org/logo.png"
    assert feed.icon == "https://desk.example.org/favicon.ico"
    assert feed.tags == (Tag("world", "https://desk.example.org/sections", "World"),)
    assert Link("https://desk.example.org/feed.atom", "self", "application/atom+xml") in (
        feed.links
    )
    assert feed.updated == datetime(2014, 3, 11, 18, 30, 2, tzinfo=UTC)
    assert feed.description_type == "text"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # an author element fastfeedparser and the markup pass would both misread
        (b"<author><name>Mary Major</name></author>", b"<author><name>Mary</name><x/></author>"),
        (b"<author><name>Mary Major</name></author>", b'<author xml:lang="en"><name>M</name></author>'),
        (b"<name>Mary Major</name>", b"<name><![CDATA[Mary]]></name>"),
        # a quoted source feed, whose authors and dates are not the entry's
        (b"<summary>Short</summary>", b"<source><id>x</id><updated>2014-01-01T00:00:00Z</updated></source>"),
        # an XHTML subtitle and a base64 rights text
        (b"<subtitle>What happened</subtitle>", b'<subtitle type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">W</div></subtitle>'),
        (b"<rights>CC BY 4.0</rights>", b'<rights type="application/octet-stream">Q0M=</rights>'),
    ],
)  # fmt: skip
def test_atom_details_the_fast_path_cannot_read_go_to_the_tolerant_parser(old, new):
    assert old in ATOM
    feed = parse_feed(ATOM.replace(old, new, 1))
    assert feed.used_fallback


def test_media_category_goes_to_the_tolerant_parser_for_its_scheme():
    data = RSS.replace(
        b"<category>Markets</category>",
        b'<media:category scheme="urn:x">Markets</media:category>',
    ).replace(b'version="2.0"', b'version="2.0" xmlns:media="http://search.yahoo.com/mrss/"')
    feed = parse_feed(data)
    assert feed.used_fallback
    assert Tag("Markets", "urn:x") in feed.entries[0].tags


def test_json_feed_people_tags_and_links():
    data = b"""{"version": "https://jsonfeed.org/version/1.1", "title": "J",
      "home_page_url": "https://j.example.org/", "feed_url": "https://j.example.org/feed.json",
      "authors": [{"name": "Feed Author", "url": "https://j.example.org/about"}],
      "items": [{"id": "1", "url": "https://j.example.org/1", "external_url": "https://x.org/",
                 "tags": ["a", "b", "a"], "date_published": "2014-03-10T08:00:00+01:00",
                 "content_text": "t"}]}"""
    feed = parse_feed(data)
    (entry,) = feed.entries
    assert entry.people == (Person("Feed Author", href="https://j.example.org/about"),)
    assert entry.authors == ("Feed Author",)
    assert entry.tags == (Tag("a"), Tag("b"))
    assert entry.links == (
        Link("https://j.example.org/1"),
        Link("https://x.org/", "related"),
    )
    assert entry.published_text == "2014-03-10T08:00:00+01:00"
    assert Link("https://j.example.org/feed.json", "self") in feed.links


def test_a_date_that_is_not_plain_text_keeps_no_text_on_the_fast_path():
    data = ATOM.replace(
        b"<updated>2014-03-10T08:00:00Z</updated>",
        b'<updated xml:lang="en">2014-03-10T08:00:00Z</updated>',
    )
    feed = parse_feed(data)
    assert not feed.used_fallback
    assert feed.entries[1].updated_text == ""
    assert feed.entries[1].updated == datetime(2014, 3, 10, 8, tzinfo=UTC)
