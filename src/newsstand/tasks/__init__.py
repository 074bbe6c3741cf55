"""Background work, declared with Django's tasks API (the django-tasks backport).

The task entry points, a composition root: each takes the configuration built once per
process (``newsstand.configuration``) and calls one use case with it. The
scheduler enqueues them (``JOBS`` names each scheduling ``Job``'s task); any worker, in
any process or machine, runs them. Each task claims its own work (feeds or articles,
with leases), so two tasks running at once never fetch the same feed or page.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

from newsstand.compute.text_model import text_encoder
from newsstand.configuration import configuration
from newsstand.usecases.enrich import enrich_pending, train_operator_model
from newsstand.usecases.fulltext import extract_pending
from newsstand.usecases.pictures import fetch_pending_pictures
from newsstand.usecases.refresh import refresh_feeds
from newsstand.usecases.scheduling import Job
from newsstand.usecases.stories import ASSIGN_BATCH, assign_pending, regroup_open_stories

FETCH_QUEUE = "fetch"
FULLTEXT_QUEUE = "fulltext"
ENRICH_QUEUE = "enrich"
IMAGES_QUEUE = "images"
# Workers take the highest priority first: what makes fetched articles readable (their
# section, their story) before the next fetches, pictures after everything else.
ENRICH_PRIORITY = 10
IMAGES_PRIORITY = -10


@task(queue_name=FETCH_QUEUE)
def refresh_due_feeds() -> dict[str, Any]:
    """Fetch one batch of the most overdue feeds."""
    return refresh_feeds(config=configuration().refresh).summary()


@task(queue_name=FETCH_QUEUE)
def refresh_listed_feeds(feed_ids: list[int]) -> dict[str, Any]:
    """Fetch the given feeds now, due or not (the admin's "refresh now")."""
    return refresh_feeds(feed_ids, config=configuration().refresh).summary()


@task(queue_name=FULLTEXT_QUEUE)
def extract_pending_articles() -> dict[str, Any]:
    """Fetch and extract the full text of one batch of due teaser articles."""
    config = configuration()
    report = extract_pending(config=config.full_text, enrichment=config.enrichment)
    return {**dataclasses.asdict(report), "errors": dict(report.errors)}


@task(queue_name=ENRICH_QUEUE, priority=ENRICH_PRIORITY)
def enrich_new_articles() -> dict[str, Any]:
    """Language, section and entities of one batch of articles not yet enriched."""
    config = configuration()
    report = enrich_pending(config.scheduling.enrich_batch, config=config.enrichment)
    return dataclasses.asdict(report)


@task(queue_name=ENRICH_QUEUE, priority=ENRICH_PRIORITY)
def assign_new_stories() -> dict[str, Any]:
    """Put one batch of enriched articles into their stories (see usecases.stories)."""
    encoder = text_encoder(configuration().text_model_cache)
    return dataclasses.asdict(assign_pending(ASSIGN_BATCH, encoder=encoder))


@task(queue_name=ENRICH_QUEUE)
def regroup_stories() -> dict[str, Any]:
    """Join the open stories that turned out to tell one event (every few minutes)."""
    return dataclasses.asdict(regroup_open_stories(timezone.now()))


@task(queue_name=ENRICH_QUEUE)
def train_section_model() -> dict[str, Any]:
    """Train the operator's section model on the sections their feeds declare (daily)."""
    return dataclasses.asdict(train_operator_model(config=configuration().enrichment))


@task(queue_name=IMAGES_QUEUE, priority=IMAGES_PRIORITY)
def fetch_pictures() -> dict[str, Any]:
    """Fetch, check, resize and keep one batch of publishers' pictures."""
    report = fetch_pending_pictures(configuration().pictures, now=timezone.now())
    return dataclasses.asdict(report)


JOBS: dict[Job, Task[Any, Any]] = {
    Job.REFRESH: refresh_due_feeds,
    Job.EXTRACT: extract_pending_articles,
    Job.ENRICH: enrich_new_articles,
    Job.ASSIGN: assign_new_stories,
    Job.REGROUP: regroup_stories,
    Job.TRAIN: train_section_model,
    Job.PICTURES: fetch_pictures,
}
