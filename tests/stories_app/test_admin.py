"""The stories admin: score components in the list, editors' actions."""

from __future__ import annotations

import html

import pytest
from django.test import Client

from newsstand.stories.models import Story
from newsstand.usecases.stories import assign_stories

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories(three_stories, now) -> list[Story]:
    assign_stories([a.pk for group in three_stories.values() for a in group], now=now)
    return list(Story.objects.order_by("key"))


def act(client: Client, action: str, stories: list[Story]) -> None:
    response = client.post(
        "/admin/stories/story/",
        {"action": action, "_selected_action": [s.pk for s in stories]},
    )
    assert response.status_code == 302


def test_list_shows_each_story_score_and_its_parts(admin_client: Client, stories) -> None:
    page = html.unescape(admin_client.get("/admin/stories/story/").content.decode())
    for column in ("score", "breadth", "velocity", "recency", "weight"):
        assert f'class="column-{column}"' in page
    assert all(s.headline in page for s in stories)
    assert "2.32" in page  # breadth of the four-publisher story: log2(5)
    detail = html.unescape(
        admin_client.get(f"/admin/stories/story/{stories[0].pk}/change/").content.decode()
    )
    assert "breadth x" in detail and "recency x" in detail


def test_pin_boost_bury_and_pick_actions(admin_client: Client, stories) -> None:
    first, second, third = stories

    act(admin_client, "pin", [first])
    act(admin_client, "boost", [second])
    act(admin_client, "bury", [third])
    act(admin_client, "mark_pick", [first, second])
    for story in stories:
        story.refresh_from_db()
    assert first.pinned and not second.pinned
    assert second.boost == 2.0
    assert third.buried and not third.pinned
    assert first.pick and second.pick and first.picked_at is not None
    assert not third.pick

    act(admin_client, "unpin", [first])
    act(admin_client, "unmark_pick", [second])
    act(admin_client, "unrank", [third, second])
    for story in stories:
        story.refresh_from_db()
    assert not first.pinned and first.pick
    assert not second.pick and second.picked_at is None and second.boost == 1.0
    assert not third.buried


def test_stories_are_not_added_by_hand(admin_client: Client) -> None:
    assert admin_client.get("/admin/stories/story/add/").status_code == 403


def test_publisher_weights_are_editable(admin_client: Client, make_publisher) -> None:
    make_publisher("Weighted Times")
    assert admin_client.get("/admin/stories/publisherweight/").status_code == 200
    assert admin_client.get("/admin/stories/publisherweight/add/").status_code == 200
