"""`newsstand extract FILE|URL [--url BASE_URL]`: one page's article as JSON.

The same functions as the full-text pipeline: a URL is fetched through the guarded fetcher
under the operator's policy and page limits (``FullTextConfig.page_policy``), the response
goes through ``fulltext.page_of`` and ``core.extract.extract_article``, and the language
and section come from enrichment's ``language_of`` and ``classify_section``. robots.txt is
not consulted: this is an operator's one-off request, like opening the page in a browser.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

from django.utils import timezone

from newsstand.core.errors import FetchError, NewsstandError
from newsstand.core.extract import ExtractedArticle, extract_article
from newsstand.net.fetch import FetchRequest, FetchResult, fetch_many_sync
from newsstand.usecases.enrich import EnrichConfig, classify_section, language_of
from newsstand.usecases.fulltext import HTML_ACCEPT, FullTextConfig, page_of


def _is_url(source: str) -> bool:
    return urlsplit(source).scheme.lower() in ("http", "https")


def fetch_page(url: str, config: FullTextConfig) -> FetchResult:
    """GET ``url`` as the pipeline does. Raises a ``FetchError`` subclass."""
    outcome = fetch_many_sync(config.page_policy, [FetchRequest(url, accept=HTML_ACCEPT)])[0]
    if isinstance(outcome, FetchError):
        raise outcome
    return outcome


def extract_source(
    source: str, base_url: str | None, *, config: FullTextConfig, now: datetime | None = None
) -> ExtractedArticle:
    """Extract the article of a file or an http(s) URL.

    Raises ``FetchError`` or ``ExtractionError`` subclasses, ``OSError`` for a file that
    cannot be read.
    """
    now = now or timezone.now()
    if _is_url(source):
        result = fetch_page(source, config)
        page: bytes | str = page_of(result.body, result.content_type)
        return extract_article(page, url=base_url or result.final_url, now=now)
    return extract_article(Path(source).read_bytes(), url=base_url or "", now=now)


def article_json(article: ExtractedArticle, enrichment: EnrichConfig) -> dict[str, Any]:
    """What `newsstand extract` prints for an article."""
    found = classify_section(article.title, article.text, config=enrichment)
    return {
        "title": article.title,
        "authors": list(article.authors),
        "published": article.published.isoformat() if article.published else None,
        "language": language_of(article.title, article.text, hint=article.language)
        or article.language,
        "section": found[0] if found is not None else "",
        "text": article.text,
        "html": article.html,
        "lead_image": article.lead_image,
        "word_count": article.word_count,
        "extractor": article.extractor,
    }


def extract_command(
    source: str,
    base_url: str | None,
    stdout: TextIO,
    *,
    config: FullTextConfig,
    enrichment: EnrichConfig,
) -> int:
    """Print the article of ``source`` (a file or an http(s) URL) as JSON on ``stdout``.

    ``base_url`` resolves the page's relative links (a URL's default is its final address;
    a file's is none, so its relative links are dropped). Returns 0, or 1 with the reason
    on standard error when the page cannot be read, fetched or extracted.
    """
    try:
        article = extract_source(source, base_url, config=config)
    except NewsstandError as error:
        print(f"newsstand extract: {error.code}: {error.message}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"newsstand extract: cannot read {source}: {error.strerror}", file=sys.stderr)
        return 1
    json.dump(article_json(article, enrichment), stdout, ensure_ascii=False, indent=2)
    stdout.write("\n")
    return 0
