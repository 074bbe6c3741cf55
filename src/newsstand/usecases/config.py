"""Settings handed to the use cases, read once from Django's settings."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

from newsstand import __version__
from newsstand.core.addresses import parse_networks
from newsstand.core.schedule import ScheduleBounds
from newsstand.net.fetch import FetchPolicy
from newsstand.usecases.parallel import default_workers

USER_AGENT = f"Newsstand/{__version__} (self-hosted news reader; +https://github.com/newsstand-news/newsstand)"


@dataclass(frozen=True)
class RefreshConfig:
    policy: FetchPolicy = field(default_factory=FetchPolicy)
    bounds: ScheduleBounds = field(default_factory=ScheduleBounds)
    batch: int = 200
    parse_workers: int = 1  # processes that parse and normalise (1: inline)
    # Bytes of changed documents a batch needs before it is parsed in the worker processes
    # (measured: 200 benchmark feeds are 10.7 MB; the 200 largest demo feeds 1.3 MB).
    pool_min_bytes: int = 2_000_000

    @classmethod
    def from_settings(cls) -> RefreshConfig:
        ns = settings.NEWSSTAND
        policy = FetchPolicy(
            allow_networks=parse_networks(ns.allow_networks),
            timeout=ns.fetch_timeout,
            max_bytes=ns.fetch_max_bytes,
            per_host=ns.fetch_per_host,
            concurrency=ns.fetch_concurrency,
            user_agent=USER_AGENT,
        )
        bounds = ScheduleBounds(min_interval=ns.min_interval, max_interval=ns.max_interval)
        workers = ns.parse_workers or default_workers()
        return cls(policy=policy, bounds=bounds, batch=ns.refresh_batch, parse_workers=workers)
