"""Fixtures for tests that fetch: local origins, a stub resolver and a test policy.

Reuse them from any conftest with ``from net.fixtures import origin, internal, ...``.
The test policy allows only 127.0.0.1/32 (the "public" origin); everything else,
127.0.0.2 (the "internal" origin) included, is blocked as in production.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from net.servers import SECRET, Origin, Reply, StubResolver
from newsstand.core.addresses import parse_networks
from newsstand.net.fetch import FetchPolicy
from newsstand.net.guard import Resolve

PUBLIC_IP = "127.0.0.1"
INTERNAL_IP = "127.0.0.2"

STUB_NAMES: dict[str, list[str]] = {
    "public.test": [PUBLIC_IP],
    "fast.test": [PUBLIC_IP],
    "internal.test": [INTERNAL_IP],
    "localhost": [INTERNAL_IP],
    "mapped.test": ["::ffff:127.0.0.2"],
    "nat64.test": ["64:ff9b::7f00:2"],
    "sixtofour.test": ["2002:7f00:2::1"],
    "mixed.test": [PUBLIC_IP, INTERNAL_IP],
    "metadata.test": ["169.254.169.254"],
    "cgnat.test": ["100.64.0.1"],
    "ula.test": ["fd00::1"],
    "linklocal.test": ["fe80::1"],
    "loopback6.test": ["::1"],
}


def make_policy(resolver: Resolve, **overrides: Any) -> FetchPolicy:
    """A policy with small caps: 1 MiB, 2 s deadline, only 127.0.0.1/32 allowed."""
    settings: dict[str, Any] = {
        "allow_networks": parse_networks([f"{PUBLIC_IP}/32"]),
        "resolver": resolver,
        "timeout": 2.0,
        "connect_timeout": 1.0,
        "max_bytes": 1024 * 1024,
    }
    settings.update(overrides)
    return FetchPolicy(**settings)


@pytest.fixture
def resolver() -> StubResolver:
    return StubResolver(STUB_NAMES)


@pytest.fixture
def policy(resolver: StubResolver) -> FetchPolicy:
    return make_policy(resolver)


@pytest.fixture
def origin() -> Iterator[Origin]:
    """The "public" origin on 127.0.0.1."""
    with Origin(PUBLIC_IP) as server:
        yield server


@pytest.fixture
def internal() -> Iterator[Origin]:
    """The "internal" origin on 127.0.0.2: answers SECRET on every path, counts accepts."""
    with Origin(INTERNAL_IP, default=Reply(body=SECRET)) as server:
        yield server
