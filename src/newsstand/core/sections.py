"""Which section an article belongs to, from what its feed declares.

Feeds name their sections in many ways ("World news", "Tech", "Sci/Tech", "Fußball"...).
This maps declared categories onto the default taxonomy by keyword. Articles with no
usable declaration get no section here (a classifier decides later).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# slug → words that, as a whole word of a category, place an article in that section.
SECTION_KEYWORDS: dict[str, tuple[str, ...]] = {
    "world": (
        "world",
        "international",
        "global",
        "europe",
        "asia",
        "africa",
        "americas",
        "middle east",
        "monde",
        "welt",
        "internacional",
        "mundo",
    ),
    "politics": (
        "politics",
        "political",
        "election",
        "elections",
        "government",
        "politique",
        "politik",
        "política",
    ),
    "business": (
        "business",
        "economy",
        "economics",
        "markets",
        "finance",
        "money",
        "companies",
        "wirtschaft",
        "économie",
        "economia",
        "economía",
    ),
    "technology": (
        "technology",
        "tech",
        "sci/tech",
        "science & technology",
        "gadgets",
        "internet",
        "computing",
        "digital",
        "technologie",
        "tecnología",
    ),
    "science": ("science", "space", "environment", "climate", "wissenschaft", "ciencia"),
    "health": ("health", "medicine", "medical", "wellbeing", "gesundheit", "santé", "salud"),
    "sport": (
        "sport",
        "sports",
        "football",
        "soccer",
        "cricket",
        "tennis",
        "rugby",
        "nba",
        "nfl",
        "fußball",
        "deportes",
    ),
    "culture": ("culture", "arts", "books", "music", "film", "movies", "kultur", "cultura"),
    "entertainment": ("entertainment", "celebrity", "showbiz", "tv", "television"),
    "opinion": (
        "opinion",
        "comment",
        "commentisfree",
        "editorial",
        "editorials",
        "columns",
        "meinung",
        "opinión",
    ),
}

_PATTERNS = {
    slug: re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.I)
    for slug, words in SECTION_KEYWORDS.items()
}


def section_from_categories(categories: Iterable[str], known: Iterable[str]) -> str:
    """The slug of the first section (among ``known``) that a category names, or ""."""
    allowed = set(known)
    for category in categories:
        for slug, pattern in _PATTERNS.items():
            if slug in allowed and pattern.search(category):
                return slug
    return ""
