"""Per-origin slots: at most N fetches of one origin run at once.

A fetch waits for its origin's slot *before* its deadline starts, so fetches queued
behind a slow host do not time out while they wait, and do not hold a global slot.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from yarl import URL


class HostSlots:
    """Bounded concurrency per origin (scheme, host, port)."""

    def __init__(self, per_host: int) -> None:
        self._per_host = per_host
        self._semaphores: dict[str, asyncio.Semaphore] = {}
        self._users: dict[str, int] = {}

    @asynccontextmanager
    async def hold(self, origin: URL) -> AsyncIterator[None]:
        key = str(origin)
        semaphore = self._semaphores.get(key)
        if semaphore is None:
            semaphore = self._semaphores[key] = asyncio.Semaphore(self._per_host)
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with semaphore:
                yield
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key], self._semaphores[key]
