"""The bundled demo corpus: 6,366 real headlines from the UCI News Aggregator data set.

The file ships as package data (``newsstand/data/demo/uci-news-aggregator.tsv``, see the
``ATTRIBUTION.md`` beside it). It holds headlines, links and publisher names only, no
article text. Loading it gives plain, immutable dataclasses; nothing here does I/O beyond
reading that one file.

Four faults of the source are repaired while loading (the file itself is kept as shipped):
``\\?`` in 372 URLs (an escaping artefact of the CSV export) becomes ``?``, and ``&amp;``
in 110 URLs becomes ``&``; the same export put a backslash before punctuation in 607
publisher names (``Reuters UK \\(blog\\)``), which is removed; 130 titles keep the export's
CSV quoting (``"MtGox ""fraud evidence"" hacked"``), which is undone. One row has no
publisher name; its host name stands in.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources

CORPUS_FILE = "uci-news-aggregator.tsv"
CATEGORY_NAMES = {
    "b": "Business",
    "t": "Technology",
    "e": "Entertainment",
    "m": "Health",
}
_COLUMNS = ("ID", "TITLE", "URL", "PUBLISHER", "CATEGORY", "STORY", "HOSTNAME", "TIMESTAMP")


@dataclass(frozen=True, slots=True)
class DemoItem:
    """One headline of the corpus."""

    id: int
    title: str
    url: str
    publisher: str
    category: str  # "Business", "Technology", "Entertainment" or "Health"
    story: str  # the aggregator's story id (gold cluster label)
    hostname: str
    crawled: datetime  # when the aggregator saw it (not a publication time)


@dataclass(frozen=True, slots=True)
class DemoPublisher:
    """A publisher of the corpus with its items, oldest first."""

    name: str
    slug: str
    hostname: str  # its most frequent host
    category: str  # its most frequent category
    items: tuple[DemoItem, ...]

    @property
    def homepage(self) -> str:
        return f"http://{self.hostname}/"


@dataclass(frozen=True, slots=True)
class DemoCorpus:
    items: tuple[DemoItem, ...]  # in crawl order
    publishers: tuple[DemoPublisher, ...]  # sorted by slug

    def publisher(self, slug: str) -> DemoPublisher:
        """The publisher with this slug. Raises ``KeyError`` when there is none."""
        for publisher in self.publishers:
            if publisher.slug == slug:
                return publisher
        raise KeyError(slug)


@lru_cache(maxsize=1)
def load_corpus() -> DemoCorpus:
    """The bundled corpus (read once per process).

    Raises ``ValueError`` when the bundled file does not have the expected columns.
    """
    text = resources.files("newsstand.data").joinpath("demo", CORPUS_FILE).read_text("utf-8")
    return corpus_from_tsv(text)


def corpus_from_tsv(text: str) -> DemoCorpus:
    """Build a corpus from TSV text with the UCI columns.

    Raises ``ValueError`` on a missing column or a row that does not parse.
    """
    reader = csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    missing = set(_COLUMNS) - set(reader.fieldnames or ())
    if missing:
        raise ValueError(f"demo corpus lacks columns: {sorted(missing)}")
    items = tuple(_item(row) for row in reader)
    return DemoCorpus(items, _publishers(items))


def _item(row: dict[str, str]) -> DemoItem:
    hostname = row["HOSTNAME"].strip()
    return DemoItem(
        id=int(row["ID"]),
        title=repair_title(row["TITLE"].strip()),
        url=repair_url(row["URL"].strip()),
        publisher=repair_name(row["PUBLISHER"].strip()) or hostname,
        category=CATEGORY_NAMES[row["CATEGORY"]],
        story=row["STORY"],
        hostname=hostname,
        crawled=datetime.fromtimestamp(int(row["TIMESTAMP"]) / 1000, UTC),
    )


_ESCAPED_PUNCTUATION = re.compile(r"\\([^\w\s])")


def repair_title(title: str) -> str:
    """Undo the export's CSV quoting: ``"A ""Credible Threat"" Approach"`` → ``A "Credible
    Threat" Approach``; a title quoted any other way is kept."""
    inner = title[1:-1]
    if len(title) < 2 or title[0] != '"' or title[-1] != '"' or '"' in inner.replace('""', ""):
        return title
    return inner.replace('""', '"')


def repair_name(name: str) -> str:
    """Undo the export's escaping of punctuation: ``Law360 \\(blog\\)`` → ``Law360 (blog)``."""
    return _ESCAPED_PUNCTUATION.sub(r"\1", name)


def repair_url(url: str) -> str:
    """Undo the export's escaping: ``\\?`` → ``?`` and ``&amp;`` → ``&``."""
    return url.replace("\\?", "?").replace("&amp;", "&")


def _publishers(items: tuple[DemoItem, ...]) -> tuple[DemoPublisher, ...]:
    by_name: dict[str, list[DemoItem]] = {}
    for item in items:
        by_name.setdefault(item.publisher, []).append(item)
    taken: set[str] = set()
    publishers = []
    for name in sorted(by_name, key=lambda n: (slugify(n), n)):
        group = by_name[name]
        slug = _unique(slugify(name) or "publisher", taken)
        hostname = Counter(i.hostname for i in group).most_common(1)[0][0]
        category = Counter(i.category for i in group).most_common(1)[0][0]
        publishers.append(DemoPublisher(name, slug, hostname, category, tuple(group)))
    return tuple(publishers)


def slugify(name: str) -> str:
    """Lower-case ASCII words joined by hyphens ("Wall Street Journal" → "wall-street-journal")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:80]


def _unique(slug: str, taken: set[str]) -> str:
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    taken.add(candidate)
    return candidate
