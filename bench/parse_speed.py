"""Items per second of parse_feed (and parse + normalise) against feedparser alone.

Run: .venv/bin/python bench/parse_speed.py [--docs N] [--repeat N] [--cpu] [--only rss20,atom10]

Corpora:
  rss20 / atom10 / json11 - realistic documents of 20-100 items generated from the real
      headlines, URLs and publishers of ../shared/data/demo/uci-news-aggregator, with HTML
      descriptions and content, categories, authors, dates, media and enclosures (the
      shapes WordPress, news CMSs and JSON Feed generators emit)
  suite - feedparser's own test feeds (tiny, odd documents: most take the tolerant path)

Each timing is the median of --repeat runs over the whole corpus (time.perf_counter, one
thread; with --cpu, time.process_time: the CPU time of this process, less disturbed by
other work on a shared machine). feedparser is given bytes, as parse_feed's fallback is.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import html
import io
import json
import random
import statistics
import time
import warnings
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import feedparser

from newsstand.core.errors import NewsstandError
from newsstand.core.normalise import normalise_entries
from newsstand.core.parse import parse_feed

ROOT = Path(__file__).resolve().parent.parent
HEADLINES = (
    ROOT.parent / "shared" / "data" / "demo" / "uci-news-aggregator" / "uci_news_prefix_6366.tsv"
)
SUITE = ROOT.parent / "shared" / "data" / "feeds" / "feedparser-suite"
SECTIONS = {"b": "Business", "t": "Science and Technology", "e": "Entertainment", "m": "Health"}
AUTHORS = ["Jane Roe", "John Smith", "Ana Lima", "Wei Chen", "Priya Patel", "Tom Berger"]


def load_headlines() -> list[dict[str, str]]:
    with HEADLINES.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _paragraphs(rng: random.Random, rows: list[dict[str, str]]) -> str:
    parts = []
    for _ in range(rng.randint(2, 6)):
        words = " ".join(html.escape(r["TITLE"]) for r in rng.sample(rows, 3))
        link = html.escape(rng.choice(rows)["URL"])
        parts.append(f'<p>{words}. Read <a href="{link}">more</a> and <em>analysis</em>.</p>')
    parts.append(
        f'<p><img src="https://cdn.example.com/{rng.randrange(10**6)}.jpg" alt="photo"></p>'
    )
    return "".join(parts)


def _item(rng: random.Random, rows: list[dict[str, str]], when: datetime) -> dict[str, Any]:
    row = rng.choice(rows)
    return {
        "title": row["TITLE"],
        "url": row["URL"].replace("\\?", "?"),
        "guid": f"{row['HOSTNAME']}-{row['ID']}-{rng.randrange(10**9)}",
        "author": rng.choice(AUTHORS),
        "categories": [SECTIONS.get(row["CATEGORY"], "News"), row["PUBLISHER"]],
        "summary": _paragraphs(rng, rows)[:600],
        "content": _paragraphs(rng, rows) + _paragraphs(rng, rows),
        "when": when,
        "image": f"https://cdn.example.com/{row['ID']}.jpg",
    }


def rss20(title: str, items: list[dict[str, Any]]) -> bytes:
    body = []
    for it in items:
        cats = "".join(f"<category>{html.escape(c)}</category>" for c in it["categories"])
        body.append(
            f"<item><title>{html.escape(it['title'])}</title><link>{html.escape(it['url'])}</link>"
            f'<guid isPermaLink="false">{it["guid"]}</guid>'
            f"<pubDate>{it['when'].strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
            f"<dc:creator><![CDATA[{it['author']}]]></dc:creator>{cats}"
            f"<description><![CDATA[{it['summary']}]]></description>"
            f"<content:encoded><![CDATA[{it['content']}]]></content:encoded>"
            f'<media:content url="{it["image"]}" medium="image" type="image/jpeg"/>'
            f"<comments>{html.escape(it['url'])}#comments</comments></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:media="http://search.yahoo.com/mrss/"><channel>'
        f"<title>{html.escape(title)}</title><link>https://example.com/</link>"
        "<description>Latest news</description><language>en-us</language>"
        '<atom:link href="https://example.com/feed" rel="self" type="application/rss+xml"/>'
        + "".join(body)
        + "</channel></rss>"
    ).encode()


def atom10(title: str, items: list[dict[str, Any]]) -> bytes:
    body = []
    for it in items:
        stamp = it["when"].strftime("%Y-%m-%dT%H:%M:%SZ")
        cats = "".join(f'<category term="{html.escape(c)}"/>' for c in it["categories"])
        body.append(
            f'<entry><title type="html"><![CDATA[{it["title"]}]]></title>'
            f'<link rel="alternate" type="text/html" href="{html.escape(it["url"])}"/>'
            f"<id>tag:example.com,2014:{it['guid']}</id><published>{stamp}</published>"
            f"<updated>{stamp}</updated><author><name>{it['author']}</name></author>{cats}"
            f'<summary type="html"><![CDATA[{it["summary"]}]]></summary>'
            f'<content type="html"><![CDATA[{it["content"]}]]></content></entry>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
        f'xml:lang="en"><title type="text">{html.escape(title)}</title>'
        '<link rel="alternate" type="text/html" href="https://example.com/"/>'
        '<link rel="self" href="https://example.com/feed.atom"/><id>https://example.com/</id>'
        "<updated>2014-03-10T10:00:00Z</updated>" + "".join(body) + "</feed>"
    ).encode()


def json11(title: str, items: list[dict[str, Any]]) -> bytes:
    return json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": title,
            "home_page_url": "https://example.com/",
            "feed_url": "https://example.com/feed.json",
            "language": "en",
            "items": [
                {
                    "id": it["guid"],
                    "url": it["url"],
                    "title": it["title"],
                    "summary": html.unescape(it["summary"][:200]),
                    "content_html": it["content"],
                    "image": it["image"],
                    "date_published": it["when"].isoformat(),
                    "authors": [{"name": it["author"]}],
                    "tags": it["categories"],
                }
                for it in items
            ],
        }
    ).encode()


def realistic_corpus(kind: str, docs: int, rows: list[dict[str, str]]) -> list[bytes]:
    rng = random.Random(f"newsstand-{kind}")
    writer = {"rss20": rss20, "atom10": atom10, "json11": json11}[kind]
    corpus = []
    for n in range(docs):
        start = datetime(2014, 3, 10, tzinfo=UTC) - timedelta(hours=n)
        count = rng.randint(20, 100)
        items = [_item(rng, rows, start - timedelta(minutes=7 * i)) for i in range(count)]
        corpus.append(writer(f"Publisher {n}", items))
    return corpus


def suite_corpus() -> list[bytes]:
    paths = sorted((SUITE / "tests").rglob("*.xml"))
    return [p.read_bytes() for p in paths if "http" not in str(p)]


CLOCK: Callable[[], float] = time.perf_counter


def median_seconds(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = CLOCK()
        run()
        times.append(CLOCK() - started)
    return statistics.median(times)


def ours_parse(corpus: list[bytes]) -> int:
    count = 0
    for data in corpus:
        with contextlib.suppress(NewsstandError):
            count += len(parse_feed(data).entries)
    return count


def ours_parse_normalise(corpus: list[bytes]) -> int:
    now = datetime(2024, 1, 1, tzinfo=UTC)
    count = 0
    for data in corpus:
        try:
            feed = parse_feed(data, url="https://example.com/feed")
        except NewsstandError:
            continue
        count += len(normalise_entries(feed, feed_url="https://example.com/feed", now=now))
    return count


def feedparser_only(corpus: list[bytes]) -> int:
    count = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for data in corpus:
            # feedparser reads JSON Feed only when told the content type
            headers = {"content-type": "application/feed+json"} if data[:1] == b"{" else {}
            count += len(feedparser.parse(io.BytesIO(data), response_headers=headers).entries)
    return count


def fast_share(corpus: list[bytes]) -> str:
    fast = 0
    for data in corpus:
        with contextlib.suppress(NewsstandError):
            fast += not parse_feed(data).used_fallback
    return f"{fast}/{len(corpus)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=30, help="documents per realistic corpus")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cpu", action="store_true", help="time CPU, not wall-clock, time")
    parser.add_argument("--only", default="rss20,atom10,json11,suite", help="corpora to run")
    args = parser.parse_args()
    global CLOCK
    if args.cpu:
        CLOCK = time.process_time
    only = args.only.split(",")
    rows = load_headlines()
    corpora = {
        kind: realistic_corpus(kind, args.docs, rows)
        for kind in ("rss20", "atom10", "json11")
        if kind in only
    }
    if "suite" in only:
        corpora["suite"] = suite_corpus()

    header = (
        f"{'corpus':<8}{'docs':>6}{'items':>7}{'fast path':>11}{'feedparser/s':>14}"
        f"{'parse/s':>11}{'ratio':>8}{'parse+norm/s':>14}{'ratio':>8}{'norm µs/item':>14}"
    )
    print(header)
    print("-" * len(header))
    for name, corpus in corpora.items():
        items = feedparser_only(corpus)
        ours_items = ours_parse(corpus)
        fp_s = median_seconds(lambda c=corpus: feedparser_only(c), max(1, args.repeat // 2))
        parse_s = median_seconds(lambda c=corpus: ours_parse(c), args.repeat)
        both_s = median_seconds(lambda c=corpus: ours_parse_normalise(c), args.repeat)
        parse_rate, both_rate = ours_items / parse_s, ours_items / both_s
        fp_rate = items / fp_s if items else 0.0
        norm_us = 1e6 * (both_s - parse_s) / max(ours_items, 1)

        def ratio(rate: float, fp_rate: float = fp_rate) -> str:
            return f"{rate / fp_rate:>7.1f}x" if fp_rate else f"{'n/a':>8}"

        fp_text = f"{fp_rate:>14,.0f}" if fp_rate else f"{'n/a':>14}"
        print(
            f"{name:<8}{len(corpus):>6}{ours_items:>7}{fast_share(corpus):>11}{fp_text}"
            f"{parse_rate:>11,.0f}{ratio(parse_rate)}{both_rate:>14,.0f}"
            f"{ratio(both_rate)}{norm_us:>14.1f}"
        )
    print(
        f"\nitems/s = entries returned / median {'CPU' if args.cpu else 'wall'} time; ratio = ours / feedparser;"
        " target >= 30x on the realistic corpora (rss20, atom10, json11)."
        "\nfeedparser 6.0.14 does not read JSON Feed (n/a). norm µs/item = (parse+normalise"
        " - parse) per entry: URL checks, nh3 sanitising of summary and content, hashing."
    )


if __name__ == "__main__":
    main()
