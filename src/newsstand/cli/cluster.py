"""`newsstand cluster`: stories of articles given as JSON lines, with no database.

Reads lines ``{"id", "title", "text"?, "published"?, "publisher"?}`` in arrival order and
assigns them to stories with the core clusterer the pipeline uses (MiniLM vectors, entities
named in the title and text, closeness in time). Writes one ``{"id", "story"}`` line per
good input line, in input order, once the input ends, so that stories merged along the way
are reported under the story they ended in. ``story`` is the id of the story's founding
article. A bad line gets an error line on standard error and is skipped.

``published`` is ISO 8601 (a time without an offset is UTC); when it is missing the
article takes the time of the line before it (the first, 1970-01-01), so that a stream with
no times is clustered on text alone. Stories quiet for the quiet period are closed as the
stream's time moves on, which bounds the clusterer's memory by the window. Once the input
ends, the stories still open are looked at again as a whole: those that converged in
vectors and in rare words are joined (core.stories.regroup, as ``recluster`` does).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, cast

from newsstand.cli.command import Command
from newsstand.cli.jsonlines import BadLine, numbered_batches, read_article

# The clusterer (numpy, ONNX Runtime) is imported when the command runs, not when the
# command line is parsed: `newsstand --help` loads every command module.
if TYPE_CHECKING:
    from newsstand.core.stories import ArticleSignal, Key, StoryParams

BATCH = 2048  # lines encoded together (sorted by length within, for short padding)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class _Item:
    id: Key
    title: str
    text: str
    published: datetime | None
    publisher: str


def cluster_lines(
    stdin: TextIO,
    stdout: TextIO,
    *,
    stderr: TextIO | None = None,
    params: StoryParams | None = None,
    entities: bool = True,
    regroup_stories: bool = True,
    cache_dir: Path | None = None,
) -> int:
    """Cluster every line of ``stdin`` onto ``stdout``; 0 when all lines were good, else 1.
    ``cache_dir``: where the text encoder's quantised model is kept between processes."""
    from newsstand.compute.text_model import text_encoder
    from newsstand.core.stories import StoryClusterer
    from newsstand.core.stories.regroup import regroup

    errors = stderr if stderr is not None else sys.stderr
    encoder = text_encoder(cache_dir, threads=_encoder_threads())
    clusterer = StoryClusterer(params, encoder=encoder, keep_members=True)
    order: list[Key] = []
    texts: dict[Key, str] = {}
    story_of: dict[Key, Key] = {}
    folded: dict[Key, Key] = {}  # merged-away story -> story it went into
    bad = 0
    clock = EPOCH  # time of the latest line that had one
    high = EPOCH  # latest time seen: stories quiet since before it close
    for batch in numbered_batches(stdin, BATCH):
        signals = []
        for number, line in batch:
            try:
                item = parse_line(line)
            except BadLine as exc:
                bad += 1
                errors.write(f"line {number}: {exc}\n")
                continue
            clock = item.published or clock
            high = max(high, clock)
            signals.append(_signal(item, clock, entities))
            texts[item.id] = signals[-1].encoder_text()
        for assignment in clusterer.assign_many(signals):
            order.append(assignment.article_id)
            story_of[assignment.article_id] = assignment.story
            for key in assignment.merged:
                folded[key] = assignment.story
        clusterer.close_quiet(high)
    # the stories still open are looked at again as a whole (core.stories.regroup)
    regrouped: dict[Key, Key] = {}
    if regroup_stories:
        regrouped = regroup(clusterer.snapshots(), texts, clusterer.params)
    for ident in order:
        story = regrouped.get(ident)
        if story is None:
            story = _final(story_of[ident], folded)
        record = {"id": ident, "story": story}
        stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    stdout.flush()
    return 1 if bad else 0


def _encoder_threads() -> int:
    return max(1, min(4, len(os.sched_getaffinity(0))))


def _final(key: Key, folded: dict[Key, Key]) -> Key:
    while key in folded:
        key = folded[key]
    return key


def _signal(item: _Item, published: datetime, entities: bool) -> ArticleSignal:
    from newsstand.core.entities import extract_entities
    from newsstand.core.stories import ArticleSignal

    names: frozenset[str] = frozenset()
    if entities:
        names = frozenset(m.name for m in extract_entities(item.title, item.text))
    return ArticleSignal(
        id=item.id,
        title=item.title,
        text=item.text,
        published=published,
        publisher=item.publisher,
        entities=names,
    )


def parse_line(line: str) -> _Item:
    """The article of one input line. Raises BadLine saying what is wrong."""
    strings = ("title", "text", "publisher", "published")
    ident, (title, text, publisher, published) = read_article(line, strings, numbers=False)
    key = cast("Key", ident)  # numbers=False: a string or an integer
    return _Item(key, title.strip(), text.strip(), _time(published), publisher.strip())


def _time(value: str) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise BadLine(f'"published" is not an ISO 8601 time ({value!r})') from exc
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def cluster_command(
    join_threshold: float | None = None,
    merge_threshold: float | None = None,
    entities: bool = True,
    regroup_stories: bool = True,
    *,
    cache_dir: Path | None = None,
) -> int:
    """The command line's entry: standard input to standard output, default parameters
    unless thresholds are given."""
    from newsstand.core.stories import StoryParams

    params = StoryParams()
    if join_threshold is not None:
        params = replace(params, join_threshold=join_threshold)
    if merge_threshold is not None:
        params = replace(params, merge_threshold=merge_threshold)
    return cluster_lines(
        sys.stdin,
        sys.stdout,
        params=params,
        entities=entities,
        regroup_stories=regroup_stories,
        cache_dir=cache_dir,
    )


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--join-threshold", type=float, help="score to join a story")
    parser.add_argument("--merge-threshold", type=float, help="centroid cosine to merge stories")
    parser.add_argument("--no-entities", action="store_true", help="ignore named entities")
    parser.add_argument(
        "--no-regroup", action="store_true", help="skip the final pass that joins stories"
    )


def handle(args: argparse.Namespace) -> int:
    from newsstand.compute.text_model import default_cache_dir

    return cluster_command(
        args.join_threshold,
        args.merge_threshold,
        not args.no_entities,
        not args.no_regroup,
        cache_dir=default_cache_dir(os.environ),  # as the settings would say; no Django here
    )


COMMAND = Command(
    help="read JSON lines {id, title, text?, published?, publisher?}; write {id, story} lines",
    handle=handle,
    arguments=arguments,
    django=False,  # pure: no Django, no database
)
