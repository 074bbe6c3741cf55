"""Fixtures of the reader's page tests: pictures the images task has made ready."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.utils import timezone

from newsstand.articles.models import Picture, PictureKind, PictureState
from newsstand.articles.pictures import (
    PictureOutcome,
    claim_pictures,
    picture_key,
    register_pictures,
    save_outcomes,
)
from newsstand.web.pictures import picture_config

ReadyPicture = Callable[..., Picture]


@pytest.fixture(autouse=True)
def _fresh_picture_config() -> Iterator[None]:
    """Tests that change NEWSSTAND settings see them (the web reads them once)."""
    picture_config.cache_clear()
    yield
    picture_config.cache_clear()


@pytest.fixture
def ready_picture() -> ReadyPicture:
    """A picture as the images task leaves it: registered, claimed, saved as ready (no
    files on disk: pages only need the row)."""

    def make(url: str, *, width: int = 960, height: int = 540, kind=PictureKind.LEAD) -> Picture:
        now = timezone.now()
        register_pictures([url], now=now, kind=kind)
        token, claimed = claim_pictures(now, 100)
        widths = (32, 64) if kind == PictureKind.ICON else (240, 480, 960)
        save_outcomes(
            [PictureOutcome(p.pk, True, width, height, widths, 1000) for p in claimed],
            token=token,
            now=now,
        )
        picture = Picture.objects.get(key=picture_key(url))
        assert picture.state == PictureState.READY
        return picture

    return make
