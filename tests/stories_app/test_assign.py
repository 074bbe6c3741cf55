"""Assigning stored articles to stories: the use case on the real database and encoder."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import numpy as np
import pytest
from django.db import connection
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from newsstand.core.stories import StoryParams, pack_vector
from newsstand.sources.models import Section
from newsstand.stories import store
from newsstand.stories.models import Story, StoryArticle, StoryState
from newsstand.tasks.queues import task_queue
from newsstand.usecases.scheduling import SchedulingConfig, schedule_tick
from newsstand.usecases.stories import (
    assign_pending,
    assign_stories,
    close_quiet_stories,
    has_pending,
    recluster_window,
    regroup_open_stories,
)

pytestmark = pytest.mark.django_db

LONG_TEXT = (
    "The central bank raised its main interest rate by a quarter of a point on Thursday, "
    "its third increase this year, saying that inflation had stayed above its target for "
    "longer than expected and that wages were still rising quickly."
)


def story_titles(story: Story) -> set[str]:
    return set(StoryArticle.objects.filter(story=story).values_list("article__title", flat=True))


def test_articles_of_one_event_share_a_story(three_stories, now) -> None:
    every = [a for group in three_stories.values() for a in group]

    report = assign_stories([a.pk for a in every], now=now)

    assert report.articles == len(every) == 9
    assert report.created == 3 and report.joined == 6
    assert Story.objects.count() == 3
    for name, articles in three_stories.items():
        story = StoryArticle.objects.get(article=articles[0]).story
        assert story_titles(story) == {a.title for a in articles}, name
        assert story.key == min(a.pk for a in articles)  # the founding article
        assert story.article_count == story.publisher_count == len(articles)
        assert story.headline in {a.title for a in articles}
        assert story.headline_article_id in {a.pk for a in articles}
        assert story.first_published == min(a.published_at for a in articles)
        assert story.last_published == max(a.published_at for a in articles)
        assert story.state == StoryState.OPEN
        assert story.section == articles[0].section  # the most common section
    # what the clusterer needs to rebuild the window is stored
    snapshots = store.open_window(now - timedelta(days=3))
    assert sorted(s.size for s in snapshots) == [2, 3, 4]
    assert all(s.centroid.shape == (384,) for s in snapshots)


def test_a_later_article_joins_the_stored_story(three_stories, make_article, now) -> None:
    every = [a for group in three_stories.values() for a in group]
    assign_stories([a.pk for a in every], now=now)
    dunham = StoryArticle.objects.get(article=three_stories["dunham"][0]).story

    late = make_article("Lena Dunham sorry for molestation joke", age=timedelta(minutes=5))
    report = assign_stories([late.pk], now=now)

    assert report.joined == 1 and report.created == 0
    dunham.refresh_from_db()
    assert StoryArticle.objects.get(article=late).story == dunham
    assert dunham.article_count == 4
    assert dunham.last_published == late.published_at


def test_assigning_twice_changes_nothing(three_stories, now) -> None:
    ids = [a.pk for a in three_stories["ios"]]
    assign_stories(ids, now=now)
    before = list(StoryArticle.objects.values_list("article_id", "story_id"))

    report = assign_stories(ids, now=now)

    assert report.articles == 0
    assert list(StoryArticle.objects.values_list("article_id", "story_id")) == before
    assert Story.objects.get().article_count == len(ids)


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_assign_an_article_twice(three_stories, now) -> None:
    ids = [a.pk for group in three_stories.values() for a in group]
    reports = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def work() -> None:
        try:
            start.wait()
            reports.append(assign_stories(ids, now=now))
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors
    assert sum(r.articles for r in reports) == len(ids)
    assert StoryArticle.objects.count() == len(ids)
    assert Story.objects.count() == 3
    assert sum(Story.objects.values_list("article_count", flat=True)) == len(ids)


def test_near_copies_are_folded_under_the_first(make_article, make_publisher, now) -> None:
    wire = make_article(
        "Bank raises rates again", summary=f"<p>{LONG_TEXT}</p>", age=timedelta(hours=3)
    )
    copy = make_article(
        "Central bank raises interest rate",
        summary=f"<p>{LONG_TEXT.replace('Thursday', 'Thursday morning')}</p>",
        age=timedelta(hours=2),
    )
    other = make_article(
        "Bank lifts rates: what it means for your mortgage",
        summary="<p>Borrowers with a variable mortgage will pay more from next month, "
        "brokers said, and fixed deals are likely to follow within weeks.</p>",
        age=timedelta(hours=1),
    )

    report = assign_stories([wire.pk, copy.pk, other.pk], now=now)

    assert report.duplicates == 1
    links = {link.article_id: link for link in StoryArticle.objects.all()}
    assert links[copy.pk].duplicate_of_id == wire.pk
    assert links[wire.pk].duplicate_of_id is None
    assert links[other.pk].duplicate_of_id is None
    # the copy keeps its own publisher and link
    assert links[copy.pk].publisher_id == copy.publisher_id != wire.publisher_id


def test_merged_stories_move_their_articles_and_editorial_flags(make_article, now) -> None:
    first = make_article("Apple Releases iOS 7.1 Update", age=timedelta(hours=2))
    second = make_article("Apple iOS 7.1: All the Cool New Features", age=timedelta(hours=1))
    strict = StoryParams(join_threshold=0.99, merge_threshold=1.5)
    assign_stories([first.pk, second.pk], now=now, params=strict)
    assert Story.objects.count() == 2
    gone = Story.objects.get(key=second.pk)
    gone.pinned, gone.pick, gone.pick_note = True, True, "Worth reading"
    gone.save()

    snapshots = {s.key: s for s in store.open_window(now - timedelta(days=1))}
    kept = snapshots[first.pk]
    merged = store.snapshot_of(gone)
    kept.size += merged.size
    kept.publishers.update(merged.publishers)
    kept.last_published = merged.last_published
    store.save_assignments({first.pk: kept}, [], {second.pk: first.pk}, now=now)

    story = Story.objects.get()
    assert story.key == first.pk
    assert set(StoryArticle.objects.values_list("story_id", flat=True)) == {story.pk}
    assert story.article_count == 2 and story.publisher_count == 2
    assert story.pinned and story.pick and story.pick_note == "Worth reading"


def test_quiet_stories_close(three_stories, now) -> None:
    assign_stories([a.pk for group in three_stories.values() for a in group], now=now)
    quiet = StoryParams().quiet_period

    assert close_quiet_stories(now, StoryParams()) == 0
    assert close_quiet_stories(now + quiet + timedelta(hours=6)) == 3
    assert set(Story.objects.values_list("state", flat=True)) == {StoryState.CLOSED}
    # a closed story is out of the window: a new article on it starts a new story
    assert store.open_window(now - timedelta(days=30)) == []


def test_recluster_window_joins_what_a_strict_pass_split(three_stories, now) -> None:
    every = [a for group in three_stories.values() for a in group]
    assign_stories([a.pk for a in every], now=now, params=StoryParams(join_threshold=0.99))
    assert Story.objects.count() == len(every)
    ios_key = three_stories["ios"][0].pk
    founder = Story.objects.get(key=ios_key)
    founder.boost = 3.0
    founder.save()
    later = Story.objects.get(key=three_stories["dunham"][1].pk)
    later.pick = True
    later.save()

    report = recluster_window(now - timedelta(days=1), now)

    assert (report.articles, report.stories_before, report.stories_after) == (9, 9, 3)
    assert Story.objects.count() == 3
    ios = Story.objects.get(key=ios_key)
    assert ios.pk == founder.pk and ios.boost == 3.0  # same row, flags kept
    assert story_titles(ios) == {a.title for a in three_stories["ios"]}
    assert ios.article_count == 4 and ios.publisher_count == 4
    assert ios.headline in {a.title for a in three_stories["ios"]}
    assert ios.section == Section.objects.get(slug="technology")
    dunham = Story.objects.get(key=three_stories["dunham"][0].pk)
    assert dunham.pick  # passed on from the story that disappeared into it


def test_pending_articles_are_assigned_by_the_background_task(three_stories, make_article, now):
    unenriched = make_article("Not enriched yet", enriched=False)
    assert has_pending(now)

    report = assign_pending(now=now)

    assert report.articles == 9
    assert not StoryArticle.objects.filter(article=unenriched).exists()
    assert not has_pending(now)


def tick(now: datetime) -> int:
    return schedule_tick(task_queue(), now=now, config=SchedulingConfig())


def test_the_scheduler_enqueues_one_assignment_task(three_stories, now) -> None:
    def queued() -> int:
        return DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, task_path__endswith="assign_new_stories"
        ).count()

    tick(now)
    assert queued() == 1
    tick(now)
    assert queued() == 1


def test_the_scheduler_queues_the_regroup_pass_every_few_minutes(three_stories, now) -> None:
    def queued() -> int:
        return DBTaskResult.objects.filter(task_path__endswith="regroup_stories").count()

    tick(now)
    assert queued() == 0  # no open story yet
    assign_stories([a.pk for group in three_stories.values() for a in group], now=now)
    tick(now)
    tick(now + timedelta(minutes=5))
    assert queued() == 1
    tick(now + timedelta(minutes=11))
    assert queued() == 2


def test_stored_vectors_are_compact(three_stories, now) -> None:
    assign_stories([a.pk for a in three_stories["ios"]], now=now)
    link = StoryArticle.objects.first()
    assert link is not None
    assert len(bytes(link.vector)) == len(pack_vector(np.zeros(384))) == 768


def test_a_whole_title_is_the_headline_before_a_nearer_cut_one(now) -> None:
    centroid = np.array([1.0, 0.0], dtype=np.float32)
    known = {
        1: (now, np.array([1.0, 0.0], dtype=np.float32)),  # on the centroid, but cut
        2: (now, np.array([0.8, 0.6], dtype=np.float32)),
        3: (now, np.array([0.6, 0.8], dtype=np.float32)),
    }
    titles = {1: "Spritz Debuts On Samsung Galaxy S5: Could App Revolutionize ...", 2: "b", 3: "c"}
    assert store._nearest(centroid, known, known, titles) == 2
    assert store._nearest(centroid, [1], known, titles) == 1  # a cut title beats none
    titles[2] = "Spritz app will make you sprint through a book\u2026"
    assert store._nearest(centroid, known, known, titles) == 3


def test_open_stories_of_one_event_are_joined_by_the_regroup_pass(three_stories, now) -> None:
    every = [a for group in three_stories.values() for a in group]
    apart = StoryParams(join_threshold=0.99, merge_threshold=0.99)  # every article alone
    assign_stories([a.pk for a in every], now=now, params=apart)
    assert Story.objects.count() == 9
    ios = three_stories["ios"]
    Story.objects.filter(key=ios[1].pk).update(pinned=True)

    report = regroup_open_stories(now)

    assert (report.articles, report.stories_before) == (9, 9)
    assert report.stories_after == Story.objects.count()
    for name, articles in three_stories.items():
        stories = {StoryArticle.objects.get(article=a).story_id for a in articles}
        others = {
            StoryArticle.objects.get(article=a).story_id
            for other, group in three_stories.items()
            if other != name
            for a in group
        }
        assert not stories & others, f"{name} shares a story with another event"
    ios_stories = {StoryArticle.objects.get(article=a).story for a in ios}
    assert len(ios_stories) < len(ios)
    assert any(s.pinned for s in ios_stories)  # the editors' flag went with the join
    assert report.stories_after == 3  # one story per event
    again = regroup_open_stories(now)
    assert (again.stories_before, again.stories_after) == (3, 3)  # nothing more to join
