"""Full text: fetch the pages of teaser-only articles, extract them, store and enrich.

Background work only (the ``extract_pending_articles`` task), never in a web request.

- Refresh stores new articles already ``pending``, due now, when their feed carries
  only a teaser (per the feed's mode and ``core.teaser.needs_full_text``, decided in
  ``core.ingest``); ``mark_for_full_text`` does the same for stored articles.
- ``extract_pending`` claims due articles (``articles.claims``: a lease, at most
  ``per_host`` pages of one host per batch), reads each host's robots.txt through the
  guarded fetcher (kept in memory per process for ``robots_ttl``), fetches the allowed
  pages concurrently through the same fetcher (SSRF policy, per-host connection limit,
  size and time limits), extracts them with ``core.extract.extract_article`` and stores
  the sanitised text, word count and what the feed did not give (lead image, authors,
  published time). Then ``enrich_articles`` sets language, section and entities.

A failure of one article never stops the others. It keeps the feed's summary, records
``"<code>: <message>"`` in ``full_text_error`` and tries again after 10 min, 40 min,
2 h 40 min; after the fourth attempt the article is ``failed`` for good. A page that
robots.txt disallows fails at once; a robots.txt that cannot be read (5xx, 429, network)
counts as a failed attempt, so the page is tried again later.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from django.db.models import F, QuerySet
from django.utils import timezone

from newsstand.articles.claims import claim_articles, host_of
from newsstand.articles.models import Article, FullTextState
from newsstand.articles.pictures import register_pictures
from newsstand.core.errors import (
    FetchError,
    HTTPStatusError,
    InternalError,
    InvalidURL,
    NewsstandError,
    RateLimited,
)
from newsstand.core.extract import ExtractedArticle, extract_article, needs_full_text
from newsstand.core.extraction.decode import page_of
from newsstand.core.images import better_lead_image, html_images
from newsstand.core.robots import (
    RobotsDisallowed,
    RobotsRules,
    RobotsUnreachable,
    robots_key,
    robots_url,
    rules_from_status,
    rules_from_text,
    unreachable,
)
from newsstand.core.sanitize import text_of_clean_html
from newsstand.net.fetch import FetchPolicy, FetchRequest, FetchResult, fetch_many_sync
from newsstand.sources.models import Feed, FullTextMode
from newsstand.usecases.enrich import EnrichConfig, enrich_articles

log = logging.getLogger(__name__)

HTML_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
ROBOTS_ACCEPT = "text/plain, */*;q=0.1"
PAGE_MAX_BYTES = 5_000_000


@dataclass(frozen=True)
class FullTextConfig:
    """Limits of the full-text step (``newsstand.configuration`` builds it from the
    operator's settings)."""

    policy: FetchPolicy = field(default_factory=FetchPolicy)
    batch: int = 50  # articles claimed by one task
    per_host: int = 8  # pages of one host fetched by one task
    max_attempts: int = 4
    first_retry: timedelta = timedelta(minutes=10)
    retry_factor: int = 4
    lease: timedelta = timedelta(minutes=15)
    robots_ttl: timedelta = timedelta(hours=1)
    robots_retry: timedelta = timedelta(minutes=10)
    page_max_bytes: int = PAGE_MAX_BYTES

    @property
    def page_policy(self) -> FetchPolicy:
        return replace(self.policy, max_bytes=min(self.policy.max_bytes, self.page_max_bytes))

    def retry_delay(self, attempts: int) -> timedelta:
        """Wait after the ``attempts``-th failed attempt (1 → 10 min, 2 → 40 min...)."""
        return self.first_retry * int(self.retry_factor ** max(attempts - 1, 0))


@dataclass
class FullTextReport:
    claimed: int = 0
    extracted: int = 0
    retrying: int = 0  # failed this time, tried again later
    failed: int = 0  # failed for good (summary kept)
    errors: Counter[str] = field(default_factory=Counter)


# --- marking ------------------------------------------------------------------------


def set_full_text_mode(feed_urls: Sequence[str], mode: str) -> int:
    """Set the full-text mode of the feeds at ``feed_urls``; with ``never``, their articles
    still waiting for full text stop waiting. Returns how many feeds changed."""
    changed = Feed.objects.filter(url__in=list(feed_urls)).update(full_text=mode)
    if mode == FullTextMode.NEVER:
        Article.objects.filter(
            feeds__url__in=list(feed_urls), full_text_state=FullTextState.PENDING
        ).update(full_text_state=FullTextState.NOT_NEEDED)
    return changed


def mark_for_full_text(
    feed: Feed, article_ids: Sequence[int], *, now: datetime | None = None
) -> int:
    """Make the given stored articles of ``feed`` wait for full text when they need it
    (for articles already stored, e.g. after an operator changed the feed's mode).

    An article needs it when it has a URL, was never extracted and the feed's mode says so
    (``never``: none; ``always``: all; ``auto``: teasers only). Returns how many.
    """
    mode = feed.full_text
    if mode == FullTextMode.NEVER or not article_ids:
        return 0
    rows = (
        Article.objects.filter(
            pk__in=list(article_ids),
            full_text_state=FullTextState.NOT_NEEDED,
            extracted_at__isnull=True,
        )
        .exclude(url="")
        .values_list("id", "summary", "content")
    )
    wanted = [
        article_id
        for article_id, summary, content in rows
        if needs_full_text(mode=mode, summary_html=summary, content_html=content)
    ]
    if wanted:
        Article.objects.filter(pk__in=wanted).update(
            full_text_state=FullTextState.PENDING,
            full_text_next_at=now or timezone.now(),
            full_text_attempts=0,
            full_text_error="",
        )
    return len(wanted)


# --- robots.txt ---------------------------------------------------------------------


class RobotsCache:
    """robots.txt rules per origin, in memory, each until its expiry (thread-safe)."""

    def __init__(self) -> None:
        self._rules: dict[str, tuple[RobotsRules, datetime]] = {}
        self._lock = threading.Lock()

    def get(self, key: str, now: datetime) -> RobotsRules | None:
        with self._lock:
            found = self._rules.get(key)
        return found[0] if found is not None and found[1] > now else None

    def put(self, key: str, rules: RobotsRules, until: datetime) -> None:
        with self._lock:
            self._rules[key] = (rules, until)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()


ROBOTS = RobotsCache()


def rules_of_outcome(outcome: FetchResult | FetchError) -> RobotsRules:
    """The rules a robots.txt fetch outcome means (see ``core.robots``)."""
    if isinstance(outcome, FetchResult):
        return rules_from_text(outcome.body)
    if isinstance(outcome, HTTPStatusError) and not isinstance(outcome, RateLimited):
        return rules_from_status(outcome.status)
    return unreachable(f"robots.txt: {outcome.code}: {outcome.message}")


def robots_rules(
    urls: Sequence[str], *, config: FullTextConfig, now: datetime, cache: RobotsCache = ROBOTS
) -> dict[str, RobotsRules]:
    """The rules for each origin of ``urls``, fetching the robots.txt files not cached."""
    rules: dict[str, RobotsRules] = {}
    missing: dict[str, str] = {}
    for url in urls:
        key = _origin(url)
        if not key:
            continue
        cached = cache.get(key, now)
        if cached is not None:
            rules[key] = cached
        else:
            missing[key] = robots_url(url)
    requests = [FetchRequest(u, accept=ROBOTS_ACCEPT) for u in missing.values()]
    outcomes = fetch_many_sync(config.page_policy, requests) if requests else []
    for key, outcome in zip(missing, outcomes, strict=True):
        found = rules_of_outcome(outcome)
        ttl = config.robots_retry if found.retry_later else config.robots_ttl
        cache.put(key, found, now + ttl)
        rules[key] = found
    return rules


def _origin(url: str) -> str:
    """The robots.txt cache key of ``url``, "" when it is no http(s) URL."""
    try:
        return robots_key(url)
    except ValueError:
        return ""


def robots_verdict(
    url: str, rules: dict[str, RobotsRules], *, user_agent: str
) -> FetchError | None:
    """``None`` when the page may be fetched, else the error that stops it."""
    found = rules.get(_origin(url))
    if found is None:
        return InvalidURL(f"not an http(s) URL: {url[:200]!r}")
    return _verdict(url, found, user_agent=user_agent)


def _verdict(url: str, rules: RobotsRules, *, user_agent: str) -> FetchError | None:
    if rules.allows(url, user_agent=user_agent):
        return None
    if rules.retry_later:
        return RobotsUnreachable(rules.reason or "robots.txt could not be read")
    return RobotsDisallowed(f"robots.txt of {host_of(url)} disallows {url[:300]}")


# --- pages --------------------------------------------------------------------------


def extract_page(result: FetchResult, *, now: datetime | None = None) -> ExtractedArticle:
    """Extract the article of a fetched page. Raises ``ExtractionError`` subclasses."""
    page = page_of(result.body, result.content_type)
    return extract_article(page, url=result.final_url, now=now)


# --- the use case -------------------------------------------------------------------


def extract_pending(
    limit: int | None = None,
    *,
    config: FullTextConfig,
    enrichment: EnrichConfig,
    now: datetime | None = None,
    robots: RobotsCache = ROBOTS,
) -> FullTextReport:
    """Claim up to ``limit`` due articles, fetch and extract their pages, store, enrich."""
    now = now or timezone.now()
    lease_until, articles = claim_articles(
        now=now, lease=config.lease, limit=limit or config.batch, per_host=config.per_host
    )
    report = FullTextReport(claimed=len(articles))
    if not articles:
        return report
    rules = robots_rules([a.url for a in articles], config=config, now=now, cache=robots)
    allowed: list[Article] = []
    for article in articles:
        stop = robots_verdict(article.url, rules, user_agent=config.policy.user_agent)
        if stop is None:
            allowed.append(article)
        else:
            _fail(article, stop, lease_until=lease_until, config=config, now=now, report=report)
    requests = [FetchRequest(a.url, accept=HTML_ACCEPT) for a in allowed]
    outcomes = fetch_many_sync(config.page_policy, requests) if requests else []
    done: list[int] = []
    for article, outcome in zip(allowed, outcomes, strict=True):
        if _settle(
            article, outcome, lease_until=lease_until, config=config, now=now, report=report
        ):
            done.append(article.pk)
    if done:
        enrich_articles(done, config=enrichment, reclassify=True, now=now)
    return report


def _settle(
    article: Article,
    outcome: FetchResult | FetchError,
    *,
    lease_until: datetime,
    config: FullTextConfig,
    now: datetime,
    report: FullTextReport,
) -> bool:
    """Extract and store one page, or record why not. True when stored."""
    try:
        if isinstance(outcome, FetchError):
            raise outcome
        extracted = extract_page(outcome, now=now)
        stored = _store(article, extracted, lease_until=lease_until, now=now)
    except NewsstandError as error:
        _fail(article, error, lease_until=lease_until, config=config, now=now, report=report)
        return False
    except Exception as exc:
        # A bug of ours on one page must not stop the batch: recorded, traceback logged.
        log.exception("article %s: unexpected error while extracting %s", article.pk, article.url)
        internal = InternalError(f"{type(exc).__name__}: {exc}")
        _fail(article, internal, lease_until=lease_until, config=config, now=now, report=report)
        return False
    if stored:
        report.extracted += 1
    return stored


def _store(
    article: Article, extracted: ExtractedArticle, *, lease_until: datetime, now: datetime
) -> bool:
    """Write the extracted article, if this worker still holds the lease."""
    changes: dict[str, object] = {
        "full_text_state": FullTextState.DONE,
        "full_text_error": "",
        "full_text_next_at": None,
        "full_text_attempts": F("full_text_attempts") + 1,
        "extracted_at": now,
    }
    existing_words = len(text_of_clean_html(article.content).split()) if article.content else 0
    if extracted.html and extracted.word_count >= existing_words:
        changes["content"] = extracted.html
        changes["word_count"] = extracted.word_count
    lead = better_lead_image(article.image, extracted.lead_image)
    if lead != article.image:
        changes["image"] = lead
    if extracted.authors and not article.authors:
        changes["authors"] = list(extracted.authors)
    if extracted.title and not article.title:
        changes["title"] = extracted.title
    if extracted.language:
        changes["language"] = extracted.language[:16]  # a hint: enrich detects the language
    if _feed_gave_no_date(article) and extracted.published and extracted.published <= now:
        changes["published_at"] = extracted.published
    held = bool(_held(article, lease_until).update(**changes))
    if held:
        figures = [image.url for image in html_images(str(changes.get("content", "")))]
        register_pictures([lead, *figures], now=now)
    return held


def _feed_gave_no_date(article: Article) -> bool:
    """The store dates an entry without a date at its first sight: that is the tell."""
    return article.published_at == article.first_seen_at


def _held(article: Article, lease_until: datetime) -> QuerySet[Article]:
    return Article.objects.filter(
        pk=article.pk, full_text_state=FullTextState.PENDING, full_text_next_at=lease_until
    )


def _fail(
    article: Article,
    error: NewsstandError,
    *,
    lease_until: datetime,
    config: FullTextConfig,
    now: datetime,
    report: FullTextReport,
) -> None:
    """Keep the summary, record the reason, and retry later unless this was the last try."""
    attempts = article.full_text_attempts + 1
    final = attempts >= config.max_attempts or isinstance(error, RobotsDisallowed)
    changes: dict[str, object] = {
        "full_text_attempts": attempts,
        "full_text_error": f"{error.code}: {error.message}"[:2000],
        "full_text_state": FullTextState.FAILED if final else FullTextState.PENDING,
        "full_text_next_at": None if final else now + config.retry_delay(attempts),
    }
    _held(article, lease_until).update(**changes)
    report.errors[error.code] += 1
    if final:
        report.failed += 1
    else:
        report.retrying += 1
    log.info(
        "article %s: full text %s (%s: %s)",
        article.pk,
        "failed" if final else f"attempt {attempts} failed",
        error.code,
        error.message,
    )
