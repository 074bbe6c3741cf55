"""Enrichment after extraction: entities stored, and the weak supervision the operator's
section model trains on."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsstand.articles.models import Article, ArticleEntity, FullTextState
from newsstand.sources.models import Section
from newsstand.usecases.enrich import declared_examples, enrich_articles, enrich_pending
from newsstand.usecases.fulltext import FullTextConfig, RobotsCache, extract_pending

from .fulltext_pages import article_page, make_article, make_feed, make_publisher
from .publisher import Route

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 1, 12, 5, tzinfo=UTC)
SUMMIT = [
    "German Chancellor Angela Merkel met French President Emmanuel Macron in Paris on "
    "Tuesday to prepare the summit of the European Union that opens next week in Brussels.",
    "Merkel said the two countries agreed on the budget and on the new rules for banks, and "
    "Macron added that the remaining questions would be settled by the finance ministers.",
    "The meeting in Paris lasted three hours. Officials of both governments said the talks "
    "had been friendly, though neither side gave details about the proposals on migration.",
    "The European Union summit will be chaired by the Council's president and is expected to "
    "last two days. Leaders will also discuss trade with China and the war in Ukraine.",
    "Merkel, who leaves office next year, has attended more summits than any other leader. "
    "Macron praised her patience and said Europe would miss her steady hand in a crisis.",
]


def test_extracted_articles_get_their_entities(publisher, config, enrichment):
    publisher.routes["/news/summit"] = Route(
        article_page("Merkel and Macron meet in Paris", SUMMIT), content_type="text/html"
    )
    feed = make_feed(make_publisher(), publisher.url("/feed.xml"))
    article = make_article(
        feed, publisher.url("/news/summit"), title="Merkel and Macron meet in Paris"
    )
    Article.objects.filter(pk=article.pk).update(
        full_text_state=FullTextState.PENDING, full_text_next_at=NOW, language="en"
    )
    report = extract_pending(
        config=FullTextConfig(policy=config.policy),
        enrichment=enrichment,
        now=NOW,
        robots=RobotsCache(),
    )
    assert report.extracted == 1
    article.refresh_from_db()
    assert article.enriched_at == NOW
    named = {
        (link.entity.kind, link.entity.name): link.mentions
        for link in ArticleEntity.objects.filter(article=article).select_related("entity")
    }
    assert ("person", "Angela Merkel") in named
    assert ("person", "Emmanuel Macron") in named
    assert ("place", "Paris") in named
    assert named[("person", "Angela Merkel")] >= 3
    # Enriching again does not count the mentions twice.
    enrich_articles([article.pk], config=enrichment)
    again = ArticleEntity.objects.get(article=article, entity__name="Angela Merkel")
    assert again.mentions == named[("person", "Angela Merkel")]


def test_enrich_pending_takes_the_articles_never_enriched(publisher, enrichment):
    feed = make_feed(make_publisher(), publisher.url("/feed.xml"))
    done = make_article(feed, publisher.url("/done"), title="Already enriched")
    Article.objects.filter(pk=done.pk).update(enriched_at=NOW)
    fresh = [make_article(feed, publisher.url(f"/{n}"), title=f"New {n}") for n in range(3)]
    report = enrich_pending(limit=2, config=enrichment, now=NOW)
    assert report.articles == 2
    assert enrich_pending(config=enrichment, now=NOW).articles == 1
    assert enrich_pending(config=enrichment, now=NOW).articles == 0
    assert set(Article.objects.values_list("enriched_at", flat=True)) == {NOW}
    assert len(fresh) == 3


def test_the_operator_model_learns_only_from_sections_the_feeds_declared(publisher):
    world = Section.objects.get(slug="world")
    sport = Section.objects.get(slug="sport")
    owner = make_publisher()
    # A true section feed: the classifier agreed with its section on 19 of 20 articles.
    hinted = make_feed(owner, publisher.url("/world.xml"))
    hinted.section_hint = world
    hinted.section_votes, hinted.section_agreements = 20, 19
    hinted.save()
    # A general feed filed under World: the classifier agreed on 8 of 20.
    folder = make_feed(owner, publisher.url("/folder.xml"))
    folder.section_hint = world
    folder.section_votes, folder.section_agreements = 20, 8
    folder.save()
    plain = make_feed(owner, publisher.url("/all.xml"))
    in_folder = make_article(folder, publisher.url("/e"), title="Filed under World")
    Article.objects.filter(pk=in_folder.pk).update(section=world)
    from_hint = make_article(hinted, publisher.url("/a"), title="From the world feed")
    from_categories = make_article(plain, publisher.url("/b"), title="Categorised as sport")
    classified = make_article(plain, publisher.url("/c"), title="Sectioned by the classifier")
    undeclared = make_article(plain, publisher.url("/d"), title="No section at all")
    Article.objects.filter(pk=from_hint.pk).update(section=world)
    Article.objects.filter(pk=from_categories.pk).update(section=sport, categories=["Football"])
    Article.objects.filter(pk=classified.pk).update(section=world, categories=["Misc"])
    examples = declared_examples()
    assert sorted((title, slug) for title, _text, slug in examples) == [
        ("Categorised as sport", "sport"),
        ("From the world feed", "world"),
    ]
    assert undeclared.title not in {title for title, _, _ in examples}


# --- language and sections -------------------------------------------------------------

SPORT = [
    "The striker scored twice as the home team won the match in front of a full stadium",
    "The coach praised the defence after a late goal gave the club the league title",
    "The goalkeeper saved a penalty in the final minute and the fans celebrated the cup win",
    "The midfielder was injured in training and will miss the derby against the champions",
]
BUSINESS = [
    "Shares in the bank rose after profits beat forecasts and the dividend was raised",
    "The company reported higher revenue as investors welcomed the merger with its rival",
    "Inflation slowed and the central bank kept interest rates on hold for the quarter",
    "The retailer cut its outlook as sales fell and the board announced job losses",
]


def _sectioned(feed, section, sentences, count):
    for n in range(count):
        text = f"{sentences[n % len(sentences)]}. {sentences[(n + 1) % len(sentences)]} ({n})."
        article = make_article(feed, f"{feed.url}/{n}", title=f"{section.name} story {n}")
        Article.objects.filter(pk=article.pk).update(section=section, summary=f"<p>{text}</p>")


def test_the_operator_model_is_trained_saved_and_preferred(publisher, enrichment):
    from newsstand.usecases.enrich import train_operator_model

    owner = make_publisher()
    sport, business = Section.objects.get(slug="sport"), Section.objects.get(slug="business")
    feeds = {}
    for section in (sport, business):
        feed = make_feed(owner, publisher.url(f"/{section.slug}.xml"))
        feed.section_hint = section
        feed.section_votes = feed.section_agreements = 40  # true section feeds
        feed.save()
        feeds[section.slug] = feed
    _sectioned(feeds["sport"], sport, SPORT, 20)
    too_few = train_operator_model(config=enrichment)
    assert too_few.saved == "" and "20 examples" in too_few.reason
    _sectioned(feeds["business"], business, BUSINESS, 20)
    report = train_operator_model(config=enrichment, min_examples=40)
    assert report.sections == {"sport": 20, "business": 20}
    assert report.saved == str(enrichment.section_model) and enrichment.section_model.exists()
    plain = make_feed(owner, publisher.url("/all.xml"))
    match = make_article(
        plain,
        publisher.url("/match"),
        title="Late goal wins the derby",
        summary="<p>The striker scored in the final minute and the fans celebrated.</p>",
    )
    results = make_article(
        plain,
        publisher.url("/results"),
        title="Bank profits rise",
        summary="<p>Shares rose after the bank reported higher profits and revenue.</p>",
    )
    enrich_articles([match.pk, results.pk], config=enrichment)
    assert Article.objects.get(pk=match.pk).section == sport
    assert Article.objects.get(pk=results.pk).section == business


def test_language_is_detected_with_the_feed_language_as_a_hint(publisher, enrichment):
    feed = make_feed(make_publisher(), publisher.url("/feed.xml"))
    german = make_article(
        feed,
        publisher.url("/de"),
        title="Der Stadtrat stimmt für den Neubau der Hafenbrücke",
        summary="<p>Der Stadtrat hat am Dienstag beschlossen, die alte Hafenbrücke neu zu bauen. "
        "Die Arbeiten sollen im Frühjahr beginnen und drei Jahre dauern.</p>",
    )
    enrich_articles([german.pk], config=enrichment)
    assert Article.objects.get(pk=german.pk).language == "de"
