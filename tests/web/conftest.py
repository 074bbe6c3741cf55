"""Fixtures of the reader's page tests: pictures the images task has made ready."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from django.utils import timezone

from newsstand.articles.models import Article, Picture, PictureKind, PictureState
from newsstand.articles.pictures import (
    PictureOutcome,
    claim_pictures,
    picture_key,
    register_pictures,
    save_outcomes,
)
from newsstand.stories.models import Story, StoryArticle
from newsstand.usecases.stories import assign_stories
from newsstand.web.pictures import picture_config
from stories_app.headlines import DUNHAM as DUNHAM_ALL
from stories_app.headlines import IOS

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


DUNHAM = DUNHAM_ALL[:2]
IPHONE = ["Apple iPhone 6 rumours: bigger screen, sapphire glass"]
WIRE = (
    "Apple released version 7.1 of its iOS software for iPhone and iPad on Monday, with "
    "CarPlay support for cars, a faster iPhone 4 and a fix for a crash of the home screen."
)


@pytest.fixture
def stories(make_article, make_publisher) -> dict[str, Story]:
    """Three stories: iOS 7.1 (four publishers, two countries, one wire copy), Dunham (two
    publishers), an iPhone rumour (one)."""
    made: dict[str, list[Article]] = {"ios": [], "dunham": [], "iphone": []}
    countries = ["US", "GB", "US", ""]
    for n, title in enumerate(IOS):
        publisher = make_publisher(f"Tech {n}", country=countries[n])
        summary = f"<p>{WIRE}</p>" if n in (1, 2) else ""
        made["ios"].append(
            make_article(
                publisher=publisher,
                title=title,
                summary=summary,
                section="technology",
                age=timedelta(hours=4 - n),
            )
        )
    for n, title in enumerate(DUNHAM):
        made["dunham"].append(
            make_article(title=title, section="entertainment", age=timedelta(hours=3 - n))
        )
    made["iphone"].append(make_article(title=IPHONE[0], section="technology"))
    ids = [a.pk for group in made.values() for a in group]
    assign_stories(ids, now=timezone.now())
    return {name: StoryArticle.objects.get(article=group[0]).story for name, group in made.items()}
