"""The wall's meter: how many full articles a visitor may still read, decided without I/O.

A visitor's meter is the list of articles they read in full within the window (30 days),
each with the time it was first read; it travels in a signed cookie (the web surface signs
and checks it). A visitor may read ``allowance`` different articles per window; an article
already on the meter opens again without counting. A per-address daily cap is the
backstop for visitors who throw their cookies away: ``address_reads`` is how many free
reads that address had today, across every visitor behind it.

``allowance`` < 0 turns the wall off; 0 walls every article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WINDOW_SECONDS = 30 * 86_400
MAX_ENTRIES = 100  # a meter never holds more (the cookie stays small whatever the setting)
_ENTRY = re.compile(r"(\d{1,18})\.(\d{1,12})")
# The user agents of the search engines' and link previewers' crawlers: they get the
# teaser (and the page says it is not free: schema.org isAccessibleForFree=false).
_CRAWLER = re.compile(
    r"googlebot|google-inspectiontool|storebot-google|mediapartners-google|adsbot-google|"
    r"bingbot|bingpreview|slurp|duckduckbot|baiduspider|yandexbot|yandex\.com/bots|"
    r"applebot|facebookexternalhit|twitterbot|linkedinbot|amazonbot|gptbot|claudebot|"
    r"ccbot|petalbot|seznambot|ia_archiver|crawler|spider",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class MeterEntry:
    article_id: int
    read_at: int  # Unix time, seconds


Meter = tuple[MeterEntry, ...]


@dataclass(frozen=True)
class WallPolicy:
    allowance: int = 3  # full articles per window; < 0: no wall
    window_seconds: int = WINDOW_SECONDS
    address_cap: int = -1  # free reads per address per day; < 0: no cap


@dataclass(frozen=True)
class MeterDecision:
    full: bool  # show the full text
    meter: Meter  # the visitor's meter after this view
    counted: bool  # a new free read was used (the address's count goes up by one)
    remaining: int  # free reads left in the window after this view


def decide(
    meter: Meter, article_id: int, now: int, policy: WallPolicy, address_reads: int = 0
) -> MeterDecision:
    """Whether a visitor with ``meter`` reads ``article_id`` in full at ``now``."""
    if policy.allowance < 0:
        return MeterDecision(full=True, meter=(), counted=False, remaining=-1)
    live = tuple(e for e in meter if now - policy.window_seconds < e.read_at <= now)
    allowance = min(policy.allowance, MAX_ENTRIES)
    if any(e.article_id == article_id for e in live):
        return MeterDecision(True, live, False, max(0, allowance - len(live)))
    capped = 0 <= policy.address_cap <= address_reads
    if len(live) >= allowance or capped:
        return MeterDecision(False, live, False, max(0, allowance - len(live)))
    after = (*live, MeterEntry(article_id, now))
    return MeterDecision(True, after, True, allowance - len(after))


def format_meter(meter: Meter) -> str:
    """The meter as cookie text: ``id.time`` entries joined by ``-``."""
    return "-".join(f"{e.article_id}.{e.read_at}" for e in meter[-MAX_ENTRIES:])


def parse_meter(text: str) -> Meter:
    """The meter in ``text`` (from ``format_meter``); malformed entries are dropped, never an
    error (the cookie was signed, but an old format must not break a page)."""
    entries = []
    for part in text.split("-")[:MAX_ENTRIES]:
        match = _ENTRY.fullmatch(part)
        if match:
            entries.append(MeterEntry(int(match[1]), int(match[2])))
    return tuple(entries)


def is_crawler(user_agent: str) -> bool:
    """Whether the user agent names a search engine's or link previewer's crawler."""
    return bool(_CRAWLER.search(user_agent[:512]))
