"""`newsstand extract FILE|URL [--url BASE_URL]` through the pipeline's own functions."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

from newsstand.cli.extract import extract_command
from newsstand.core.addresses import parse_networks
from newsstand.net.fetch import FetchPolicy
from newsstand.usecases.fulltext import FullTextConfig

from .fulltext_pages import ENRICHMENT, PARAGRAPHS, article_page
from .publisher import Route

KEYS = {"title", "authors", "published", "language", "section", "text", "html"}
LOOPBACK = ("127.0.0.1/32",)


def run(
    source: str, base_url: str | None = None, *, allow: tuple[str, ...] = ()
) -> tuple[int, dict[str, object] | None]:
    """The command with the operator's policy allowing the networks ``allow``."""
    out = io.StringIO()
    config = FullTextConfig(policy=FetchPolicy(allow_networks=parse_networks(allow)))
    code = extract_command(
        source, base_url, out, config=config, enrichment=ENRICHMENT, now=datetime.now(UTC)
    )
    return code, json.loads(out.getvalue()) if out.getvalue() else None


def test_a_file_is_extracted_with_its_links_resolved_against_the_base_url(tmp_path):
    page = tmp_path / "bridge.html"
    page.write_bytes(article_page(image="/images/bridge.jpg"))
    code, article = run(str(page), "https://harbour.example/news/bridge")
    assert code == 0 and article is not None
    assert set(article) >= KEYS
    assert article["title"] == "Council votes to rebuild the harbour bridge"
    assert article["authors"] == ["Maria Jensen"]
    assert str(article["published"]).startswith("2026-02-14T")
    assert article["language"] == "en"
    assert PARAGRAPHS[3] in str(article["text"])
    assert article["lead_image"] == "https://harbour.example/images/bridge.jpg"
    assert "Most read" not in str(article["text"])


def test_a_file_that_is_no_article_or_missing_exits_1(tmp_path, capsys):
    shell = tmp_path / "shell.html"
    shell.write_bytes(
        b'<html><body><div id="root"></div><script src="/app.js"></script></body></html>'
    )
    assert run(str(shell)) == (1, None)
    assert "script_shell" in capsys.readouterr().err
    assert run(str(tmp_path / "missing.html")) == (1, None)
    assert "cannot read" in capsys.readouterr().err


def test_a_url_goes_through_the_guarded_fetcher(publisher, capsys):
    publisher.routes["/news/bridge"] = Route(article_page(), content_type="text/html")
    url = publisher.url("/news/bridge")
    # The operator's policy does not allow loopback: the fetcher refuses the address.
    assert run(url) == (1, None)
    assert "blocked_address" in capsys.readouterr().err
    assert publisher.hits["/news/bridge"] == 0
    code, article = run(url, allow=LOOPBACK)
    assert code == 0 and article is not None
    assert PARAGRAPHS[5] in str(article["text"])
    assert publisher.hits["/news/bridge"] == 1


def test_a_url_that_is_not_html_exits_1(publisher, capsys):
    path = "/report.pdf"
    publisher.routes[path] = Route(b"%PDF-1.7", content_type="application/pdf")
    assert run(publisher.url(path), allow=LOOPBACK) == (1, None)
    assert "not_html" in capsys.readouterr().err
