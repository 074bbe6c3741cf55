"""Defence in depth on the reader pages: escaping, URL schemes, trusted HTML, CSP."""

from __future__ import annotations

import re
from pathlib import Path

import html5lib
import pytest
from django.test import Client

import newsstand
from newsstand.web.middleware import CONTENT_SECURITY_POLICY
from web.scripts import foreign_scripts

SRC = Path(newsstand.__file__).parent
URL_ATTRIBUTES = ("href", "src", "srcset", "action", "formaction", "poster", "background")

# Variants a browser would run as script, or that are not web URLs at all.
HOSTILE_URLS = [
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "\x01javascript:alert(1)",
    "java\tscript:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/x",
]


def _url_attributes(html: str) -> list[tuple[str, str, str]]:
    doc = html5lib.parse(html, namespaceHTMLElements=False)
    return [
        (el.tag, name, el.get(name))
        for el in doc.iter()
        if isinstance(el.tag, str)
        for name in URL_ATTRIBUTES
        if el.get(name) is not None
    ]


def _assert_only_web_or_local_urls(html: str) -> None:
    for tag, name, value in _url_attributes(html):
        stripped = value.strip()
        local = stripped.startswith("/") and not stripped.startswith("//")
        web = re.match(r"https?://[^/\s]", stripped) is not None
        fragment = re.fullmatch(r"#[a-z][a-z0-9-]*", stripped) is not None
        assert local or web or fragment or stripped.startswith("?"), f"<{tag} {name}={value!r}>"
        assert "script" not in stripped.lower(), f"<{tag} {name}={value!r}>"


@pytest.mark.django_db
@pytest.mark.parametrize("hostile", HOSTILE_URLS)
def test_hostile_urls_never_reach_href_or_src(
    client: Client, make_publisher, make_article, hostile: str
) -> None:
    publisher = make_publisher(name="Hostile Herald", homepage=hostile, favicon=hostile)
    article = make_article(
        publisher=publisher,
        section="world",
        url=hostile,
        image=hostile,
        comments_url=hostile,
        content="<p>Text.</p>",
    )

    pages = ["/", "/section/world/", f"/publisher/{publisher.id}/", f"/article/{article.id}/"]
    for path in pages:
        html = client.get(path).content.decode()
        _assert_only_web_or_local_urls(html)

    article_html = client.get(f"/article/{article.id}/").content.decode()
    assert "Read the original" not in article_html  # the link is left out, not emptied
    assert "<figure" not in article_html
    assert ">Comments<" not in article_html
    assert "Hostile Herald" in article_html  # the page itself still renders


@pytest.mark.django_db
def test_web_urls_still_render(client: Client, make_publisher, make_article) -> None:
    publisher = make_publisher(homepage="http://plain.example/")
    article = make_article(publisher=publisher, url="HTTPS://Case.example/a?x=1&y=2")
    html = client.get(f"/article/{article.id}/").content.decode()
    hrefs = [v for _, name, v in _url_attributes(html) if name == "href"]
    assert any(h.lower().startswith("https://case.example/a?x=1") for h in hrefs)


@pytest.mark.django_db
def test_markup_in_plain_text_fields_is_escaped(
    client: Client, make_publisher, make_article, make_feed
) -> None:
    evil = '<script>alert("t")</script><img src=x onerror=alert(1)>'
    publisher = make_publisher(name=f"Pub {evil}", country="GB")
    make_feed(publisher=publisher, title=f"Feed {evil}")
    article = make_article(
        publisher=publisher,
        section="politics",
        title=f"Title {evil}",
        authors=[f"Author {evil}"],
        summary="<p>ok</p>",
    )

    for path in [
        "/",
        "/section/politics/",
        f"/publisher/{publisher.id}/",
        f"/article/{article.id}/",
    ]:
        html = client.get(path).content.decode()
        doc = html5lib.parse(html, namespaceHTMLElements=False)
        assert foreign_scripts(doc) == [], path
        assert all(not k.startswith("on") for el in doc.iter() for k in el.attrib), path
        assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;" in html, path


@pytest.mark.django_db
def test_teasers_are_plain_text(client: Client, make_article) -> None:
    make_article(
        section="science",
        title="Teaser test",
        summary="<p>Fish &amp; chips &lt;b&gt; <strong>matter</strong></p>",
    )
    html = client.get("/section/science/").content.decode()
    assert '<p class="teaser">Fish &amp; chips &lt;b&gt; matter</p>' in html


# --- trusted HTML: only the two fields sanitised at ingest may be marked safe ---

# ``with_pictures`` rewrites only the ``<img>`` tags of that sanitised HTML, with addresses
# of Newsstand's picture cache (test_reading_view.py).
ALLOWED_SAFE = {
    "{{ article.content|with_pictures:pictures|safe }}",
    "{{ article.summary|with_pictures:pictures|safe }}",
}
_TAG = re.compile(r"{{.*?}}|{%.*?%}", re.DOTALL)
_MARKS_SAFE = re.compile(r"\|\s*safe(seq)?\b|\bautoescape\s+off\b|\bfilter\s+[^%]*\bsafe\b")


def unsafe_uses(template_text: str) -> list[str]:
    """Template tags that mark something safe, other than the two allowed ones."""
    return [
        tag
        for tag in _TAG.findall(template_text)
        if _MARKS_SAFE.search(tag) and " ".join(tag.split()) not in ALLOWED_SAFE
    ]


def test_the_checker_catches_unsafe_marks() -> None:
    assert unsafe_uses("{{ article.title|safe }}") == ["{{ article.title|safe }}"]
    assert unsafe_uses("{% autoescape off %}{{ x }}{% endautoescape %}")
    assert unsafe_uses("{% with t=article.title|safe %}")
    assert unsafe_uses("{% filter safe %}{{ x }}{% endfilter %}")
    assert unsafe_uses("{{ items|safeseq|join:',' }}")
    assert unsafe_uses("{{ article.content|safe|truncatechars:5 }}")
    allowed = "{{ article.content|with_pictures:pictures|safe }}"
    assert unsafe_uses(f"{allowed} {{{{ article.summary | safe }}}}") == [
        "{{ article.summary | safe }}"
    ]


def test_templates_mark_only_sanitised_fields_safe() -> None:
    templates = sorted(SRC.rglob("templates/**/*.html"))
    assert templates, "no templates found"
    found = {str(p.relative_to(SRC)): unsafe_uses(p.read_text()) for p in templates}
    assert {name: uses for name, uses in found.items() if uses} == {}


def test_web_code_never_marks_strings_safe() -> None:
    pattern = re.compile(r"\bmark_safe\b|\bSafeString\b|\bSafeData\b|is_safe\s*=\s*True")
    offenders = [
        str(p.relative_to(SRC))
        for p in (SRC / "web").rglob("*.py")
        if pattern.search(p.read_text())
    ]
    assert offenders == []


# --- Content-Security-Policy ---


@pytest.fixture
def csp_middleware(settings) -> None:
    name = "newsstand.web.middleware.ContentSecurityPolicyMiddleware"
    if name not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, name]


@pytest.mark.django_db
@pytest.mark.usefixtures("csp_middleware")
def test_reader_pages_carry_the_policy(client: Client, make_article, admin_client) -> None:
    article = make_article(section="world")
    for path in ["/", "/section/world/", f"/article/{article.id}/", "/article/987654/"]:
        response = client.get(path)
        assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, path
    policy = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert "Content-Security-Policy" not in admin_client.get("/admin/")
