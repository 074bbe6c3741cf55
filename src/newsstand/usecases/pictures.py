"""The images task: fetch publishers' pictures once, make them safe and small, keep them.

Each run claims a batch of due pictures (``articles.pictures``), fetches them through
the guarded fetcher (the same address policy as every other request, a size cap and a
deadline of their own), lets ``core.imaging`` decide by the bytes what each is and
re-encode it at a few widths, writes the files into the picture cache, and trims the
cache to its size limit, oldest pictures first. Readers' browsers then load pictures
from Newsstand only (``web.pictures``): their addresses never reach a publisher, and a
hostile file never reaches them.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

from newsstand.articles import pictures as store
from newsstand.articles.models import Picture, PictureKind
from newsstand.core.errors import (
    ConnectError,
    FetchError,
    HTTPStatusError,
    PictureError,
    RateLimited,
    ResolveError,
    Timeout,
)
from newsstand.core.imaging import Kind, prepare_picture
from newsstand.net.fetch import FetchPolicy, FetchRequest, FetchResult, FetchSession

log = logging.getLogger(__name__)

Mode = Literal["proxy", "direct", "off"]
MODES: tuple[Mode, ...] = ("proxy", "direct", "off")
IMAGE_ACCEPT = "image/webp, image/jpeg, image/png, image/gif, image/*;q=0.8, */*;q=0.1"
RETRY_AFTER = timedelta(minutes=15)
# A cache over its limit is trimmed to this share of it, so trimming is not needed again
# after every batch.
TRIM_TO = 0.9


@dataclass(frozen=True)
class PictureConfig:
    """How pictures reach readers and the limits of fetching and keeping them."""

    mode: Mode = "proxy"
    cache_dir: Path = Path("pictures")
    cache_bytes: int = 512 * 1024 * 1024
    batch: int = 40
    policy: FetchPolicy = field(
        default_factory=lambda: FetchPolicy(timeout=15.0, max_bytes=8 * 1024 * 1024, per_host=4)
    )


def picture_path(cache_dir: Path, key: str, width: int) -> Path:
    """Where the picture ``key`` is kept at ``width`` (a folder per first two hex digits)."""
    return cache_dir / key[:2] / f"{key}-{width}.webp"


@dataclass
class PictureReport:
    claimed: int = 0
    ready: int = 0
    failed: int = 0
    retried: int = 0
    evicted: int = 0
    errors: dict[str, int] = field(default_factory=dict)


def fetch_pending_pictures(config: PictureConfig, *, now: datetime) -> PictureReport:
    """Fetch, check, resize and keep one batch of due pictures; trim the cache."""
    report = PictureReport()
    if config.mode != "proxy":
        return report
    token, claimed = store.claim_pictures(now, config.batch)
    report.claimed = len(claimed)
    if not claimed:
        return report
    requests = [FetchRequest(picture.url, accept=IMAGE_ACCEPT) for picture in claimed]
    with closing(FetchSession(config.policy)) as session:
        results = session.fetch_many(requests)
    outcomes = [
        _outcome(picture, result, config, now)
        for picture, result in zip(claimed, results, strict=True)
    ]
    store.save_outcomes(outcomes, token=token, now=now)
    for outcome in outcomes:
        if outcome.ready:
            report.ready += 1
        elif outcome.retry_at is not None:
            report.retried += 1
        else:
            report.failed += 1
        if outcome.error_code:
            report.errors[outcome.error_code] = report.errors.get(outcome.error_code, 0) + 1
    report.evicted = trim_cache(config, now=now)
    return report


def _transient(error: FetchError) -> bool:
    if isinstance(error, RateLimited):
        return True
    if isinstance(error, HTTPStatusError):
        return error.status >= 500
    return isinstance(error, (Timeout, ConnectError, ResolveError))


def _outcome(
    picture: Picture, result: FetchResult | FetchError, config: PictureConfig, now: datetime
) -> store.PictureOutcome:
    if isinstance(result, FetchError):
        retry = now + RETRY_AFTER if _transient(result) else None
        return store.PictureOutcome(
            picture.pk, False, error_code=result.code, error=result.message, retry_at=retry
        )
    kind: Kind = "icon" if picture.kind == PictureKind.ICON else "lead"
    try:
        prepared = prepare_picture(result.body, kind)
    except PictureError as error:
        return store.PictureOutcome(picture.pk, False, error_code=error.code, error=error.message)
    written = _write(config.cache_dir, picture.key, prepared.variants)
    return store.PictureOutcome(
        picture.pk,
        True,
        width=prepared.width,
        height=prepared.height,
        widths=tuple(sorted(prepared.variants)),
        stored_bytes=written,
    )


def _write(cache_dir: Path, key: str, variants: dict[int, bytes]) -> int:
    """Write each variant atomically (a reader never gets half a file); returns bytes."""
    folder = cache_dir / key[:2]
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for width, data in variants.items():
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, picture_path(cache_dir, key, width))
        total += len(data)
    return total


def trim_cache(config: PictureConfig, *, now: datetime) -> int:
    """Remove the oldest pictures' files while the cache holds more than its limit;
    returns how many pictures were removed."""
    excess = store.stored_bytes() - config.cache_bytes
    if excess <= 0:
        return 0
    to_free = excess + int(config.cache_bytes * (1 - TRIM_TO))
    removed: list[int] = []
    while to_free > 0:
        oldest = store.oldest_ready(200)
        if not oldest:
            break
        for picture in oldest:
            _remove_files(config.cache_dir, picture.key, picture.width_list)
            removed.append(picture.pk)
            to_free -= picture.stored_bytes
            if to_free <= 0:
                break
        store.forget_files(removed, now=now)
    return len(removed)


def _remove_files(cache_dir: Path, key: str, widths: Sequence[int]) -> None:
    for width in widths:
        try:
            picture_path(cache_dir, key, width).unlink()
        except FileNotFoundError:
            continue
        except OSError as error:
            log.warning("could not remove picture %s at %d: %s", key, width, error)
