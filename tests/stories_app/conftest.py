"""Articles for the story tests, made with the ORM on the real test database, and the
real text encoder (MiniLM, loaded once per process)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from newsstand.articles.models import Article
from newsstand.sources.models import Publisher

from .headlines import CARNEY, DUNHAM, IOS

MakeArticle = Callable[..., Article]


@pytest.fixture
def make_article(make_article: MakeArticle, now: datetime) -> MakeArticle:
    """The shared factory, title first and enriched unless told otherwise: what assignment
    takes."""
    base = make_article

    def make(
        title: str,
        publisher: Publisher | None = None,
        section: str | None = None,
        age: timedelta = timedelta(hours=1),
        enriched: bool = True,
        **fields: Any,
    ) -> Article:
        enriched_at = now - age if enriched else None
        return base(publisher, section, age, title=title, enriched_at=enriched_at, **fields)

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
