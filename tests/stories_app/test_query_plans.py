"""The front page's story queries follow indexes: their cost follows the window of recent
stories (or the few pinned and picked ones), never the whole archive."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsstand.stories import lines, queries
from newsstand.stories.models import Story
from newsstand.usecases.stories import assign_stories

pytestmark = pytest.mark.django_db


def plans(run) -> list[str]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        run()
    found = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
            found.append(" | ".join(str(row[-1]) for row in cursor.fetchall()))
    return found


def test_ranking_and_picks_read_only_through_indexes(three_stories, now) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the query plan checked here is SQLite's")
    assign_stories([a.pk for group in three_stories.values() for a in group], now=now)
    Story.objects.filter(pk=Story.objects.first().pk).update(pinned=True, pick=True)  # type: ignore[union-attr]

    found = plans(lambda: (lines.top_stories(now, 10), queries.picks(6)))

    story_plans = [p for p in found if "stories_story" in p]
    assert any("USING INDEX story_latest" in p for p in story_plans)
    assert any("USING INDEX story_pinned" in p for p in story_plans)
    assert any("USING INDEX story_picks" in p for p in story_plans)
    assert any("USING INDEX storyarticle_timeline" in p for p in found)
    for plan in found:  # no table is read whole
        for table in ("stories_story", "stories_storyarticle", "articles_article"):
            assert f"SCAN {table}" not in plan.replace(f"SCAN {table} USING", ""), plan


def test_looking_for_unassigned_articles_reads_the_recent_ones_only(three_stories, now) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the query plan checked here is SQLite's")
    from newsstand.usecases.stories import has_pending, pending_ids

    found = plans(lambda: (has_pending(now), pending_ids(10, now=now)))

    assert len(found) == 2
    for plan in found:
        assert "SEARCH articles_article USING" in plan, plan
        assert "INDEX article_enrichment_due (enriched_at>?)" in plan, plan
