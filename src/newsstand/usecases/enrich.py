"""Enrichment: language, section and entities of stored articles.

``enrich_articles(ids)`` runs after a refresh stores new articles and after full text is
extracted. For each article, from its title and text (the full text when there is one,
else the feed's summary):

- language: ``core.language.detect_language``, with the language the page or feed
  declared (else the publisher's) as a prior;
- section, decided from the article (``core.classify.decide_section``): the section
  classifier's probabilities among the sections the operator has, the entry's own
  categories, and the sections its feeds declare. A feed whose declared section the
  classifier confirms on most of its articles (counted here, in ``Feed.section_votes`` and
  ``section_agreements``) is a true section feed, and its section wins; other feeds' sections
  only weigh in. The operator's own model (``EnrichConfig.section_model``, by default
  ``<data dir>/models/sections.zip``, trained by ``train_operator_model`` on the articles
  of true section feeds and on articles whose categories name their section) is
  preferred; else the model shipped in the package.
  Loaded once per process, again when the operator's file changes;
- entities: ``core.entities.extract_entities``, stored by ``articles.entities``.

One article's failure is logged and counted; the others go on.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from newsstand.articles.entities import store_mentions
from newsstand.articles.models import Article
from newsstand.core.classify import (
    FeedVotes,
    SectionChoice,
    SectionClassifier,
    decide_section,
    section_probabilities,
)
from newsstand.core.entities import Mention, extract_entities
from newsstand.core.errors import NewsstandError
from newsstand.core.language import detect_language
from newsstand.core.sanitize import text_of_clean_html
from newsstand.core.sections import section_from_categories
from newsstand.sources.models import Feed, Section

log = logging.getLogger(__name__)


MODEL_FILE = Path("models") / "sections.zip"
MIN_TRAINING_EXAMPLES = 200
MIN_TRAINING_SECTIONS = 2
MAX_TRAINING_EXAMPLES = 50_000


@dataclass
class EnrichReport:
    articles: int = 0
    classified: int = 0  # sections decided from the article (not by a true section feed)
    failed: int = 0


@dataclass(frozen=True)
class EnrichConfig:
    """Where the operator's section model is (``newsstand.configuration`` builds it from
    the data folder); the file may not exist yet."""

    section_model: Path


# --- the classifier -----------------------------------------------------------------


class _ClassifierCache:
    """One classifier per process: the operator's (reloaded when its file changes) or
    the shipped default."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: object = None
        self._classifier: SectionClassifier | None = None

    def get(self, path: Path) -> SectionClassifier:
        try:
            stat = path.stat()
            key: object = (str(path), stat.st_mtime_ns, stat.st_size)
        except FileNotFoundError:
            key = "default"
        with self._lock:
            if self._classifier is None or key != self._key:
                self._classifier = _load(path, key)
                self._key = key
            return self._classifier


def _load(path: Path, key: object) -> SectionClassifier:
    if key != "default":
        try:
            return SectionClassifier.from_bytes(path.read_bytes())
        except (OSError, NewsstandError) as exc:
            log.warning("section model %s unreadable (%s); using the default model", path, exc)
    return _default_classifier()


_CLASSIFIER = _ClassifierCache()


def section_classifier(config: EnrichConfig) -> SectionClassifier:
    """The classifier enrichment uses (see the module doc)."""
    return _CLASSIFIER.get(config.section_model)


def article_probabilities(
    title: str, text: str, known: Collection[str], *, config: EnrichConfig
) -> dict[str, float]:
    """The probability of each ``known`` section for one article.

    The operator's model knows only the sections their feeds declare: the shipped model
    gives the probabilities of the others, and the whole is renormalised.
    """
    classifier = section_classifier(config)
    probabilities = section_probabilities(classifier, title, text, known)
    default = _default_classifier()
    if classifier is not default:
        others = section_probabilities(default, title, text, known)
        for slug in known:
            if slug not in classifier.sections:
                probabilities[slug] = others[slug]
        total = sum(probabilities.values()) or 1.0
        probabilities = {slug: p / total for slug, p in probabilities.items()}
    return probabilities


def classify_section(
    title: str, text: str, *, config: EnrichConfig, sections: Collection[str] | None = None
) -> tuple[str, float] | None:
    """The section slug (among ``sections``, else every section a model knows) and its
    probability that the classifiers give an article from its text alone; ``None`` when
    they know none of ``sections``."""
    known = sections if sections is not None else _known_to_models(config)
    probabilities = article_probabilities(title, text, known, config=config)
    if not any(probabilities.values()):
        return None
    slug = max(probabilities, key=probabilities.__getitem__)
    return slug, probabilities[slug]


def _known_to_models(config: EnrichConfig) -> list[str]:
    return sorted({*section_classifier(config).sections, *_default_classifier().sections})


@lru_cache(maxsize=1)
def _default_classifier() -> SectionClassifier:
    return SectionClassifier.load_default()


# --- enrichment ---------------------------------------------------------------------


def language_of(title: str, text: str, *, hint: str = "") -> str:
    """The language of an article (ISO 639-1), or "" when unsure; ``hint`` is what the
    page or feed declared."""
    return detect_language(f"{title}\n{text}", hint=hint)


def article_text(article: Article) -> str:
    """The article's plain text: its full text when it has one, else the summary."""
    return text_of_clean_html(article.content or article.summary)


@dataclass(frozen=True)
class _Enriched:
    """What enrichment found for one article, before it is written."""

    article_id: int
    changes: dict[str, object]
    mentions: list[Mention]
    classified: bool


@dataclass
class _Read:
    """One article read, before its section is decided (that waits for the batch's votes)."""

    article: Article
    changes: dict[str, object]
    mentions: list[Mention]
    probabilities: dict[str, float]
    feeds: list[tuple[int, str]]  # (feed id, declared slug) of its feeds that declare one
    category: str


@dataclass
class _Tally:
    votes: int = 0
    agreements: int = 0


def enrich_articles(
    ids: Iterable[int],
    *,
    config: EnrichConfig,
    reclassify: bool = False,
    now: datetime | None = None,
) -> EnrichReport:
    """Set language, section and entities of the given articles, and their ``enriched_at``
    (also when an article's enrichment failed: the log has the reason, and a failing
    article is not retried in a loop).

    The section is decided from each article (module doc). Its feeds' votes count the
    article's first enrichment only; ``reclassify`` (after full text was extracted) decides
    again from the whole text without counting again.

    Everything is worked out first and written at the end in one short transaction, so
    enrichment holds SQLite's write lock briefly. A database error there is raised (the
    batch is then retried, its articles still unenriched).
    """
    wanted = list(ids)
    report = EnrichReport()
    if not wanted:
        return report
    now = now or timezone.now()
    sections = dict(Section.objects.values_list("slug", "id"))
    slugs = {section_id: slug for slug, section_id in sections.items()}
    articles = (
        Article.objects.filter(pk__in=wanted).select_related("publisher").prefetch_related("feeds")
    )
    read: list[_Read] = []
    failed: list[int] = []
    for article in articles.iterator(chunk_size=200):
        report.articles += 1
        try:
            read.append(_read(article, sections, slugs, config))
        except Exception:
            # One article's failure (a bug, bad data) must not stop the others.
            log.exception("article %s: enrichment failed", article.pk)
            failed.append(article.pk)
    tallies = _tally(read, count=not reclassify)
    votes = _feed_votes(tallies)
    found = [_decide(item, sections, votes, now) for item in read]
    with transaction.atomic():
        for result in found:
            Article.objects.filter(pk=result.article_id).update(**result.changes)
            store_mentions(result.article_id, result.mentions)
        if failed:
            Article.objects.filter(pk__in=failed).update(enriched_at=now)
        for feed_id, tally in tallies.items():
            Feed.objects.filter(pk=feed_id).update(
                section_votes=F("section_votes") + tally.votes,
                section_agreements=F("section_agreements") + tally.agreements,
            )
    report.classified = sum(result.classified for result in found)
    report.failed = len(failed)
    return report


def enrich_pending(
    limit: int = 500, *, config: EnrichConfig, now: datetime | None = None
) -> EnrichReport:
    """Enrich up to ``limit`` articles never enriched (``enriched_at`` unset), oldest first.

    The background step after a refresh. Articles waiting for full text are enriched from
    their teaser now and again, section included, once their text is extracted. Two
    workers running at once may enrich an article twice, which is harmless (the same
    values are written, entity links are upserted) but for the feeds' section votes, which
    then count that article twice.
    """
    ids = list(
        Article.objects.filter(enriched_at__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    return enrich_articles(ids, config=config, now=now)


def _read(
    article: Article, sections: dict[str, int], slugs: dict[int, str], config: EnrichConfig
) -> _Read:
    """Language, entities and the section classifier's view of one article."""
    text = article_text(article)
    changes: dict[str, object] = {}
    hint = article.language or article.publisher.language
    language = language_of(article.title, text, hint=hint) or article.language
    if language != article.language:
        changes["language"] = language[:16]
    probabilities = (
        article_probabilities(article.title, text, sections.keys(), config=config)
        if sections
        else {}
    )
    declared = [
        (feed.pk, slugs[feed.section_hint_id])
        for feed in article.feeds.all()
        if feed.section_hint_id in slugs
    ]
    category = section_from_categories(article.categories, sections.keys())
    mentions = extract_entities(article.title, text, language=language)
    return _Read(article, changes, mentions, probabilities, declared, category)


def _tally(read: list[_Read], *, count: bool) -> dict[int, _Tally]:
    """This batch's votes per feed: did the classifier's first choice agree with the
    section the feed declares? Only articles enriched for the first time count."""
    tallies: dict[int, _Tally] = {}
    for item in read:
        if not count or item.article.enriched_at is not None or not item.probabilities:
            continue
        first = max(item.probabilities, key=item.probabilities.__getitem__)
        for feed_id, slug in item.feeds:
            tally = tallies.setdefault(feed_id, _Tally())
            tally.votes += 1
            tally.agreements += first == slug
    return tallies


def _feed_votes(tallies: dict[int, _Tally]) -> dict[int, tuple[int, int]]:
    """Every counted feed's votes so far, this batch's included: the batch informs its own
    decisions (a new feed's first articles arrive together)."""
    stored = Feed.objects.filter(pk__in=tallies).values_list(
        "pk", "section_votes", "section_agreements"
    )
    return {
        pk: (votes + tallies[pk].votes, agreements + tallies[pk].agreements)
        for pk, votes, agreements in stored
    }


def _decide(
    item: _Read, sections: dict[str, int], votes: dict[int, tuple[int, int]], now: datetime
) -> _Enriched:
    """Decide the article's section and gather what is written for it."""
    article = item.article
    changes = {**item.changes, "enriched_at": now}
    feeds = [
        FeedVotes(slug, *votes.get(feed_id, _stored_votes(article, feed_id)))
        for feed_id, slug in item.feeds
    ]
    choice = (
        decide_section(item.probabilities, feeds=feeds, category=item.category)
        if sections
        else SectionChoice("", "", 0.0)
    )
    if choice.slug and sections[choice.slug] != article.section_id:
        changes["section_id"] = sections[choice.slug]
    classified = bool(choice.slug) and choice.source != "feed"
    return _Enriched(article.pk, changes, item.mentions, classified)


def _stored_votes(article: Article, feed_id: int) -> tuple[int, int]:
    for feed in article.feeds.all():
        if feed.pk == feed_id:
            return feed.section_votes, feed.section_agreements
    return 0, 0


# --- the operator's model -----------------------------------------------------------


@dataclass(frozen=True)
class TrainingReport:
    examples: int
    sections: dict[str, int]
    saved: str  # the model file written, or "" when not trained
    reason: str = ""  # why no model was trained


def declared_examples(limit: int = MAX_TRAINING_EXAMPLES) -> list[tuple[str, str, str]]:
    """(title, text, section slug) of articles whose section their publishers declared.

    Weak supervision: a section counts when a true section feed of the article (one whose
    section the classifier confirms, ``FeedVotes.trusted``) declares it, or when the
    article's categories name it; sections the classifier chose do not.
    """
    slugs = dict(Section.objects.values_list("id", "slug"))
    candidates = (
        Article.objects.filter(section__isnull=False)
        .filter(Q(feeds__section_hint__isnull=False) | ~Q(categories=[]))
        .distinct()
        .order_by("-published_at")
        .prefetch_related("feeds")
    )
    examples: list[tuple[str, str, str]] = []
    for article in candidates.iterator(chunk_size=500):
        slug = slugs.get(article.section_id or 0, "")
        if slug and _declared(article, slug, slugs):
            examples.append((article.title, article_text(article), slug))
            if len(examples) >= limit:
                break
    return examples


def _declared(article: Article, slug: str, slugs: dict[int, str]) -> bool:
    """Whether a true section feed of ``article``, or its categories, declare its section
    ``slug``."""
    if not slug:
        return False
    hints = {
        slugs.get(feed.section_hint_id or 0)
        for feed in article.feeds.all()
        if FeedVotes("", feed.section_votes, feed.section_agreements).trusted
    }
    if slug in hints:
        return True
    return section_from_categories(article.categories, slugs.values()) == slug


def train_operator_model(
    *,
    config: EnrichConfig,
    min_examples: int = MIN_TRAINING_EXAMPLES,
    limit: int = MAX_TRAINING_EXAMPLES,
) -> TrainingReport:
    """Train the section classifier on the operator's own declared sections and save it
    at ``config.section_model``, where enrichment prefers it to the shipped model.

    Trains nothing (and says why) with fewer than ``min_examples`` examples or fewer than
    two sections. Raises ``OSError`` when the model file cannot be written.
    """
    examples = declared_examples(limit)
    counts: dict[str, int] = {}
    for _title, _text, slug in examples:
        counts[slug] = counts.get(slug, 0) + 1
    if len(examples) < min_examples or len(counts) < MIN_TRAINING_SECTIONS:
        reason = (
            f"{len(examples)} examples in {len(counts)} sections; "
            f"at least {min_examples} in {MIN_TRAINING_SECTIONS} sections are needed"
        )
        return TrainingReport(len(examples), counts, "", reason)
    about = {"trained_on": f"{len(examples)} articles of this Newsstand, sections from feeds"}
    model = SectionClassifier.train(examples, about=about)
    path = config.section_model
    _write_atomically(path, model.to_bytes())
    return TrainingReport(len(examples), counts, str(path))


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(path.suffix + ".partial")
    partial.write_bytes(data)
    os.replace(partial, path)
