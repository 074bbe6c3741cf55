"""Parse an HTTP ``Retry-After`` header value (RFC 9110 §10.2.3) into seconds."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def parse_retry_after(value: str, *, now: datetime) -> float | None:
    """Seconds to wait, from a delay ("120") or an HTTP-date ("Wed, 21 Oct 2026 07:28:00 GMT").

    ``now`` is the current time (timezone-aware; a naive one is taken as UTC). A date in
    the past gives 0.0. Returns ``None`` when the value is neither form (negative delays
    and garbage included); never raises.
    """
    text = value.strip()
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return float(int(text))
    return _seconds_until(text, now)


def _seconds_until(text: str, now: datetime) -> float | None:
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    when = when if when.tzinfo is not None else when.replace(tzinfo=UTC)
    now = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())
