"""Composition: the use cases' typed configuration, built once from the settings.

The composition roots (the command line, the task entry points, the web app) call
``configuration()`` and hand its frozen parts down; the use cases never read settings or
the environment themselves (an import-linter contract and tests/test_layers.py keep it so).
``build_configuration`` is the pure part: plain values in, configuration out.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from newsstand.compute.pool import default_workers
from newsstand.core.addresses import parse_networks
from newsstand.core.schedule import ScheduleBounds
from newsstand.net.fetch import FetchPolicy
from newsstand.usecases.enrich import MODEL_FILE, EnrichConfig
from newsstand.usecases.fulltext import FullTextConfig
from newsstand.usecases.pictures import MODES, PictureConfig
from newsstand.usecases.refresh import RefreshConfig
from newsstand.usecases.scheduling import SchedulingConfig

if TYPE_CHECKING:
    from newsstand.settings import Tuning


@dataclass(frozen=True)
class Configuration:
    """Everything the use cases are given, by use case."""

    refresh: RefreshConfig
    full_text: FullTextConfig
    enrichment: EnrichConfig
    scheduling: SchedulingConfig
    pictures: PictureConfig
    text_model_cache: Path  # the text encoder's quantised model, between processes

    @property
    def policy(self) -> FetchPolicy:
        """The fetcher's policy (feeds, OPML by URL); pages use ``full_text.page_policy``."""
        return self.refresh.policy


def build_configuration(
    tuning: Tuning, *, data_dir: Path, text_model_cache: Path, cores: int | None = None
) -> Configuration:
    """The configuration of the operator's settings (``tuning``) and folders. ``cores``:
    parsing workers when the settings say 0 (one per core; default: this machine's)."""
    policy = _policy(tuning)
    refresh = RefreshConfig(
        policy=policy,
        bounds=ScheduleBounds(min_interval=tuning.min_interval, max_interval=tuning.max_interval),
        batch=tuning.refresh_batch,
        parse_workers=tuning.parse_workers or cores or default_workers(),
    )
    full_text = FullTextConfig(
        policy=policy, batch=tuning.fulltext_batch, per_host=tuning.fulltext_per_host
    )
    pictures = _pictures(tuning, policy, data_dir)
    scheduling = SchedulingConfig(
        refresh_batch=refresh.batch,
        extract_batch=full_text.batch,
        picture_batch=pictures.batch if pictures.mode == "proxy" else 0,
    )
    return Configuration(
        refresh=refresh,
        full_text=full_text,
        enrichment=EnrichConfig(section_model=data_dir / MODEL_FILE),
        scheduling=scheduling,
        pictures=pictures,
        text_model_cache=text_model_cache,
    )


def _policy(tuning: Tuning) -> FetchPolicy:
    return FetchPolicy(
        allow_networks=parse_networks(tuning.allow_networks),
        timeout=tuning.fetch_timeout,
        max_bytes=tuning.fetch_max_bytes,
        per_host=tuning.fetch_per_host,
        concurrency=tuning.fetch_concurrency,
    )


def _pictures(tuning: Tuning, policy: FetchPolicy, data_dir: Path) -> PictureConfig:
    """Raises ``ImproperlyConfigured`` for an unknown ``NEWSSTAND_IMAGES``."""
    if tuning.images not in MODES:
        from django.core.exceptions import ImproperlyConfigured

        choices = ", ".join(MODES)
        raise ImproperlyConfigured(
            f"NEWSSTAND_IMAGES must be one of {choices}, not {tuning.images!r}"
        )
    return PictureConfig(
        mode=tuning.images,
        cache_dir=data_dir / "pictures",
        cache_bytes=tuning.image_cache_bytes,
        policy=replace(policy, timeout=15.0, max_bytes=tuning.image_max_bytes, per_host=4),
    )


@functools.cache
def configuration() -> Configuration:
    """This process's configuration, built from Django's settings on first use."""
    from django.conf import settings

    return build_configuration(
        settings.NEWSSTAND,
        data_dir=Path(settings.DATA_DIR),
        text_model_cache=Path(settings.TEXT_MODEL_CACHE),
    )


def build_picture_config() -> PictureConfig:
    """The pictures' configuration from Django's settings now (``configuration()`` keeps
    the first one a process built; the web asks this so tests may change the settings)."""
    from django.conf import settings

    tuning = settings.NEWSSTAND
    return _pictures(tuning, _policy(tuning), Path(settings.DATA_DIR))
