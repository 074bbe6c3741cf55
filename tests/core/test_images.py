"""Choosing an article's lead picture among what the feed and the page offer."""

from __future__ import annotations

import pytest

from newsstand.core.entries import Enclosure, ParsedEntry
from newsstand.core.images import (
    ImageCandidate,
    better_lead_image,
    choose_image,
    html_images,
    looks_decorative,
)
from newsstand.core.normalise import lead_image
from newsstand.core.parse import parse_feed

FEED = "https://news.example/feed.xml"


@pytest.mark.parametrize(
    "candidate",
    [
        ImageCandidate("https://cdn.example/pixel.gif", "media_content", 1, 1),
        ImageCandidate("https://cdn.example/a.jpg", "media_content", 88, 31),  # a badge
        ImageCandidate("https://cdn.example/a.jpg", "media_content", 1200, 90),  # a strip
        ImageCandidate("https://cdn.example/a.jpg", "media_content", 90, 1200),
        ImageCandidate("https://cdn.example/site-logo.png", "og_image"),
        ImageCandidate("https://cdn.example/logos/bbc.png", "og_image"),
        ImageCandidate("https://cdn.example/static/favicon-32.png", "feed"),
        ImageCandidate("https://cdn.example/icons/share.png", "feed"),
        ImageCandidate("https://cdn.example/img/default-image.jpg", "og_image"),
        ImageCandidate("https://cdn.example/u/avatar_123.jpg", "content_figure"),
        ImageCandidate("https://cdn.example/drawing.svg", "media_content"),
        ImageCandidate("https://cdn.example/a", "enclosure", mime_type="image/svg+xml"),
        ImageCandidate("https://cdn.example/a", "enclosure", mime_type="audio/mpeg"),
        ImageCandidate("https://pixel.wp.com/g.gif?x=1", "content_figure"),
        ImageCandidate("https://feeds.feedburner.com/~r/x/~4/abc", "content_figure"),
    ],
)
def test_decoration_is_never_chosen(candidate: ImageCandidate) -> None:
    assert looks_decorative(candidate)
    assert choose_image([candidate]) == ""


@pytest.mark.parametrize(
    "candidate",
    [
        ImageCandidate("https://cdn.example/2024/03/harbour.jpg", "media_content", 1200, 800),
        ImageCandidate("https://cdn.example/photos/iconic-bridge.jpg", "og_image"),
        ImageCandidate("https://cdn.example/uploads/road-pad.jpg", "feed"),
        ImageCandidate("https://cdn.example/p/123.webp", "enclosure", mime_type="image/webp"),
    ],
)
def test_news_pictures_are_kept(candidate: ImageCandidate) -> None:
    assert not looks_decorative(candidate)
    assert choose_image([candidate]) == candidate.url


def test_the_largest_known_picture_wins_then_the_most_reliable_source() -> None:
    thumb = ImageCandidate("https://c.example/t.jpg", "media_thumbnail", 150, 100)
    big = ImageCandidate("https://c.example/b.jpg", "media_content", 1200, 800)
    unknown = ImageCandidate("https://c.example/u.jpg", "jsonfeed")
    figure = ImageCandidate("https://c.example/f.jpg", "content_figure")
    assert choose_image([thumb, unknown, big, figure]) == big.url
    assert choose_image([figure, unknown]) == unknown.url
    assert choose_image([]) == ""


def test_html_images_reads_sizes_and_unescapes() -> None:
    html = (
        '<p>x</p><img src="https://c.example/a.jpg?x=1&amp;y=2" width="640" height="360px">'
        '<figure><img alt="" src="https://c.example/b.png"></figure><img alt="no source">'
    )
    assert html_images(html) == [
        ImageCandidate("https://c.example/a.jpg?x=1&y=2", "content_figure", 640, 360),
        ImageCandidate("https://c.example/b.png", "content_figure", 0, 0),
    ]
    assert html_images("") == []


def test_the_pages_picture_stands_in_for_a_missing_or_decorative_feed_picture() -> None:
    feed = "https://c.example/photo.jpg"
    assert better_lead_image(feed, "https://c.example/og-photo.jpg") == feed
    assert better_lead_image("", "https://c.example/og.jpg") == "https://c.example/og.jpg"
    logo = "https://c.example/logo.png"
    assert better_lead_image(logo, "https://c.example/og.jpg") == "https://c.example/og.jpg"
    assert better_lead_image("", "https://c.example/brand-logo.png") == ""
    assert better_lead_image("", "") == ""


def test_normalising_an_entry_chooses_among_media_enclosures_and_figures() -> None:
    entry = ParsedEntry(
        title="t",
        image="https://c.example/logo.png",
        media=(
            ImageCandidate("https://c.example/thumb.jpg", "media_thumbnail", 150, 100),
            ImageCandidate("/big.jpg", "media_content", 1600, 900),
        ),
        enclosures=(Enclosure("https://c.example/e.jpg", "image/jpeg", 1000),),
    )
    assert lead_image(entry, FEED, "") == "https://news.example/big.jpg"  # made absolute
    only_figure = ParsedEntry(title="t")
    html = '<img src="https://c.example/1x1.gif" width="1" height="1"><img src="https://c.example/f.jpg">'
    assert lead_image(only_figure, FEED, html) == "https://c.example/f.jpg"
    hostile = ParsedEntry(title="t", image="javascript:alert(1)")
    assert lead_image(hostile, FEED, '<img src="data:image/gif;base64,R0l=">') == ""


def test_every_feed_format_offers_its_pictures_with_their_sizes() -> None:
    rss = b"""<?xml version="1.0"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">
    <channel><title>t</title><link>https://n.example/</link><item><title>x</title>
    <link>https://n.example/1</link>
    <media:content url="https://n.example/big.jpg" medium="image" width="1200" height="800"/>
    </item></channel></rss>"""
    (entry,) = parse_feed(rss, url=FEED).entries
    assert entry.media == (ImageCandidate("https://n.example/big.jpg", "media_content", 1200, 800),)
    json_feed = b"""{"version": "https://jsonfeed.org/version/1.1", "title": "t",
      "items": [{"id": "1", "url": "https://n.example/1", "title": "x",
                 "image": "https://n.example/i.jpg", "banner_image": "https://n.example/b.jpg"}]}"""
    (item,) = parse_feed(json_feed, url=FEED).entries
    assert [m.url for m in item.media] == ["https://n.example/i.jpg", "https://n.example/b.jpg"]
    assert all(m.origin == "jsonfeed" for m in item.media)
