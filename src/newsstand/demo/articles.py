"""Full-text demo publishers: Wikinews, Global Voices, and a folder of pages for development.

The bundled corpora (``newsstand/data/demo/wikinews.jsonl`` and ``globalvoices.jsonl``, see
``ATTRIBUTION.md`` there) hold real articles whose licences allow the demo to serve them:
each record keeps its licence and attribution. ``load_article_sources()`` reads them into
``ArticleSource``s, articles oldest first. ``load_pages_folder(path)`` makes a development
publisher of a folder of saved article pages (``.html``, ``.htm`` or gzipped), served as
they are; that folder stays outside the project.

Everything here is plain data; rendering is in ``newsstand.demo.article_pages``.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import lxml.html
from lxml import etree

from newsstand.demo.corpus import slugify

_CLOSING = "\"')\u201d\u2019"  # quotes and brackets that may follow a full stop
_OPENING = "\"'(\u201c\u2018"
_SENTENCE_END = re.compile(rf"(?<=[.!?…])[{_CLOSING}]*\s+(?=[{_OPENING}]?[A-Z0-9])")
_LAST_WORD = re.compile(rf"(\S+)[.!?…][{_CLOSING}]*$")
_ABBREVIATIONS = frozenset(
    [
        "inc",
        "corp",
        "co",
        "ltd",
        "jr",
        "sr",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "mt",
        "gen",
        "gov",
        "sen",
        "rep",
        "rev",
        "prof",
        "no",
        "vs",
        "u.s",
        "u.k",
        "u.n",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_PAGE_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
MAX_TEASER_CHARS = 400
SENTENCES_PER_PARAGRAPH = 3
_LICENCE_LINKS = (
    ("CC BY 2.5", "https://creativecommons.org/licenses/by/2.5/"),
    ("CC BY 3.0", "https://creativecommons.org/licenses/by/3.0/"),
    ("Public domain", "https://en.wikinews.org/wiki/Template:PD-Article"),
)


@dataclass(frozen=True, slots=True)
class DemoArticle:
    """One article a full-text demo publisher serves."""

    id: str
    slug: str  # its page's name under /articles/<source>/
    title: str
    paragraphs: tuple[str, ...]  # plain text
    html: str  # the original article HTML, "" when the record has none
    date: str  # the original publication day (ISO), "" when unknown
    url: str  # the original address
    author: str
    categories: tuple[str, ...]
    licence: str
    attribution: str
    page: bytes = b""  # a whole page, served as it is (development folder)
    description: str = ""  # the page's own teaser (development folder)

    @property
    def teaser(self) -> str:
        """What the feed carries: the page's description, else the article's first sentence."""
        if self.description:
            return first_sentence(self.description)
        first = next((p for p in self.paragraphs if len(p.split()) >= 8), "")
        if not first and self.paragraphs:
            first = self.paragraphs[0]
        return first_sentence(first)

    def published(self, arrival: datetime) -> datetime:
        """When the publisher published it: its original day (noon UTC), else the time it
        arrives in the demo (a development page has no date of its own)."""
        try:
            day = date.fromisoformat(self.date[:10])
        except ValueError:
            return arrival
        return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)

    @property
    def licence_links(self) -> tuple[tuple[str, str], ...]:
        """(name, URL) of each licence the record names."""
        return tuple((name, url) for name, url in _LICENCE_LINKS if name in self.licence)


@dataclass(frozen=True, slots=True)
class ArticleSource:
    """A full-text publisher of the demo and its articles (oldest first)."""

    key: str  # "wikinews", "globalvoices" or "pages"
    name: str
    homepage: str
    description: str
    changes: str  # what the demo changed in the text, said with the attribution
    articles: tuple[DemoArticle, ...]

    def rights(self, article: DemoArticle) -> str:
        """The licence line a feed item carries: attribution, licence, changes."""
        parts = [article.attribution, article.licence, self.changes]
        return " — ".join(p.strip().rstrip(".") for p in parts if p.strip()) + "."


def sentences(text: str) -> list[str]:
    """``text`` split into sentences (not after abbreviations such as "Inc." or initials)."""
    found: list[str] = []
    start = 0
    for boundary in _SENTENCE_END.finditer(text):
        before = _LAST_WORD.search(text, start, boundary.start())
        word = before.group(1).lower() if before else ""
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        found.append(text[start : boundary.end()].strip())
        start = boundary.end()
    found.append(text[start:].strip())
    return [s for s in found if s]


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (cut at a word boundary past ``MAX_TEASER_CHARS``)."""
    sentence = next(iter(sentences(text.strip())), "")
    if len(sentence) > MAX_TEASER_CHARS:
        sentence = sentence[:MAX_TEASER_CHARS].rsplit(" ", 1)[0] + " …"
    return sentence


def paragraphs_of(text: str) -> tuple[str, ...]:
    """Paragraphs split at blank lines; a single long block grouped by three sentences."""
    blocks = [" ".join(b.split()) for b in re.split(r"\n\s*\n", text) if b.strip()]
    if len(blocks) != 1 or len(blocks[0].split()) < 120:
        return tuple(blocks)
    found = sentences(blocks[0])
    step = SENTENCES_PER_PARAGRAPH
    return tuple(" ".join(found[i : i + step]) for i in range(0, len(found), step))


def _read_jsonl(name: str) -> list[dict[str, Any]]:
    text = resources.files("newsstand.data").joinpath("demo", name).read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _unique_slug(title: str, taken: set[str]) -> str:
    base = slugify(title)[:70] or "article"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def _article(record: dict[str, Any], taken: set[str]) -> DemoArticle:
    return DemoArticle(
        id=str(record["id"]),
        slug=_unique_slug(str(record["title"]), taken),
        title=str(record["title"]).strip(),
        paragraphs=paragraphs_of(str(record.get("text") or "")),
        html=str(record.get("content_html") or ""),
        date=str(record.get("date") or ""),
        url=str(record.get("url") or ""),
        author=str(record.get("author") or ""),
        categories=tuple(str(c) for c in record.get("categories") or ()),
        licence=str(record.get("licence") or ""),
        attribution=str(record.get("attribution") or ""),
    )


def _source(key: str, file_name: str, **details: str) -> ArticleSource:
    taken: set[str] = set()
    records = sorted(_read_jsonl(file_name), key=lambda r: (str(r.get("date") or ""), r["id"]))
    articles = tuple(_article(record, taken) for record in records)
    return ArticleSource(key=key, articles=articles, **details)


@lru_cache(maxsize=1)
def load_article_sources() -> tuple[ArticleSource, ...]:
    """Wikinews (220 articles) and Global Voices (196), read once per process.

    Raises ``KeyError``/``ValueError`` when a bundled file does not have the expected shape.
    """
    wikinews = _source(
        "wikinews",
        "wikinews.jsonl",
        name="Wikinews",
        homepage="https://en.wikinews.org/",
        description="Articles from English Wikinews, the free news source, served by the "
        "Newsstand demo with their attribution.",
        changes="Changed by the Newsstand demo: wiki markup removed, text served as HTML",
    )
    globalvoices = _source(
        "globalvoices",
        "globalvoices.jsonl",
        name="Global Voices",
        homepage="https://globalvoices.org/",
        description="Articles from Global Voices (CC BY 3.0), served by the Newsstand demo "
        "with their attribution.",
        changes="Changed by the Newsstand demo: embedded third-party posts removed",
    )
    return (wikinews, globalvoices)


# --- a folder of real pages (development) ------------------------------------------


def _page_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name.endswith(_PAGE_SUFFIXES))


def _read_page(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


def _page_name(path: Path, taken: set[str]) -> str:
    stem = path.name.removesuffix(".gz").rsplit(".", 1)[0]
    base = _SAFE_NAME.sub("-", stem).strip("-.")[:80] or "page"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    taken.add(name)
    return name


def _first(tree: Any, *paths: str) -> str:
    for path in paths:
        found = tree.xpath(path)
        for value in found:
            text = " ".join(str(value).split())
            if text:
                return text
    return ""


def _page_text(page: bytes) -> str:
    try:
        return page.decode("utf-8")
    except UnicodeDecodeError:
        return page.decode("cp1252", errors="replace")


def describe_page(page: bytes) -> tuple[str, str, tuple[str, ...], str]:
    """(title, description, first paragraphs, canonical URL) of a saved page.

    The description is ``og:description`` or ``description``; the paragraphs are the first
    three of eight words or more. Empty values when the page cannot be read.
    """
    try:
        tree = lxml.html.document_fromstring(_page_text(page))
    except (etree.ParserError, ValueError):
        return "", "", (), ""
    title = _first(tree, "//meta[@property='og:title']/@content", "//title/text()", "//h1//text()")
    url = _first(tree, "//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content")
    description = _first(
        tree, "//meta[@property='og:description']/@content", "//meta[@name='description']/@content"
    )
    texts = (" ".join(p.text_content().split()) for p in tree.iter("p"))
    paragraphs = tuple(t for t in texts if len(t.split()) >= 8)[:3]
    return title, description, paragraphs, url


def load_pages_folder(folder: Path | str) -> ArticleSource:
    """A development publisher serving every saved page of ``folder`` as it is.

    Raises ``OSError`` when the folder cannot be read, ``ValueError`` when it holds no page.
    """
    path = Path(folder)
    taken: set[str] = set()
    articles = []
    for file in _page_files(path):
        page = _read_page(file)
        title, description, paragraphs, url = describe_page(page)
        name = _page_name(file, taken)
        articles.append(
            DemoArticle(
                id=name,
                slug=name,
                title=title or name,
                paragraphs=paragraphs,
                html="",
                date="",
                url=url,
                author="",
                categories=(),
                licence="",
                attribution="",
                page=page,
                description=description,
            )
        )
    if not articles:
        raise ValueError(f"no .html, .htm or .html.gz pages in {path}")
    return ArticleSource(
        key="pages",
        name=f"Development pages ({path.name})",
        homepage="http://pages.newsstand-demo.invalid/",
        description=f"Saved article pages from {path}, served as they are for development.",
        changes="Saved page served for development only; its rights are its publisher's",
        articles=tuple(articles),
    )
