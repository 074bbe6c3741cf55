"""Shared test setup. Tests use a real SQLite file (or PostgreSQL with DATABASE_URL) and real
servers. Each test run gets its own data folder (see newsstand.settings._data_dir).

The fixtures below make rows with the ORM on the real test database (reader, stories)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

from mail import Inbox, smtp_server
from newsstand.articles.models import Article
from newsstand.sources.models import Feed, Publisher, Section
from newsstand.usecases.enrich import EnrichConfig

_serial = itertools.count(1)

MakePublisher = Callable[..., Publisher]
MakeArticle = Callable[..., Article]
MakeFeed = Callable[..., Feed]


@pytest.fixture(autouse=True, scope="session")
def _static_root() -> None:
    """WhiteNoise warns (an error here) when STATIC_ROOT is missing; collectstatic makes it."""
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


_DB_FIXTURES = ("db", "transactional_db", "django_db_setup", "live_server")


@pytest.fixture(autouse=True)
def _empty_cache(request: pytest.FixtureRequest) -> None:
    """Cached values (the languages present, rate limits, the wall's address counts) never
    leak from one test to another. The shared cache is a table of the test database: it is
    emptied for the tests that use the database."""
    caches["local"].clear()
    uses_db = request.node.get_closest_marker("django_db") or any(
        name in request.fixturenames for name in _DB_FIXTURES
    )
    if uses_db:
        request.getfixturevalue("django_db_setup")
        with request.getfixturevalue("django_db_blocker").unblock():
            caches["default"].clear()


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    """A real SMTP server on loopback (tests/mail.py) that Django's mail now goes to."""
    with smtp_server() as inbox:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", inbox.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        yield inbox


@pytest.fixture
def enrichment(tmp_path: Path) -> EnrichConfig:
    """Enrichment with no operator's section model yet (its file in the test's folder)."""
    return EnrichConfig(section_model=tmp_path / "models" / "sections.zip")


@pytest.fixture
def now() -> datetime:
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def make_publisher() -> MakePublisher:
    def make(name: str = "", **fields: Any) -> Publisher:
        n = next(_serial)
        fields.setdefault("host", f"news{n}.example")
        fields.setdefault("homepage", f"https://news{n}.example/")
        return Publisher.objects.create(name=name or f"Publisher {n}", **fields)

    return make


@pytest.fixture
def make_feed(make_publisher: MakePublisher) -> MakeFeed:
    def make(publisher: Publisher | None = None, **fields: Any) -> Feed:
        n = next(_serial)
        fields.setdefault("url", f"https://feeds{n}.example/rss.xml")
        return Feed.objects.create(publisher=publisher or make_publisher(), **fields)

    return make


@pytest.fixture
def make_article(make_publisher: MakePublisher, now: datetime) -> MakeArticle:
    def make(
        publisher: Publisher | None = None,
        section: Section | str | None = None,
        age: timedelta = timedelta(hours=1),
        **fields: Any,
    ) -> Article:
        n = next(_serial)
        if isinstance(section, str):  # made again when a transactional test flushed it
            section = Section.objects.get_or_create(
                slug=section, defaults={"name": section.title()}
            )[0]
        fields.setdefault("title", f"Headline number {n}")
        fields.setdefault("url", f"https://news.example/story/{n}")
        return Article.objects.create(
            publisher=publisher or make_publisher(),
            section=section,
            identity=f"guid:{n}",
            published_at=now - age,
            first_seen_at=now - age,
            content_hash=f"{n:064x}",
            **fields,
        )

    return make
