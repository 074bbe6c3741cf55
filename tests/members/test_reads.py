"""Full reads by members: history, saves, and the anonymous count per publisher per day."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client

from newsstand.members import reads
from newsstand.members.models import CountedRead, PublisherReads, Reading, Save
from newsstand.members.queries import reads_by_publisher

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_publishers(make_article, make_publisher):
    ledger, herald = make_publisher("Ledger"), make_publisher("Herald")
    return {
        "ledger": [make_article(publisher=ledger, content="<p>text</p>") for _ in range(3)],
        "herald": [make_article(publisher=herald, content="<p>text</p>") for _ in range(2)],
    }


def _reads(publisher_name: str) -> int:
    rows = PublisherReads.objects.filter(publisher__name=publisher_name)
    return sum(r.reads for r in rows)


def test_a_member_read_counts_once_a_day_per_article(client, make_member, two_publishers) -> None:
    client.force_login(make_member())
    first = two_publishers["ledger"][0]
    for _ in range(3):
        client.get(f"/article/{first.pk}/")
    client.get(f"/article/{two_publishers['ledger'][1].pk}/")
    client.get(f"/article/{two_publishers['herald'][0].pk}/")
    assert (_reads("Ledger"), _reads("Herald")) == (2, 1)


def test_the_next_day_counts_again(make_member, two_publishers, now) -> None:
    member = make_member()
    article = two_publishers["ledger"][0]
    for day in (0, 0, 1, 1, 2):
        reads.record_full_read(
            member.pk, article.pk, article.publisher_id, now + timedelta(days=day)
        )
    assert _reads("Ledger") == 3
    assert PublisherReads.objects.filter(publisher__name="Ledger").count() == 3  # a row a day


def test_clearing_the_history_does_not_count_a_read_twice(
    client, make_member, two_publishers
) -> None:
    member = make_member()
    client.force_login(member)
    article = two_publishers["herald"][0]
    client.get(f"/article/{article.pk}/")
    assert client.post("/account/history/clear/").status_code == 302
    assert not Reading.objects.filter(user=member).exists()
    client.get(f"/article/{article.pk}/")
    assert _reads("Herald") == 1


def test_past_days_digests_are_pruned(make_member, two_publishers, now) -> None:
    member = make_member()
    article = two_publishers["ledger"][0]
    reads.record_full_read(member.pk, article.pk, article.publisher_id, now - timedelta(days=5))
    reads.record_full_read(member.pk, article.pk, article.publisher_id, now)
    assert set(CountedRead.objects.values_list("day", flat=True)) == {now.date()}


def test_the_count_holds_no_personal_data(make_member, two_publishers, now) -> None:
    member = make_member(email="private.person@example.org")
    article = two_publishers["ledger"][0]
    reads.record_full_read(member.pk, article.pk, article.publisher_id, now)
    for model in (PublisherReads, CountedRead):
        fields = {f.name for f in model._meta.get_fields()}
        assert not fields & {"user", "user_id", "member", "email"}, model
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {model._meta.db_table}")
            text = repr(cursor.fetchall())
        assert "private.person" not in text and f"'{member.pk}'" not in text


def test_visitors_and_walled_pages_count_nothing(make_member, two_publishers, wall) -> None:
    visitor = Client()
    for article in two_publishers["ledger"]:
        visitor.get(f"/article/{article.pk}/")
    wall(allowance=0)
    lapsed = Client()
    lapsed.force_login(make_member(status="lapsed"))
    lapsed.get(f"/article/{two_publishers['herald'][0].pk}/")
    assert not PublisherReads.objects.exists()


def test_the_report_adds_up(make_member, two_publishers, now) -> None:
    members = [make_member() for _ in range(4)]
    expected = {"Ledger": 0, "Herald": 0}
    for i, member in enumerate(members):
        for articles in two_publishers.values():
            for article in articles[: i + 1]:
                counted = reads.record_full_read(member.pk, article.pk, article.publisher_id, now)
                reads.record_full_read(member.pk, article.pk, article.publisher_id, now)  # again
                expected[article.publisher.name] += int(counted)
    lines = reads_by_publisher(now.date(), now.date())
    assert {line.publisher: line.reads for line in lines} == expected
    assert expected == {"Ledger": 1 + 2 + 3 + 3, "Herald": 1 + 2 + 2 + 2}


def test_history_page_lists_reads_and_the_article_page_marks_them(
    client, make_member, two_publishers
) -> None:
    client.force_login(make_member())
    article = two_publishers["ledger"][0]
    first = client.get(f"/article/{article.pk}/").content.decode()
    assert "You read this" not in first
    assert "You read this" in client.get(f"/article/{article.pk}/").content.decode()
    history = client.get("/account/history/").content.decode()
    assert article.title in history


def test_saving_and_unsaving(client, make_member, two_publishers) -> None:
    member = make_member()
    client.force_login(member)
    article = two_publishers["herald"][1]
    response = client.post(f"/account/saved/{article.pk}/", {"next": f"/article/{article.pk}/"})
    assert response.status_code == 302 and response["Location"] == f"/article/{article.pk}/"
    client.post(f"/account/saved/{article.pk}/")  # twice: still one save
    assert Save.objects.filter(user=member).count() == 1
    assert article.title in client.get("/account/saved/").content.decode()
    assert 'aria-pressed="true"' in client.get(f"/article/{article.pk}/").content.decode()
    client.post(f"/account/saved/{article.pk}/", {"action": "unsave"})
    assert not Save.objects.filter(user=member).exists()


@pytest.mark.parametrize(
    "target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_save_never_redirects_off_the_site(client, make_member, two_publishers, target) -> None:
    client.force_login(make_member())
    response = client.post(f"/account/saved/{two_publishers['ledger'][0].pk}/", {"next": target})
    assert response["Location"] == "/account/saved/"


def test_saving_needs_a_member_a_post_and_an_article(client, make_member, two_publishers) -> None:
    article = two_publishers["ledger"][0]
    assert client.post(f"/account/saved/{article.pk}/")["Location"].startswith("/accounts/login/")
    client.force_login(make_member())
    assert client.get(f"/account/saved/{article.pk}/").status_code == 405
    assert client.post("/account/saved/999999/").status_code == 404
