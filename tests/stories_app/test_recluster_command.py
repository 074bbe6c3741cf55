"""`newsstand recluster`: the command line over the reclustering use case."""

from __future__ import annotations

import json

import pytest

from newsstand.cli import main
from newsstand.stories.models import Story
from newsstand.usecases.stories import assign_stories

pytestmark = pytest.mark.django_db


def test_recluster_rebuilds_the_stories_of_the_window(three_stories, now, capsys) -> None:
    every = [a.pk for group in three_stories.values() for a in group]
    assign_stories(every, now=now)
    keys = set(Story.objects.values_list("key", flat=True))

    assert main(["recluster", "--since", "2000-01-01", "--until", "2100-01-01"]) == 0

    report = json.loads(capsys.readouterr().out)
    assert report == {"articles": 9, "stories_before": 3, "stories_after": 3}
    assert set(Story.objects.values_list("key", flat=True)) == keys


def test_a_window_before_every_story_changes_nothing(three_stories, now, capsys) -> None:
    assign_stories([a.pk for group in three_stories.values() for a in group], now=now)

    assert main(["recluster", "--since", "2000-01-01", "--until", "2000-01-02"]) == 0

    assert json.loads(capsys.readouterr().out)["stories_before"] == 0
    assert Story.objects.count() == 3


def test_a_date_that_is_not_iso_is_refused(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["recluster", "--since", "last week"])
    assert "not an ISO date or time" in capsys.readouterr().err
