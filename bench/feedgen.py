"""Real-shaped feeds for the benchmarks, generated once into a folder.

Headlines come from the UCI News Aggregator sample
(shared/data/demo/uci-news-aggregator/uci_news_prefix_6366.tsv), summaries from AG News
(shared/data/classification/ag-news-test/test.csv) and, for the feeds that carry full text,
paragraphs of BBC News articles (shared/data/classification/bbc-news/bbc_news.jsonl).

Mix: about 75% RSS 2.0 (with dc:creator, category, enclosure or media:content, and
content:encoded on every third feed), 15% Atom 1.0, 10% JSON Feed 1.1; 20 to 60 items a
feed. Every entry of a feed has its own guid, link, headline and summary, so a correct
reader stores exactly one article per generated entry. Output is deterministic for a seed.

    .venv/bin/python bench/feedgen.py OUT_DIR [--feeds 2000] [--seed 7]

writes OUT_DIR/feeds/<n>.rss|.atom|.json, OUT_DIR/feeds.opml (base URL placeholder
``{BASE}``, see :func:`opml_for`) and OUT_DIR/manifest.json (counts).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
if not DATA.exists():
    DATA = Path("/work/shared/data")
UCI = DATA / "demo" / "uci-news-aggregator" / "uci_news_prefix_6366.tsv"
AG = DATA / "classification" / "ag-news-test" / "test.csv"
BBC = DATA / "classification" / "bbc-news" / "bbc_news.jsonl"
CATEGORIES = {"b": "Business", "t": "Technology", "e": "Entertainment", "m": "Health"}
AUTHORS = ["Ana Souza", "Tom Price", "Mei Lin", "Kofi Mensah", "Sara Novak", "Ravi Iyer"]
EPOCH = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Texts:
    headlines: list[tuple[str, str]]  # (headline, category letter)
    summaries: list[str]
    bodies: list[list[str]]  # paragraphs


def _clean_ag(text: str) -> str:
    """AG News stores entities without their ampersand (" #39;", " quot;")."""
    text = re.sub(r" ?#39;", "'", text.replace("\\", " "))
    text = re.sub(r" ?quot;", '"', text)
    return re.sub(r"&lt;.*?&gt;", "", text.replace("#36;", "$")).strip()


def load_texts() -> Texts:
    with UCI.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    headlines = sorted({(r["TITLE"].strip(), r["CATEGORY"]) for r in rows if r["TITLE"].strip()})
    with AG.open(encoding="utf-8", newline="") as f:
        summaries = [_clean_ag(row[2]) for row in csv.reader(f) if len(row) == 3]
    bodies = []
    with BBC.open(encoding="utf-8") as f:
        for line in f:
            text = json.loads(line)["text"]
            bodies.append([p.strip() for p in text.split("\n") if p.strip()][:8])
    return Texts(headlines, summaries, bodies)


@dataclass(frozen=True)
class Item:
    guid: str
    link: str
    title: str
    category: str
    summary: str
    body: list[str]
    author: str
    image: str
    published: datetime


def feed_kind(number: int) -> str:
    slot = number % 20
    return "json" if slot < 2 else "atom" if slot < 5 else "rss"


def make_items(number: int, texts: Texts, rng: random.Random) -> list[Item]:
    count = rng.randint(20, 60)
    site = f"https://pub{number}.example"
    picks = rng.sample(range(len(texts.headlines)), count)
    items = []
    for i, pick in enumerate(picks):
        title, letter = texts.headlines[pick]
        slug = "-".join(title.lower().split()[:6])
        slug = "".join(ch for ch in slug if ch.isalnum() or ch == "-")
        items.append(
            Item(
                guid=f"{site}/a/{number}-{i}",
                link=f"{site}/2024/05/{slug}-{i}",
                title=title,
                category=CATEGORIES.get(letter, "News"),
                summary=texts.summaries[(number * 61 + i) % len(texts.summaries)],
                body=texts.bodies[(number * 7 + i) % len(texts.bodies)],
                author=rng.choice(AUTHORS),
                image=f"{site}/img/{number}-{i}.jpg",
                published=EPOCH - timedelta(minutes=37 * i + number % 50),
            )
        )
    return items


def rss(number: int, items: list[Item], full_text: bool) -> str:
    site = f"https://pub{number}.example"
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:media="http://search.yahoo.com/mrss/" '
        'xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n'
        f"<title>Publisher {number} News</title>\n<link>{site}/</link>\n"
        f"<description>Latest stories from publisher {number}</description>\n"
        "<language>en-gb</language>\n"
        f"<lastBuildDate>{format_datetime(items[0].published)}</lastBuildDate>\n"
    ]
    for k, it in enumerate(items):
        media = (
            f'<enclosure url="{it.image}" length="0" type="image/jpeg"/>'
            if k % 2
            else f'<media:content url="{it.image}" medium="image" width="1200" height="675"/>'
        )
        content = ""
        if full_text:
            html = "".join(f"<p>{escape(p)}</p>" for p in it.body)
            content = f"<content:encoded><![CDATA[{html}]]></content:encoded>"
        out.append(
            f"<item><title>{escape(it.title)}</title><link>{it.link}</link>"
            f'<guid isPermaLink="false">{it.guid}</guid>'
            f"<pubDate>{format_datetime(it.published)}</pubDate>"
            f"<dc:creator>{escape(it.author)}</dc:creator>"
            f"<category>{it.category}</category>"
            f"<description>{escape(it.summary)}</description>{content}{media}</item>\n"
        )
    out.append("</channel>\n</rss>\n")
    return "".join(out)


def atom(number: int, items: list[Item]) -> str:
    site = f"https://pub{number}.example"
    out = [
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f"<title>Publisher {number} News</title>\n<id>{site}/</id>\n"
        f'<link rel="alternate" href="{site}/"/>\n'
        f"<updated>{items[0].published.isoformat()}</updated>\n"
    ]
    for it in items:
        out.append(
            f"<entry><title>{escape(it.title)}</title><id>{it.guid}</id>"
            f'<link rel="alternate" href={quoteattr(it.link)}/>'
            f"<published>{it.published.isoformat()}</published>"
            f"<updated>{it.published.isoformat()}</updated>"
            f"<author><name>{escape(it.author)}</name></author>"
            f'<category term="{it.category}"/>'
            f'<summary type="html">{escape(escape(it.summary))}</summary>'
            f'<link rel="enclosure" type="image/jpeg" href="{it.image}"/></entry>\n'
        )
    out.append("</feed>\n")
    return "".join(out)


def json_feed(number: int, items: list[Item]) -> str:
    site = f"https://pub{number}.example"
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": f"Publisher {number} News",
        "home_page_url": f"{site}/",
        "feed_url": f"{site}/feed.json",
        "language": "en",
        "items": [
            {
                "id": it.guid,
                "url": it.link,
                "title": it.title,
                "summary": it.summary,
                "content_html": "".join(f"<p>{escape(p)}</p>" for p in it.body[:3]),
                "image": it.image,
                "date_published": it.published.isoformat(),
                "authors": [{"name": it.author}],
                "tags": [it.category],
            }
            for it in items
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=1)


EXTENSION = {"rss": "rss", "atom": "atom", "json": "json"}


def feed_path(number: int) -> str:
    return f"feeds/{number}.{EXTENSION[feed_kind(number)]}"


def generate(out: Path, feeds: int, seed: int = 7) -> dict[str, int]:
    """Write ``feeds`` feeds under ``out``; returns the counts (also in manifest.json)."""
    texts = load_texts()
    (out / "feeds").mkdir(parents=True, exist_ok=True)
    counts = {"feeds": feeds, "entries": 0, "rss": 0, "atom": 0, "json": 0, "bytes": 0}
    for number in range(feeds):
        rng = random.Random(seed * 1_000_003 + number)
        items = make_items(number, texts, rng)
        kind = feed_kind(number)
        if kind == "rss":
            text = rss(number, items, full_text=number % 3 == 0)
        elif kind == "atom":
            text = atom(number, items)
        else:
            text = json_feed(number, items)
        data = text.encode("utf-8")
        (out / feed_path(number)).write_bytes(data)
        counts[kind] += 1
        counts["entries"] += len(items)
        counts["bytes"] += len(data)
    (out / "manifest.json").write_text(json.dumps(counts, indent=1))
    return counts


def opml_for(base: str, feeds: int) -> bytes:
    """OPML of the feeds at ``base`` (e.g. http://127.0.0.1:8080/), one publisher each."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0"><head>'
        "<title>bench feeds</title></head><body>"
    ]
    for number in range(feeds):
        lines.append(
            f'<outline type="rss" text="Publisher {number}" title="Publisher {number}" '
            f'xmlUrl="{base}{feed_path(number)}" htmlUrl="https://pub{number}.example/"/>'
        )
    lines.append("</body></opml>\n")
    return "\n".join(lines).encode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--feeds", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(json.dumps(generate(args.out, args.feeds, args.seed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
