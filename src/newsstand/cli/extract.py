"""`newsstand extract FILE|URL [--url BASE_URL]`: one page's article as JSON.

The same functions as the full-text pipeline: a URL is fetched through the guarded fetcher
under the operator's policy and page limits (``FullTextConfig.page_policy``), the response
goes through ``core.extraction.decode.page_of`` and ``core.extract.extract_article``, and
the language and section come from enrichment's ``language_of`` and ``classify_section``.
robots.txt is not consulted: this is an operator's one-off request, like opening the page
in a browser.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import urlsplit

from newsstand.cli.command import Command

# The extractors, the fetcher and the use cases are imported when the command runs:
# `newsstand --help` loads every command module, before Django is set up.
if TYPE_CHECKING:
    from newsstand.core.extract import ExtractedArticle
    from newsstand.net.fetch import FetchResult
    from newsstand.usecases.enrich import EnrichConfig
    from newsstand.usecases.fulltext import FullTextConfig


def _is_url(source: str) -> bool:
    return urlsplit(source).scheme.lower() in ("http", "https")


def fetch_page(url: str, config: FullTextConfig) -> FetchResult:
    """GET ``url`` as the pipeline does. Raises a ``FetchError`` subclass."""
    from newsstand.core.errors import FetchError
    from newsstand.net.fetch import FetchRequest, fetch_many_sync
    from newsstand.usecases.fulltext import HTML_ACCEPT

    outcome = fetch_many_sync(config.page_policy, [FetchRequest(url, accept=HTML_ACCEPT)])[0]
    if isinstance(outcome, FetchError):
        raise outcome
    return outcome


def extract_source(
    source: str, base_url: str | None, *, config: FullTextConfig, now: datetime
) -> ExtractedArticle:
    """Extract the article of a file or an http(s) URL.

    Raises ``FetchError`` or ``ExtractionError`` subclasses, ``OSError`` for a file that
    cannot be read.
    """
    from newsstand.core.extract import extract_article
    from newsstand.core.extraction.decode import page_of

    if _is_url(source):
        result = fetch_page(source, config)
        page: bytes | str = page_of(result.body, result.content_type)
        return extract_article(page, url=base_url or result.final_url, now=now)
    return extract_article(Path(source).read_bytes(), url=base_url or "", now=now)


def article_json(article: ExtractedArticle, enrichment: EnrichConfig) -> dict[str, Any]:
    """What `newsstand extract` prints for an article."""
    from newsstand.usecases.enrich import classify_section, language_of

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
    now: datetime,
) -> int:
    """Print the article of ``source`` (a file or an http(s) URL) as JSON on ``stdout``.

    ``base_url`` resolves the page's relative links (a URL's default is its final address;
    a file's is none, so its relative links are dropped). Returns 0, or 1 with the reason
    on standard error when the page cannot be read, fetched or extracted.
    """
    from newsstand.core.errors import NewsstandError

    try:
        article = extract_source(source, base_url, config=config, now=now)
    except NewsstandError as error:
        print(f"newsstand extract: {error.code}: {error.message}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"newsstand extract: cannot read {source}: {error.strerror}", file=sys.stderr)
        return 1
    json.dump(article_json(article, enrichment), stdout, ensure_ascii=False, indent=2)
    stdout.write("\n")
    return 0


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", help="an HTML file or an http(s) URL")
    parser.add_argument("--url", default=None, help="the page's own URL (for a file)")


def handle(args: argparse.Namespace) -> int:
    from django.utils import timezone

    from newsstand.configuration import configuration

    config = configuration()
    return extract_command(
        args.source,
        args.url,
        sys.stdout,
        config=config.full_text,
        enrichment=config.enrichment,
        now=timezone.now(),
    )


COMMAND = Command(
    help="extract the article of a page file or URL and print it as JSON",
    handle=handle,
    arguments=arguments,
)
