"""The curated default feed list shipped as package data (never fetched by tests)."""

from __future__ import annotations

from collections import Counter
from importlib import resources
from urllib.parse import urlsplit

from newsstand.core.opml import OpmlDocument, parse_opml

SECTIONS = {"World", "Business", "Technology", "Science", "Sport", "Culture"}
LANGUAGES = {
    "English", "Deutsch", "Français", "Español", "Português", "Italiano", "Nederlands",
    "Svenska", "Русский", "Türkçe", "العربية", "हिन्दी", "日本語", "中文",
}  # fmt: skip


def default_feeds() -> OpmlDocument:
    data = resources.files("newsstand.data").joinpath("default-feeds.opml").read_bytes()
    return parse_opml(data)


def test_parses_cleanly_with_at_least_100_unique_feeds() -> None:
    doc = default_feeds()
    assert doc.skipped == ()
    assert doc.truncated is False
    urls = [o.xml_url for o in doc.outlines]
    assert len(set(urls)) == len(urls) >= 100
    assert all(urlsplit(u).scheme in {"http", "https"} for u in urls)
    assert all(o.title for o in doc.outlines)
    assert all(o.html_url.startswith(("http://", "https://")) for o in doc.outlines)


def test_every_feed_sits_in_a_section_then_a_language() -> None:
    doc = default_feeds()
    assert all(len(o.category_path) == 2 for o in doc.outlines)
    sections = Counter(o.category for o in doc.outlines)
    languages = Counter(o.category_path[1] for o in doc.outlines)
    assert set(sections) == SECTIONS
    assert all(count >= 10 for count in sections.values())
    assert set(languages) <= LANGUAGES
    assert len(languages) >= 5
    assert sum(n for lang, n in languages.items() if lang != "English") >= 40


def test_named_publishers_are_included() -> None:
    hosts = {urlsplit(o.xml_url).hostname for o in default_feeds().outlines}
    expected = {
        "Caixin Global": "www.caixinglobal.com",
        "South China Morning Post": "www.scmp.com",
        "NHK World": "www3.nhk.or.jp",
        "Al Jazeera": "www.aljazeera.com",
        "BBC": "feeds.bbci.co.uk",
        "DW": "rss.dw.com",
        "France 24": "www.france24.com",
        "NPR": "feeds.npr.org",
        "The Guardian": "www.theguardian.com",
    }
    missing = {name for name, host in expected.items() if host not in hosts}
    assert missing == set()
