"""The one outbound HTTP client of Newsstand (guarded, bounded, async)."""

from newsstand.net.fetch import (
    Fetcher,
    FetchPolicy,
    FetchRequest,
    FetchResult,
    fetch_many_sync,
)

__all__ = ["FetchPolicy", "FetchRequest", "FetchResult", "Fetcher", "fetch_many_sync"]
