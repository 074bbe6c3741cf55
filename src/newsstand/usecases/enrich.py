"""Enrichment: language, section and entities of stored articles.

``enrich_articles(ids)`` runs after a refresh stores new articles and after full text is
extracted. For each article, from its title and text (the full text when there is one,
else the feed's summary):

- language: ``core.language.detect_language``, with the language the page or feed
  declared (else the publisher's) as a hint;
- section, only when the feed declared none: the section classifier, among the sections
  the operator has. The operator's own model (``EnrichConfig.section_model``, by default
  ``<data dir>/models/sections.zip``, trained by ``train_operator_model`` on the articles
  whose section their feeds declare) is preferred; else the model shipped in the package.
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
from django.db.models import Q
from django.utils import timezone

from newsstand.articles.entities import store_mentions
from newsstand.articles.models import Article
from newsstand.core.classify import SectionClassifier
from newsstand.core.entities import Mention, extract_entities
from newsstand.core.errors import NewsstandError
from newsstand.core.language import detect_language
from newsstand.core.sanitize import text_of_clean_html
from newsstand.core.sections import section_from_categories
from newsstand.sources.models import Section

log = logging.getLogger(__name__)


MODEL_FILE = Path("models") / "sections.zip"
MIN_TRAINING_EXAMPLES = 200
MIN_TRAINING_SECTIONS = 2
MAX_TRAINING_EXAMPLES = 50_000


@dataclass(frozen=True)
class EnrichConfig:
    """Where the operator's section model is (``newsstand.configuration`` builds it from
    the data folder); the file may not exist yet."""

    section_model: Path


@dataclass
class EnrichReport:
    articles: int = 0
    classified: int = 0  # sections set by the classifier
    failed: int = 0


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


def classify_section(
    title: str, text: str, *, config: EnrichConfig, sections: Collection[str] | None = None
) -> tuple[str, float] | None:
    """The section slug (among ``sections`` when given) and its probability that the
    classifier gives an article; ``None`` when it knows none of ``sections``.

    The operator's model knows only the sections their feeds declare; for an article of
    another section, the shipped model's answer wins when it is the more confident.
    """
    classifier = section_classifier(config)
    slug, probability = classifier.predict(title, text, sections=sections)
    default = _default_classifier()
    if classifier is not default:
        other, other_probability = default.predict(title, text, sections=sections)
        if other and other not in classifier.sections and other_probability > probability:
            slug, probability = other, other_probability
    return (slug, probability) if slug else None


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


def enrich_articles(
    ids: Iterable[int],
    *,
    config: EnrichConfig,
    reclassify: bool = False,
    now: datetime | None = None,
) -> EnrichReport:
    """Set language, section (when unknown) and entities of the given articles, and their
    ``enriched_at`` (also when an article's enrichment failed: the log has the reason, and
    a failing article is not retried in a loop).

    ``reclassify`` (after full text was extracted): classify again the articles whose
    section the classifier chose from the feed's teaser, now that the text is whole.
    Sections their feeds declared are never changed.

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
    articles = Article.objects.filter(pk__in=wanted).select_related("publisher")
    if reclassify:
        articles = articles.prefetch_related("feeds")
    slugs = {section_id: slug for slug, section_id in sections.items()}
    found: list[_Enriched] = []
    failed: list[int] = []
    for article in articles.iterator(chunk_size=200):
        report.articles += 1
        try:
            unknown = article.section_id is None or (
                reclassify and not _declared(article, slugs.get(article.section_id, ""), slugs)
            )
            found.append(_enrich(article, sections, classify=unknown, now=now, config=config))
        except Exception:
            # One article's failure (a bug, bad data) must not stop the others.
            log.exception("article %s: enrichment failed", article.pk)
            failed.append(article.pk)
    with transaction.atomic():
        for result in found:
            Article.objects.filter(pk=result.article_id).update(**result.changes)
            store_mentions(result.article_id, result.mentions)
        if failed:
            Article.objects.filter(pk__in=failed).update(enriched_at=now)
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
    values are written, entity links are upserted).
    """
    ids = list(
        Article.objects.filter(enriched_at__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    return enrich_articles(ids, config=config, now=now)


def _enrich(
    article: Article,
    sections: dict[str, int],
    *,
    classify: bool,
    now: datetime,
    config: EnrichConfig,
) -> _Enriched:
    """Work out one article's enrichment (its section too when ``classify``)."""
    text = article_text(article)
    changes: dict[str, object] = {"enriched_at": now}
    hint = article.language or article.publisher.language
    language = language_of(article.title, text, hint=hint) or article.language
    if language != article.language:
        changes["language"] = language[:16]
    classified = False
    if classify and sections:
        best = classify_section(article.title, text, config=config, sections=sections.keys())
        if best is not None and best[0] in sections:
            if sections[best[0]] != article.section_id:
                changes["section_id"] = sections[best[0]]
            classified = True
    mentions = extract_entities(article.title, text, language=language)
    return _Enriched(article.pk, changes, mentions, classified)


# --- the operator's model -----------------------------------------------------------


@dataclass(frozen=True)
class TrainingReport:
    examples: int
    sections: dict[str, int]
    saved: str  # the model file written, or "" when not trained
    reason: str = ""  # why no model was trained


def declared_examples(limit: int = MAX_TRAINING_EXAMPLES) -> list[tuple[str, str, str]]:
    """(title, text, section slug) of articles whose section their feeds declared.

    Weak supervision: a section counts when a feed of the article has it as its section
    hint, or when the article's categories name it; sections set by the classifier do not.
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
    """Whether a feed of ``article`` declares its section ``slug`` (hint or categories)."""
    if not slug:
        return False
    hints = {slugs.get(feed.section_hint_id or 0) for feed in article.feeds.all()}
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
