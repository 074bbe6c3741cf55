"""Sections decided per article in enrichment, on the demo corpus's real headlines.

In the demo every publisher's feed sits in the folder of its most frequent category, so a
general feed filed under Technology (KY3) carried a royal engagement into Technology, and a
press-release feed filed under Health (Techsonian) carried stock news into Health. Decision
0020: the feed's folder decides only for a true section feed, learnt from how often the
classifier agrees with it; elsewhere it weighs in beside the article's own evidence.

The shipped model was trained on these headlines among others (the demo corpus is one of its
training sets): these tests check the decision path. How well the model does on news it never
saw is measured by bench/classification_accuracy.py.
"""

from __future__ import annotations

import pytest

from newsstand.articles.models import Article
from newsstand.demo.corpus import load_corpus
from newsstand.sources.models import Feed, Section
from newsstand.usecases.enrich import enrich_articles

from .fulltext_pages import make_article, make_feed, make_publisher

pytestmark = pytest.mark.django_db

SLUGS = {"Business": "business", "Technology": "technology", "Entertainment": "entertainment"}


def _demo_feed(publisher, name: str, folder: str) -> tuple[Feed, list[tuple[Article, str]]]:
    """The demo publisher's feed, filed under ``folder``, with its real headlines (no
    categories, no text: the headline alone) and each one's true section."""
    source = next(p for p in load_corpus().publishers if p.name == name)
    feed = make_feed(make_publisher(name), publisher.url(f"/{source.slug}.xml"))
    feed.section_hint = Section.objects.get(slug=folder)
    feed.save()
    articles = []
    for n, item in enumerate(source.items):
        article = make_article(feed, publisher.url(f"/{source.slug}/{n}"), title=item.title)
        Article.objects.filter(pk=article.pk).update(
            summary="", section=feed.section_hint, language="en"
        )
        articles.append((article, SLUGS.get(item.category, item.category.lower())))
    return feed, articles


def _sections(articles):
    return {
        article.title: Article.objects.get(pk=article.pk).section.slug for article, _ in articles
    }


def test_a_general_feed_filed_under_technology_keeps_a_royal_engagement_out(publisher, enrichment):
    feed, articles = _demo_feed(publisher, "KY3", "technology")
    truth = {article.title: slug for article, slug in articles}
    assert truth["Odds slashed on Prince Harry engagement"] == "entertainment"
    assert sum(slug == "technology" for slug in truth.values()) >= 2  # it is a mixed feed

    enrich_articles([article.pk for article, _ in articles], config=enrichment)

    found = _sections(articles)
    assert found["Odds slashed on Prince Harry engagement"] == "entertainment"
    assert found == truth
    feed.refresh_from_db()
    assert feed.section_votes == len(articles)
    assert feed.section_agreements == sum(slug == "technology" for slug in truth.values())


def test_press_releases_filed_under_health_go_to_business(publisher, enrichment):
    feed, articles = _demo_feed(publisher, "Techsonian (press release)", "health")
    stock_news = [a for a, slug in articles if slug == "business"]
    assert len(stock_news) >= 3

    enrich_articles([article.pk for article, _ in articles], config=enrichment)

    for article in stock_news:
        assert Article.objects.get(pk=article.pk).section.slug == "business", article.title
    feed.refresh_from_db()
    assert feed.section_votes == len(articles)
    assert feed.section_agreements < 0.75 * feed.section_votes  # not a true section feed


def test_a_true_section_feeds_folder_wins_and_votes_count_once(publisher, enrichment):
    feed, articles = _demo_feed(publisher, "KY3", "technology")
    # The classifier confirmed this feed's section on 38 of its last 40 articles.
    Feed.objects.filter(pk=feed.pk).update(section_votes=40, section_agreements=38)

    enrich_articles([article.pk for article, _ in articles], config=enrichment)

    assert set(_sections(articles).values()) == {"technology"}
    feed.refresh_from_db()
    counted = feed.section_votes
    assert counted == 40 + len(articles)
    # Deciding again after full text was extracted does not vote again.
    enrich_articles([article.pk for article, _ in articles], config=enrichment, reclassify=True)
    feed.refresh_from_db()
    assert feed.section_votes == counted
