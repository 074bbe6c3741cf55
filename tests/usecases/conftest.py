from __future__ import annotations

from collections.abc import Iterator

import pytest

from newsstand.core.addresses import parse_networks
from newsstand.core.schedule import ScheduleBounds
from newsstand.net.fetch import FetchPolicy
from newsstand.usecases.refresh import RefreshConfig

from .publisher import Publisher


@pytest.fixture
def publisher() -> Iterator[Publisher]:
    server = Publisher()
    yield server
    server.close()


@pytest.fixture
def config() -> RefreshConfig:
    """Only the test publisher on 127.0.0.1 is allowed; everything else private is blocked."""
    policy = FetchPolicy(
        allow_networks=parse_networks(["127.0.0.1/32"]),
        timeout=5.0,
        connect_timeout=2.0,
        max_bytes=1024 * 1024,
    )
    return RefreshConfig(policy=policy, bounds=ScheduleBounds(), batch=50)
