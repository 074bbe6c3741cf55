"""Several worker processes at once: no feed is fetched twice, no article stored twice.

Runs on whichever database the suite runs on (a real SQLite file, or PostgreSQL in the
PostgreSQL pass), with real `newsstand refresh` processes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter

import pytest
from django.db import connection

from newsstand.articles.models import Article
from newsstand.sources.claims import claim_feeds
from newsstand.sources.models import Feed
from newsstand.usecases.subscribe import add_feed

from .publisher import Route, rfc822, rss


def make_feeds(publisher, count: int) -> None:
    for n in range(count):
        items = [
            {
                "title": f"Feed {n} story {i}",
                "link": f"https://p{n}.example/{i}",
                "guid": f"{n}-{i}",
                "date": rfc822(2026, 3, 1, i),
            }
            for i in range(5)
        ]
        path = f"/feed-{n}.xml"
        publisher.routes[path] = Route(rss(f"Publisher {n}", items, link=f"https://p{n}.example/"))
        add_feed(publisher.url(path))


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        user = s["USER"] or "postgres"
        return f"postgres://{user}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    return "sqlite:///" + str(s["NAME"])


@pytest.mark.django_db
def test_claims_never_overlap():
    from datetime import timedelta

    from django.utils import timezone

    for n in range(30):
        add_feed(f"https://p{n}.example/feed.xml")
    now = timezone.now()
    _, first = claim_feeds(now=now, lease=timedelta(minutes=5), limit=20)
    _, second = claim_feeds(now=now, lease=timedelta(minutes=5), limit=20)
    _, third = claim_feeds(now=now, lease=timedelta(minutes=5), limit=20)
    assert len(first) == 20 and len(second) == 10 and third == []
    assert not {f.pk for f in first} & {f.pk for f in second}
    # Once the lease runs out, the feeds can be claimed again.
    _, again = claim_feeds(now=now + timedelta(minutes=6), lease=timedelta(minutes=5), limit=50)
    assert len(again) == 30


@pytest.mark.django_db(transaction=True)
def test_parallel_worker_processes_fetch_each_feed_once(publisher, tmp_path):
    make_feeds(publisher, 60)
    env = dict(
        os.environ,
        NEWSSTAND_ALLOW_NETWORKS="127.0.0.1/32",
        NEWSSTAND_REFRESH_BATCH="7",
        NEWSSTAND_DATA_DIR=str(tmp_path),
        DATABASE_URL=database_url(),
    )
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "newsstand.cli", "refresh"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [w.communicate(timeout=90) for w in workers]
    assert all(w.returncode == 0 for w in workers), outputs
    assert publisher.hits == Counter({f"/feed-{n}.xml": 1 for n in range(60)})
    assert Article.objects.count() == 300
    assert Feed.objects.filter(last_status=200).count() == 60


@pytest.mark.django_db
def test_a_worker_whose_lease_ran_out_does_not_overwrite_the_new_holder():
    from dataclasses import replace
    from datetime import timedelta

    from django.utils import timezone

    from newsstand.sources.state import save_fetch_states, stored_state

    add_feed("https://late.example/feed.xml")
    now = timezone.now()
    old_token, (late,) = claim_feeds(now=now, lease=timedelta(minutes=1), limit=5)
    new_token, _ = claim_feeds(now=now + timedelta(minutes=2), lease=timedelta(minutes=5), limit=5)
    failed = replace(stored_state(late), last_error_code="timeout", claimed_until=None)
    save_fetch_states([late.pk], [replace(failed, claim_token="")], token=old_token)
    late.refresh_from_db()
    assert (late.claim_token, late.last_error_code) == (new_token, "")
    released = replace(stored_state(late), claimed_until=None, claim_token="")
    save_fetch_states([late.pk], [released], token=new_token)  # the new holder releases it
    late.refresh_from_db()
    assert late.claim_token == ""


@pytest.mark.django_db
def test_fetch_states_of_many_feeds_are_saved_field_by_field(monkeypatch):
    """Many feeds' states in few statements (several chunks here): every field of each
    feed is written, as its own value, and only to rows still carrying the claim token."""
    from datetime import timedelta

    from django.utils import timezone

    from newsstand.core.feed_state import FEED_STATE_FIELDS
    from newsstand.sources import state
    from newsstand.sources.models import FeedState

    monkeypatch.setattr(state, "_MAX_SQLITE_VALUES", 2 * (len(FEED_STATE_FIELDS) + 2))
    for n in range(5):
        add_feed(f"https://s{n}.example/feed.xml")
    now = timezone.now().replace(microsecond=123456)
    token, feeds = claim_feeds(now=now, lease=timedelta(minutes=5), limit=5)
    outsider = feeds.pop()  # claimed by someone else since: left alone
    Feed.objects.filter(pk=outsider.pk).update(claim_token="another")
    outsider.title = "not written"
    for n, feed in enumerate(feeds):
        feed.title, feed.etag, feed.last_modified = f"Feed {n}", f'"e{n}"', f"day {n}"
        feed.state = FeedState.FAILING if n % 2 else FeedState.ACTIVE
        feed.interval_seconds, feed.error_streak, feed.last_status = 600 + n, n, 200 + n
        feed.next_fetch_at = now + timedelta(minutes=n)
        feed.last_fetched_at, feed.last_new_entry_at = now, None if n % 2 else now
        feed.last_error_code, feed.last_error = ("timeout", f"slow {n}") if n % 2 else ("", "")
        feed.redirect_target, feed.redirect_streak = f"https://s{n}.example/new", n
        feed.claimed_until, feed.claim_token = None, ""
    everyone = [*feeds, outsider]
    written = [state.stored_state(feed) for feed in everyone]
    state.save_fetch_states([feed.pk for feed in everyone], written, token=token)
    for n, feed in enumerate(feeds):
        stored = Feed.objects.get(pk=feed.pk)
        for name in FEED_STATE_FIELDS:
            assert getattr(stored, name) == getattr(feed, name), (n, name)
    assert Feed.objects.get(pk=outsider.pk).title != "not written"
    assert Feed.objects.get(pk=outsider.pk).claim_token == "another"


@pytest.mark.django_db
def test_publisher_fields_learnt_by_a_refresh_are_saved_each_to_its_publisher():
    from newsstand.sources.models import Publisher
    from newsstand.sources.state import save_publisher_fields

    feeds = [add_feed(f"https://p{n}.example/feed.xml")[0] for n in range(3)]
    ids = [feed.publisher_id for feed in feeds]
    save_publisher_fields(
        {
            ids[0]: {"name": "Paper Zero"},
            ids[1]: {"name": "Paper One", "homepage": "https://p1.example/"},
            ids[2]: {"name": "Paper Two"},
        }
    )
    saved = {p.pk: (p.name, p.homepage) for p in Publisher.objects.filter(pk__in=ids)}
    assert saved[ids[0]][0] == "Paper Zero" and saved[ids[2]][0] == "Paper Two"
    assert saved[ids[1]] == ("Paper One", "https://p1.example/")
    assert saved[ids[0]][1] != "https://p1.example/"


def test_a_feeds_fetch_state_is_the_decisions_fields_each_a_field_of_the_model():
    """Adding a field to a feed's state: the model, its migration and core.feed_state."""
    from newsstand.core.feed_state import FEED_STATE_FIELDS

    model_fields = {f.name for f in Feed._meta.get_fields()}
    assert set(FEED_STATE_FIELDS) <= model_fields
