"""The one outbound HTTP client of Newsstand (guarded, bounded, async)."""

from newsstand.net.fetch import (
    Fetcher,
    FetchPolicy,
    FetchRequest,
    FetchResult,
    FetchSession,
    fetch_many_sync,
)

__all__ = [
    "FetchPolicy",
    "FetchRequest",
    "FetchResult",
    "FetchSession",
    "Fetcher",
    "fetch_many_sync",
]
