"""Weak section labels from notnews/top_news URLs (Sood & Willis; data CC BY 4.0).

The repository (github.com/notnews/top_news) keeps one JSON list of article URLs per outlet,
harvested from the outlets' RSS feeds since 2022. An outlet's URL path names its section
(``/2023/01/19/world/...``, ``/Sports/wireStory/...``), and its slug the headline
(``jacinda-ardern-highlights-new-zealand-prime-minister``): a section feed of a real
publisher, as weak supervision. Used by bench/section_transfer.py to measure what such data
adds; put the ``<outlet>_urls.json`` files in a folder (``$TOP_NEWS_URLS``, default
``/work/datasets/top-news-urls``; the largest stored version of each file is under 4 MiB,
about 40,000 URLs an outlet up to 2023-24).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

_SECTION_WORDS = {
    "sport": "sport sports football soccer baseball basketball nfl nba mlb nhl golf tennis "
    "olympics ncaabasketball ncaafootball highschool dodgers lakers angels rams chargers "
    "clippers kings ucla usc college-sports",
    "world": "world international europe asia africa americas middleeast middle-east "
    "world-nation australia canada uk china india goatsandsoda goats-and-soda",
    "politics": "politics elections election 2024-election 2022-election congress white-house "
    "supreme-court",
    "business": "business economy investing money dealbook markets consumer corporations autos "
    "planet-money",
    "technology": "tech technology personaltech internet innovation mobile social-media crypto",
    "science": "science space climate environment climate-environment climate-solutions",
    "health": "health health-shots shots-health-news well wellness health-news kids-health "
    "womens-health health-care",
    "entertainment": "entertainment entertainment-arts pop-culture movies tv television music "
    "celebrity awards video-games arts-entertainment",
    "culture": "arts books theater-dance design dance culture",
    "opinion": "opinion opinions think editorials columnists",
}
SEGMENT_SECTION = {w: s for s, words in _SECTION_WORDS.items() for w in words.split()}
# USA Today's feed proxy names the feed: "usatoday-techtopstories~Headline-Words".
_USAT_FEED = re.compile(r"usatoday(?:com)?-?([a-z]+?)-?topstories$")
_USAT_SECTIONS = {"tech": "technology", "sports": "sport", "money": "business", "world": "world"}
_ID_WORD = re.compile(r"^(?:\d{3,}|rcna\d+|n\d{4,}|[a-z]*\d+[a-z\d]*\d)$")
PER_OUTLET_SECTION = 5000  # at most this many examples of one section from one outlet


def _slug_words(segment: str) -> list[str]:
    segment = re.sub(r"\.(html?|cnn|php)$", "", segment)
    words = [w for w in re.split(r"[-_+]+", segment) if w]
    while words and _ID_WORD.match(words[-1].lower()):
        words.pop()
    return words


def labelled_url(url: str) -> tuple[str, str] | None:
    """(headline rebuilt from the slug, section slug) of one URL, or None."""
    parts = [unquote(p) for p in urlsplit(url).path.split("/") if p]
    if not parts:
        return None
    if "~" in url:
        feed, _, title = parts[-1].partition("~")
        match = _USAT_FEED.match(feed)
        section = _USAT_SECTIONS.get(match.group(1), "") if match else ""
        words = _slug_words(title)
        return (" ".join(words), section) if len(words) >= 3 and section else None
    section = next(
        (SEGMENT_SECTION[p.lower()] for p in parts[:-1] if p.lower() in SEGMENT_SECTION), ""
    )
    candidates = [_slug_words(p) for p in parts if "-" in p]
    words = max(candidates, key=len) if candidates else []
    if not section or len(words) < 3:
        return None
    title = " ".join(words)
    return title[0].upper() + title[1:], section


def top_news_examples(folder: Path) -> Iterator[tuple[str, str, str]]:
    """(title, "", section) of every usable URL, each headline once, at most
    PER_OUTLET_SECTION per outlet and section."""
    seen: set[str] = set()
    for path in sorted(folder.glob("*_urls.json")):
        taken: Counter[str] = Counter()
        for url in json.loads(path.read_text(encoding="utf-8")):
            found = labelled_url(url)
            if found is None:
                continue
            title, section = found
            if title.lower() in seen or taken[section] >= PER_OUTLET_SECTION:
                continue
            seen.add(title.lower())
            taken[section] += 1
            yield title, "", section
