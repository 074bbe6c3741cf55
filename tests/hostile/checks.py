"""What "sanitised" means for a stored article, checked without a browser.

Stored HTML is tokenised with the standard library's HTML parser (a tokeniser has no
depth limit, so 5,000 nested elements hide nothing) and must hold no active element, no ``on*``
attribute and no URL-bearing attribute whose scheme is outside http, https and mailto
(after the browser's own cleanup: C0 controls and spaces stripped, tabs and newlines
removed). Stored URL fields must be empty or absolute http(s). As a second, cruder net
the raw text may not contain ``javascript:``, ``vbscript:`` or ``data:`` anywhere, nor
``<script``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser

from newsstand.articles.models import Article
from newsstand.sources.models import Feed, Publisher

ACTIVE_TAGS = frozenset(
    {
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet",
        "form", "input", "button", "select", "textarea", "base", "meta", "link", "svg",
        "math", "template", "noscript",
    }
)  # fmt: skip
URL_ATTRIBUTES = frozenset(
    {
        "href", "src", "srcset", "poster", "action", "formaction", "background", "cite",
        "data", "xlink:href", "lowsrc", "dynsrc", "longdesc", "ping", "srcdoc", "manifest",
        "codebase", "archive", "profile", "usemap", "icon",
    }
)  # fmt: skip
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
BAD_SCHEMES = re.compile(r"(java|vb)script\s*:|data\s*:", re.IGNORECASE)
_JUNK = "".join(chr(c) for c in range(0x21))
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")


def url_problem(value: str) -> str:
    """Why a stored URL field is unsafe, or "" when it is empty or absolute http(s)."""
    if not value:
        return ""
    if not value.startswith(("http://", "https://")):
        return f"URL field is not http(s): {value[:80]!r}"
    return ""


def _attribute_urls(name: str, value: str) -> Iterable[str]:
    if name == "srcset":
        for candidate in value.split(","):
            yield candidate.strip().split(" ")[0]
    else:
        yield value


def _scheme(url: str) -> str:
    cleaned = _TAB_NEWLINE.sub("", url.strip(_JUNK))
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else ""


class _TagScanner(HTMLParser):
    """Collects the problems of every start tag of a document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        local = tag.rpartition(":")[2].lower()
        if local in ACTIVE_TAGS:
            self.problems.append(f"<{local}> element")
        for name, value in attrs:
            name = name.lower()
            if name.startswith("on"):
                self.problems.append(f"{name} attribute on <{local}>")
            if name in URL_ATTRIBUTES and value:
                for url in _attribute_urls(name, value):
                    scheme = _scheme(url)
                    if scheme and scheme not in SAFE_SCHEMES:
                        self.problems.append(f"{name}={url[:60]!r} on <{local}>")


def html_problems(html: str) -> list[str]:
    """Every way ``html`` (stored, sanitised HTML) could run script; [] when safe."""
    if not html:
        return []
    problems = []
    if "<script" in html.lower():
        problems.append("<script in the stored HTML")
    found = BAD_SCHEMES.search(html)
    if found:
        problems.append(f"{found.group(0)!r} in the stored HTML")
    scanner = _TagScanner()
    scanner.feed(html)
    scanner.close()
    return problems + scanner.problems


def article_problems(article: Article) -> list[str]:
    """Unsafe URL fields and unsafe HTML of one stored article."""
    problems = []
    for field in ("url", "image", "comments_url"):
        problem = url_problem(getattr(article, field))
        if problem:
            problems.append(f"{field}: {problem}")
    for field in ("summary", "content"):
        problems += [f"{field}: {p}" for p in html_problems(getattr(article, field))]
    if BAD_SCHEMES.search(article.title) or "<script" in article.title.lower():
        problems.append(f"title: {article.title[:80]!r}")
    return problems


def publisher_problems(publisher: Publisher) -> list[str]:
    return [
        f"{field}: {problem}"
        for field in ("homepage", "favicon")
        if (problem := url_problem(getattr(publisher, field)))
    ]


def stored_text() -> str:
    """Every text column of every article, feed and publisher, joined (for leak checks)."""
    parts: list[str] = []
    for model in (Article, Feed, Publisher):
        for row in model.objects.values():
            parts.extend(str(value) for value in row.values())
    return "\n".join(parts)
