"""The article page with the wall and read counting, beside the same page without them.

One process, a fresh SQLite database in a temporary data folder (the default settings: the
shared cache is the database), 1,500 articles of ~6 KB. The whole Django stack answers
each request (middleware, session, templates) through Django's test client; what is
measured is the process's CPU time per request (and wall time beside it), in blocks of
``--requests`` that take turns, ``--rounds`` times:

    off          a visitor, NEWSSTAND_FREE_ARTICLES=-1: the page as before the wall
    first-read   a visitor's new free read: meter cookie checked and written, the address's
                 count read and written in the shared cache
    re-read      a visitor re-reading an article on their meter (no write)
    walled       a visitor past the allowance: the teaser and the wall
    member       a member with a trial reading articles for the first time today: access
                 check, history, the publisher's count (three writes)
    member-again the same member re-reading: access, history update, count already done
    member-uncount  the same re-reads with the read not recorded at all (no history, no
                 count): what a signed-in member's page costs without the counting

    .venv/bin/python bench/wall_latency.py [--requests 100] [--rounds 5]
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any


def _setup(data_dir: Path) -> None:
    os.environ["NEWSSTAND_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsstand.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _articles(count: int) -> list[int]:
    from django.utils import timezone

    from newsstand.articles.models import Article
    from newsstand.sources.models import Publisher

    now = timezone.now()
    publishers = [
        Publisher.objects.create(name=f"Publisher {n}", host=f"p{n}.example") for n in range(20)
    ]
    paragraph = "<p>" + "The council met again to discuss the harbour works. " * 12 + "</p>"
    rows = [
        Article(
            publisher=publishers[n % 20],
            identity=f"guid:{n}",
            url=f"https://p{n % 20}.example/{n}",
            title=f"Headline number {n}",
            summary="<p>What the council decided about the harbour.</p>",
            content=paragraph * 10,
            published_at=now,
            first_seen_at=now,
            content_hash=f"{n:064x}",
            word_count=1200,
        )
        for n in range(count)
    ]
    Article.objects.bulk_create(rows)
    return list(Article.objects.order_by("id").values_list("id", flat=True))


def _member():  # type: ignore[no-untyped-def]
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from newsstand.usecases.membership import start_trial

    user = get_user_model().objects.create_user("bench", "bench@example.org", "x")
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    start_trial(user.pk, user.email, 14, timezone.now())
    return user


@dataclasses.dataclass
class Scenario:
    name: str
    allowance: int  # NEWSSTAND_FREE_ARTICLES during the scenario's blocks
    run: Callable[[int], None]  # one request (the argument makes it differ)
    cpu: list[float] = dataclasses.field(default_factory=list)  # ms a request, per block
    wall: list[float] = dataclasses.field(default_factory=list)


def _wall(allowance: int) -> Any:
    """Settings with the wall's allowance (the address cap out of reach, but looked up)."""
    from django.conf import settings
    from django.test.utils import override_settings

    members = settings.NEWSSTAND_MEMBERS
    wall = dataclasses.replace(members.wall, allowance=allowance, address_cap=10**9)
    return override_settings(NEWSSTAND_MEMBERS=dataclasses.replace(members, wall=wall))


def scenarios(ids: list[int]) -> list[Scenario]:
    from django.test import Client

    def get(client: Client, article_id: int) -> None:
        response = client.get(f"/article/{article_id}/", HTTP_HOST="localhost")
        assert response.status_code == 200, response.status_code

    counter = iter(range(10**9))
    regular, fresh = Client(), Client()
    rereader = Client()
    for article in ids[:3]:
        with _wall(3):
            get(rereader, article)
    walled = Client()
    with _wall(0):
        get(walled, ids[0])
    member = Client()
    member.force_login(_member())
    member_ids = iter(ids * 1000)

    def off(n: int) -> None:
        get(regular, ids[n % len(ids)])

    def first_read(n: int) -> None:
        fresh.cookies.clear()  # a new visitor each time: a new free read
        get(fresh, ids[next(counter) % len(ids)])

    def reread(n: int) -> None:
        get(rereader, ids[n % 3])

    def walled_page(n: int) -> None:
        get(walled, ids[n % len(ids)])

    def member_first(n: int) -> None:
        get(member, next(member_ids))

    def member_again(n: int) -> None:
        get(member, ids[n % 50])

    def member_uncounted(n: int) -> None:
        with _counting_off():
            get(member, ids[n % 50])

    return [
        Scenario("off", -1, off),
        Scenario("first-read", 3, first_read),
        Scenario("re-read", 3, reread),
        Scenario("walled", 0, walled_page),
        Scenario("member", 3, member_first),
        Scenario("member-again", 3, member_again),
        Scenario("member-uncount", 3, member_uncounted),
    ]


@contextlib.contextmanager
def _counting_off() -> Iterator[None]:
    """The member's page without recording the read (history and count): the page's own
    cost for a signed-in member, to set the counting's cost against."""
    from newsstand.web import views

    record = views.reading.record_full_read
    views.reading.record_full_read = lambda *args: False  # type: ignore[assignment]
    try:
        yield
    finally:
        views.reading.record_full_read = record


def _block(scenario: Scenario, requests: int) -> None:
    with _wall(scenario.allowance):
        cpu, wall = time.process_time(), time.perf_counter()
        for n in range(requests):
            scenario.run(n)
        scenario.cpu.append((time.process_time() - cpu) * 1000 / requests)
        scenario.wall.append((time.perf_counter() - wall) * 1000 / requests)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wall-bench-") as folder:
        _setup(Path(folder))
        ids = _articles(1500)
        runs = scenarios(ids)
        for scenario in runs:  # warm up: templates compiled, connections open
            _block(scenario, 20)
            scenario.cpu.clear()
            scenario.wall.clear()
        for _ in range(args.rounds):
            for scenario in runs:
                _block(scenario, args.requests)
    base = statistics.median(runs[0].cpu)
    print(f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores")
    print(f"{args.rounds} rounds x {args.requests} requests a scenario, taking turns\n")
    print(f"{'scenario':<14}{'CPU ms/req':>11}{'range':>16}{'wall ms/req':>13}{'x off':>8}")
    for s in runs:
        cpu = statistics.median(s.cpu)
        spread = f"{min(s.cpu):.2f}-{max(s.cpu):.2f}"
        print(
            f"{s.name:<14}{cpu:>11.2f}{spread:>16}{statistics.median(s.wall):>13.2f}{cpu / base:>8.2f}"
        )


if __name__ == "__main__":
    main()
