"""Roles: what a reader, an editor and an admin may and may not do."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from newsstand.members.models import Membership
from newsstand.members.roles import Role, role_of, set_role
from newsstand.stories.models import Story

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_member):
    made = {}
    for role in Role:
        user = make_member(email=f"{role}@example.org")
        set_role(user, role)
        client = Client()
        client.force_login(user)
        made[role] = (user, client)
    return made


def test_each_role_is_one_group_and_editors_and_admins_are_staff(people) -> None:
    for role, (user, _) in people.items():
        assert role_of(user) is role
        assert user.groups.count() == 1
        assert user.is_staff == (role is not Role.READER)


def test_a_reader_gets_no_admin_and_no_operator_pages(people) -> None:
    _, client = people[Role.READER]
    assert client.get("/admin/").status_code == 302  # to the admin's sign-in
    assert client.get("/health/feeds/").status_code == 302
    assert client.get("/health/outbox/").status_code == 302


def test_an_editor_edits_stories_and_sections_but_not_feeds_or_members(
    people, make_article, now
) -> None:
    _, client = people[Role.EDITOR]
    assert client.get("/admin/stories/story/").status_code == 200
    assert client.get("/admin/sources/section/add/").status_code == 200
    assert client.get("/admin/sources/feed/").status_code == 403
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get("/admin/members/membership/").status_code == 403
    assert client.get("/health/feeds/").status_code == 403
    assert client.get("/health/outbox/").status_code == 403


def test_an_editor_pins_a_story(people, make_article, now) -> None:
    _, client = people[Role.EDITOR]
    article = make_article()
    story = Story.objects.create(
        key=article.pk, headline="h", first_published=now, last_published=now, centroid=b""
    )
    response = client.post(
        "/admin/stories/story/", {"action": "pin", "_selected_action": [story.pk]}
    )
    assert response.status_code == 302
    assert Story.objects.get(pk=story.pk).pinned


def test_an_admin_manages_feeds_members_and_the_outbox(people) -> None:
    _, client = people[Role.ADMIN]
    for path in [
        "/admin/sources/feed/",
        "/admin/auth/user/",
        "/admin/members/membership/",
        "/admin/members/plan/add/",
        "/health/feeds/",
        "/health/outbox/",
    ]:
        assert client.get(path).status_code == 200, path


def test_an_admin_grants_and_ends_a_membership_with_a_note(people) -> None:
    reader, _ = people[Role.READER]
    _, client = people[Role.ADMIN]
    common = {"_selected_action": [reader.pk], "note": "press pass"}
    client.post(
        "/admin/members/membership/",
        {**common, "action": "grant_membership", "until": "2099-01-31"},
    )
    row = Membership.objects.get(user=reader)
    assert (row.status, row.note, row.period_ends_at.date().isoformat()) == (
        "active",
        "press pass",
        "2099-01-31",
    )
    client.post(
        "/admin/members/membership/", {**common, "action": "end_membership", "note": "left"}
    )
    row.refresh_from_db()
    assert (row.status, row.note) == ("lapsed", "left")


def test_an_editor_cannot_grant_memberships(people) -> None:
    reader, _ = people[Role.READER]
    _, client = people[Role.EDITOR]
    client.post(
        "/admin/members/membership/",
        {"_selected_action": [reader.pk], "action": "grant_membership"},
    )
    assert Membership.objects.get(user=reader).status == "trial"


def test_the_reads_report_is_for_admins(people) -> None:
    assert people[Role.EDITOR][1].get("/admin/members/publisherreads/").status_code == 403
    response = people[Role.ADMIN][1].get("/admin/members/publisherreads/?month=2026-12")
    assert (
        response.status_code == 200
        and "Reads by publisher, December 2026" in response.content.decode()
    )


def test_createsuperuser_still_works_and_is_an_admin() -> None:
    user = get_user_model().objects.create_superuser(
        "root", "root@example.org", "a long root passphrase"
    )
    assert role_of(user) is Role.ADMIN
