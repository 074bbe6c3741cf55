"""Articles for the story tests, made with the ORM on the real test database, and the
real text encoder (MiniLM, loaded once per process)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from newsstand.articles.models import Article
from newsstand.sources.models import Publisher, Section

from .headlines import CARNEY, DUNHAM, IOS

_serial = itertools.count(1)

MakeArticle = Callable[..., Article]


@pytest.fixture(autouse=True, scope="session")
def _static_root() -> None:
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


@pytest.fixture
def now() -> datetime:
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def make_publisher() -> Callable[..., Publisher]:
    def make(name: str = "", **fields: Any) -> Publisher:
        n = next(_serial)
        fields.setdefault("host", f"news{n}.example")
        return Publisher.objects.create(name=name or f"Publisher {n}", **fields)

    return make


def _section(slug: str) -> Section:
    """The section (made again after a transactional test flushed the migrations' rows)."""
    return Section.objects.get_or_create(slug=slug, defaults={"name": slug.title()})[0]


@pytest.fixture
def make_article(make_publisher: Callable[..., Publisher], now: datetime) -> MakeArticle:
    def make(
        title: str,
        publisher: Publisher | None = None,
        section: str | None = None,
        age: timedelta = timedelta(hours=1),
        enriched: bool = True,
        **fields: Any,
    ) -> Article:
        n = next(_serial)
        return Article.objects.create(
            publisher=publisher or make_publisher(),
            section=_section(section) if section else None,
            identity=f"guid:{n}",
            title=title,
            url=f"https://news.example/story/{n}",
            published_at=now - age,
            first_seen_at=now - age,
            enriched_at=now - age if enriched else None,
            content_hash=f"{n:064x}",
            **fields,
        )

    return make


@pytest.fixture
def three_stories(make_article: MakeArticle) -> dict[str, list[Article]]:
    """The three stories' articles, interleaved in arrival order, each from its own
    publisher, over the last few hours."""
    groups = {"ios": IOS, "dunham": DUNHAM, "carney": CARNEY}
    sections = {"ios": "technology", "dunham": "entertainment", "carney": "business"}
    made: dict[str, list[Article]] = {name: [] for name in groups}
    order = itertools.zip_longest(*[[(n, t) for t in ts] for n, ts in groups.items()])
    for step, row in enumerate(order):
        for item in row:
            if item is not None:
                name, title = item
                made[name].append(
                    make_article(title, section=sections[name], age=timedelta(hours=5 - step))
                )
    return made
