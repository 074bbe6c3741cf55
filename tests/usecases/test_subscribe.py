"""Subscribing: one feed, an OPML file, and the export back (no fetching happens here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsstand.core.errors import InvalidURL
from newsstand.core.opml import parse_opml
from newsstand.sources.models import Feed, Publisher
from newsstand.usecases.subscribe import add_feed, default_opml, export_opml, import_opml

pytestmark = pytest.mark.django_db

OPML = Path(__file__).parent.parent / "data" / "opml" / "nested-categories.opml"


def test_a_new_feed_makes_its_publisher_with_a_country_from_the_host() -> None:
    feed, created = add_feed(
        "https://feeds.bbci.co.uk/news/world/rss.xml",
        title="BBC News - World",
        homepage="https://www.bbc.co.uk/news/world",
        section="World",
    )
    assert created
    assert feed.url == "https://feeds.bbci.co.uk/news/world/rss.xml"
    assert feed.section_hint is not None and feed.section_hint.slug == "world"
    publisher = feed.publisher
    assert (publisher.host, publisher.country, publisher.name) == (
        "bbc.co.uk",
        "GB",
        "BBC News - World",
    )


def test_feeds_of_one_host_share_a_publisher_named_by_their_common_words() -> None:
    add_feed("https://bbc.co.uk/world.xml", title="BBC News - World")
    add_feed("https://bbc.co.uk/business.xml", title="BBC News - Business")
    assert list(Publisher.objects.values_list("name", flat=True)) == ["BBC News"]
    assert Feed.objects.count() == 2


def test_a_generic_domain_leaves_the_country_unknown() -> None:
    feed, _ = add_feed("https://www.nytimes.com/rss/world.xml")
    assert feed.publisher.country == ""


def test_the_same_url_twice_is_one_feed() -> None:
    first, created = add_feed("https://example.org/feed.xml")
    again, created_again = add_feed("https://example.org/feed.xml")
    assert created and not created_again and first.pk == again.pk


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/feed", "/feed.xml"])
def test_only_http_urls_are_subscribed(url: str) -> None:
    with pytest.raises(InvalidURL):
        add_feed(url)
    assert not Feed.objects.exists()


def test_an_opml_import_subscribes_each_feed_once_and_exports_them_back() -> None:
    report = import_opml(OPML.read_bytes())
    again = import_opml(OPML.read_bytes())
    assert report.added == Feed.objects.count() >= 4
    assert (again.added, again.existing) == (0, report.added)
    dw = Feed.objects.get(url="https://rss.dw.com/rdf/rss-en-all")
    assert dw.publisher.homepage == "https://www.dw.com/en/"

    exported = parse_opml(export_opml())
    assert {o.xml_url for o in exported.outlines} == set(Feed.objects.values_list("url", flat=True))


def test_the_curated_list_imports_with_countries_for_national_domains() -> None:
    report = import_opml(default_opml())
    assert report.added >= 100
    countries = set(Publisher.objects.exclude(country="").values_list("country", flat=True))
    assert {"GB", "DE", "FR"} <= countries
