"""robots.txt decisions (RFC 9309), given the outcome of fetching the file.

Pure: the caller fetches ``robots_url(page)`` through the guarded fetcher and hands the
outcome here; nothing in this module does I/O or reads the clock. The rules of a host
come in three kinds:

- ``rules``: a robots.txt was read (status 2xx); its groups decide, through the standard
  library's ``urllib.robotparser``.
- ``allow_all``: the file is "unavailable" (a 4xx status such as 404 or 403): RFC 9309
  lets a crawler fetch anything.
- ``unreachable``: a 5xx status, 429 or a network failure: RFC 9309 says to assume a
  complete disallow for now and try again later. ``allows`` answers ``False`` and
  ``retry_later`` is true, so the caller postpones the page rather than giving up on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

from newsstand.core.errors import FetchError

MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309 §2.5: parse at least 500 KiB; we parse that much
RobotsKind = Literal["rules", "allow_all", "unreachable"]


class _Parser(RobotFileParser):
    """``RobotFileParser`` that never reads the clock (it only needs "was it read")."""

    def modified(self) -> None:
        self.last_checked = 1


def _parser(text: str) -> _Parser:
    parser = _Parser()
    parser.parse(text.splitlines())
    return parser


@dataclass(frozen=True)
class RobotsRules:
    """What one host's robots.txt allows (see the module doc for the three kinds)."""

    kind: RobotsKind
    text: str = ""
    reason: str = ""  # why the rules are ``unreachable`` or ``allow_all``
    _parser: _Parser | None = field(default=None, compare=False, repr=False)

    def allows(self, url: str, *, user_agent: str) -> bool:
        """Whether ``user_agent`` may fetch ``url`` now."""
        if self.kind == "allow_all":
            return True
        if self.kind == "unreachable" or self._parser is None:
            return False
        return bool(self._parser.can_fetch(user_agent, url))

    @property
    def retry_later(self) -> bool:
        """True when the rules are unknown for now (fetch the page later, not never)."""
        return self.kind == "unreachable"

    def crawl_delay(self, *, user_agent: str) -> float | None:
        """The ``Crawl-delay`` of the group that applies to ``user_agent``, if any."""
        if self._parser is None:
            return None
        delay = self._parser.crawl_delay(user_agent)
        return float(delay) if delay is not None else None


def robots_url(page_url: str) -> str:
    """The robots.txt that governs ``page_url`` (same scheme, host and port).

    Raises ``ValueError`` when ``page_url`` is not an absolute http(s) URL.
    """
    parts = urlsplit(page_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not an absolute http(s) URL: {page_url[:200]!r}")
    return urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))


def robots_key(page_url: str) -> str:
    """The cache key of ``page_url``'s robots.txt: its scheme, host and port."""
    return robots_url(page_url).removesuffix("/robots.txt")


def rules_from_text(body: bytes | str) -> RobotsRules:
    """Rules from a robots.txt body (UTF-8, bad bytes replaced; cut at 500 KiB)."""
    if isinstance(body, bytes):
        text = body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
    else:
        text = body[:MAX_ROBOTS_BYTES]
    return RobotsRules("rules", text.removeprefix("\ufeff"), _parser=_parser(text))


def rules_from_status(status: int) -> RobotsRules:
    """Rules when robots.txt answered an error status (>= 400).

    4xx other than 429 (the file is unavailable): allow all. 429 and 5xx: unreachable.
    Raises ``ValueError`` for a status below 400.
    """
    if status < 400:
        raise ValueError(f"status {status} is not an error status")
    if status == 429 or status >= 500:
        return unreachable(f"robots.txt answered HTTP {status}")
    return RobotsRules("allow_all", reason=f"robots.txt answered HTTP {status}")


def unreachable(reason: str) -> RobotsRules:
    """Rules for a robots.txt that could not be fetched (network failure, timeout...)."""
    return RobotsRules("unreachable", reason=reason)


class RobotsDisallowed(FetchError):
    """The site's robots.txt does not allow Newsstand to fetch this page."""

    code = "robots_disallowed"


class RobotsUnreachable(FetchError):
    """The site's robots.txt could not be read (server error or network failure): later."""

    code = "robots_unreachable"
