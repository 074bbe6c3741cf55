"""µs per entry of each stage of the feed pipeline, over the generated benchmark feeds.

Run:
    .venv/bin/python bench/feedgen.py /tmp/feeds            # once: 2,000 feeds, ~80k entries
    .venv/bin/python bench/profile_pipeline.py /tmp/feeds [--repeat 3] [--limit N]
        [--profile parse|normalise|rows] [--digest]

Stages, each timed over the whole corpus in one thread as CPU time of this process
(``time.process_time``, so other load on the machine inflates it less than wall time;
median of --repeat runs):
  parse      parse_feed(bytes) for every feed
  normalise  normalise_feed_meta + normalise_entries on the parsed feeds
  rows       core.ingest.entry_rows on the normalised entries: each entry's section from
             its categories, the full-text decision (feed mode "auto") and the plain row
             the parsing worker sends to the writing process
  total      the three together (what a parsing worker runs per feed for a refresh)
and, inside normalise, the share of its parts measured by calling them alone on the same
entries: canonical_url of links, sanitize_html of summaries and contents.

The feed URL given to both is the one the refresh benchmark gives:
``http://127.0.0.1:8080/feeds/<n>.<ext>``. ``--digest`` prints a sha256 of every
candidate (all fields), so a change that must not change behaviour can be checked by
comparing the digest before and after. ``--profile`` runs cProfile on one stage and prints
the top functions by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import pstats
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from newsstand.core.entries import EntryCandidate, ParsedFeed
from newsstand.core.ingest import entry_rows
from newsstand.core.normalise import normalise_entries, normalise_feed_meta
from newsstand.core.parse import parse_feed
from newsstand.core.sanitize import sanitize_html
from newsstand.core.urls import canonical_url

NOW = datetime(2024, 6, 1, tzinfo=UTC)
BASE = "http://127.0.0.1:8080/"
CONTENT_TYPES = {".rss": "application/rss+xml", ".atom": "application/atom+xml"}
CONTENT_TYPES[".json"] = "application/feed+json"


def load(folder: Path, limit: int) -> list[tuple[str, str, bytes]]:
    """(feed URL, content type, bytes) of each generated feed, in feed-number order."""
    paths = sorted((folder / "feeds").iterdir(), key=lambda p: int(p.stem))[:limit]
    return [(f"{BASE}feeds/{p.name}", CONTENT_TYPES[p.suffix], p.read_bytes()) for p in paths]


def parse_all(docs: list[tuple[str, str, bytes]]) -> list[tuple[str, ParsedFeed]]:
    return [(url, parse_feed(data, url=url, content_type=ct)) for url, ct, data in docs]


def normalise_all(parsed: list[tuple[str, ParsedFeed]]) -> list[list[EntryCandidate]]:
    out = []
    for url, feed in parsed:
        normalise_feed_meta(feed, feed_url=url)
        out.append(normalise_entries(feed, feed_url=url, now=NOW))
    return out


SECTIONS = {"world": 1, "business": 2, "technology": 3, "science": 4, "sport": 5, "culture": 6}


def rows_all(candidates: list[list[EntryCandidate]]) -> None:
    for feed in candidates:
        entry_rows(tuple(feed), full_text_mode="auto", section_hint=None, sections=SECTIONS)


def urls_only(parsed: list[tuple[str, ParsedFeed]]) -> None:
    for url, feed in parsed:
        for entry in feed.entries:
            canonical_url(entry.link, url)


def sanitise_only(parsed: list[tuple[str, ParsedFeed]]) -> None:
    for url, feed in parsed:
        for entry in feed.entries:
            for content in (entry.summary, entry.content):
                if content is not None and content.type == "html":
                    sanitize_html(content.value, url)


def clear_caches() -> None:
    """Empty the core's lru caches, so every run starts cold as a refresh process does."""
    from newsstand.core import ingest, normalise, sanitize, urls
    from newsstand.core.parsing import common, fast, trust

    for module in (urls, sanitize, normalise, ingest, common, fast, trust):
        for name in dir(module):
            cache_clear = getattr(getattr(module, name), "cache_clear", None)
            if callable(cache_clear):
                cache_clear()


def timed(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        clear_caches()
        started = time.process_time()
        run()
        times.append(time.process_time() - started)
    return statistics.median(times)


def digest(candidates: list[list[EntryCandidate]]) -> str:
    h = hashlib.sha256()
    for feed in candidates:
        for c in feed:
            h.update(repr(c).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def profile(run: Callable[[], object]) -> None:
    clear_caches()
    profiler = cProfile.Profile()
    profiler.runcall(run)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="output folder of bench/feedgen.py")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit", type=int, default=100_000, help="use the first N feeds")
    parser.add_argument("--profile", choices=("parse", "normalise", "rows"))
    parser.add_argument("--digest", action="store_true")
    args = parser.parse_args()
    docs = load(args.folder, args.limit)
    parsed = parse_all(docs)
    entries = sum(len(feed.entries) for _, feed in parsed)
    if args.profile == "parse":
        profile(lambda: parse_all(docs))
        return
    if args.profile == "normalise":
        profile(lambda: normalise_all(parsed))
        return
    if args.profile == "rows":
        candidates = normalise_all(parsed)
        profile(lambda: rows_all(candidates))
        return
    stages = {
        "parse": timed(lambda: parse_all(docs), args.repeat),
        "normalise": timed(lambda: normalise_all(parsed), args.repeat),
        "  of it: canonical_url(link)": timed(lambda: urls_only(parsed), args.repeat),
        "  of it: sanitize_html": timed(lambda: sanitise_only(parsed), args.repeat),
    }
    candidates = normalise_all(parsed)
    stages["rows"] = timed(lambda: rows_all(candidates), args.repeat)
    stages["total (parse + normalise + rows)"] = (
        stages["parse"] + stages["normalise"] + stages["rows"]
    )
    stored = sum(len(c) for c in candidates)
    print(f"{len(docs)} feeds, {entries} entries parsed, {stored} candidates")
    for name, seconds in stages.items():
        print(f"{name:<32}{1e6 * seconds / entries:>9.1f} µs/entry{seconds:>9.2f} s CPU")
    if args.digest:
        print("digest", digest(candidates))


if __name__ == "__main__":
    main()
