"""Lists of stories, shaped for the reader pages: one line per event.

Every list a reader sees (the front page's top stories and section blocks, a section's,
a publisher's or a topic's page) shows a story once: its newest article on that list
stands for it, with "N more from X, Y, Z" leading to the full coverage. An article that
belongs to no story (not yet assigned) stands alone.

Each line carries the addresses of a few pictures of its story (its lead's first), so a
story whose lead has no picture still shows one of its other articles'.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain

from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber

from newsstand.articles import queries as article_queries
from newsstand.articles.models import Article
from newsstand.core.ranking import RankingParams, StoryScore, rank_stories
from newsstand.sources.models import Publisher, Section
from newsstand.stories.models import Story, StoryArticle
from newsstand.stories.queries import (
    MAX_CANDIDATES,
    RANKING,
    activities,
    candidate_rows,
)

MORE_PUBLISHERS = 3  # publishers named in "N more from X, Y, Z"
PICTURES_PER_STORY = 4  # pictures of a story's articles offered for its line
RELATED_TAKES = 3  # other publishers' headlines under each of the first top stories
FOLD_FACTOR = 4  # a page of N lines reads up to N x this many articles


@dataclass(frozen=True)
class StoryLine:
    """One line of a list: an article standing for its story."""

    lead: Article
    story: Story | None
    more: int  # the story's other articles
    more_from: list[str]  # a few other publishers' names
    image_urls: tuple[str, ...] = ()  # pictures to show, the first available wins
    related: list[Article] = field(default_factory=list)  # other publishers' takes
    score: StoryScore | None = None


@dataclass(frozen=True)
class LinePage:
    """One page of lines; ``next_before`` (an article id) is None on the last page."""

    lines: list[StoryLine]
    next_before: int | None


@dataclass(frozen=True)
class SectionLines:
    section: Section
    lines: list[StoryLine]


@dataclass(frozen=True)
class FrontPage:
    top: list[StoryLine]
    blocks: list[SectionLines]
    shown: set[int]  # the stories on the page


# --- building lines -------------------------------------------------------------------


def _key(score: StoryScore) -> int:
    """The story id a score is of (``activities`` keys scores by story id)."""
    return int(str(score.key))


def _top_publisher_ids(story: Story, limit: int) -> list[int]:
    counts = sorted(story.publishers.items(), key=lambda item: (-item[1], item[0]))
    return [int(pid) for pid, _ in counts[:limit] if str(pid).isdigit()]


def _publisher_names(stories: Iterable[Story]) -> dict[int, str]:
    ids = {pid for s in stories for pid in _top_publisher_ids(s, MORE_PUBLISHERS + 1)}
    return dict(Publisher.objects.filter(pk__in=ids).values_list("id", "name"))


def _other_publishers(story: Story, lead: Article, names: dict[int, str]) -> list[str]:
    others = [
        names[pid]
        for pid in _top_publisher_ids(story, MORE_PUBLISHERS + 1)
        if pid != lead.publisher_id and pid in names
    ]
    return others[:MORE_PUBLISHERS]


def story_pictures(story_ids: Sequence[int]) -> dict[int, list[str]]:
    """Up to ``PICTURES_PER_STORY`` picture addresses of each story's newest articles
    that have one, in one query."""
    if not story_ids:
        return {}
    newest = Window(RowNumber(), partition_by=[F("story_id")], order_by=[F("published_at").desc()])
    rows = (
        StoryArticle.objects.filter(story_id__in=list(story_ids))
        .exclude(article__image="")
        .annotate(rank=newest)
        .filter(rank__lte=PICTURES_PER_STORY)
        .values_list("story_id", "article__image")
    )
    found: dict[int, list[str]] = {}
    for story_id, url in rows:
        found.setdefault(story_id, []).append(url)
    return found


def _lines(
    pairs: Sequence[tuple[Article, Story | None]], scores: dict[int, StoryScore] | None = None
) -> list[StoryLine]:
    """Lines for (lead, story) pairs, with the names and pictures of their stories."""
    stories = [story for _, story in pairs if story is not None]
    names = _publisher_names(stories)
    pictures = story_pictures([s.pk for s in stories])
    lines = []
    for lead, story in pairs:
        own = (lead.image,) if lead.image else ()
        if story is None:
            lines.append(StoryLine(lead, None, 0, [], own))
            continue
        others = tuple(url for url in pictures.get(story.pk, ()) if url != lead.image)
        lines.append(
            StoryLine(
                lead=lead,
                story=story,
                more=max(0, story.article_count - 1),
                more_from=_other_publishers(story, lead, names),
                image_urls=own + others,
                score=(scores or {}).get(story.pk),
            )
        )
    return lines


def _story_ids(articles: Sequence[Article]) -> dict[int, int]:
    links = StoryArticle.objects.filter(article_id__in=[a.pk for a in articles])
    return dict(links.values_list("article_id", "story_id"))


def fold(
    articles: Sequence[Article],
    limit: int,
    *,
    shown: set[int] | None = None,
    story_of: dict[int, int] | None = None,
) -> tuple[list[tuple[Article, int | None]], int]:
    """Fold newest-first ``articles`` into at most ``limit`` (lead, story id) pairs, one
    per story, skipping stories in ``shown`` (which grows). ``story_of`` maps article ids
    to story ids (read here when not given). Returns the pairs and how many articles were
    read to make them."""
    shown = set() if shown is None else shown
    story_of = _story_ids(articles) if story_of is None else story_of
    pairs: list[tuple[Article, int | None]] = []
    read = 0
    for article in articles:
        if len(pairs) >= limit:
            break
        read += 1
        story_id = story_of.get(article.pk)
        if story_id is not None:
            if story_id in shown:
                continue
            shown.add(story_id)
        pairs.append((article, story_id))
    return pairs, read


def lines_of(pairs: Sequence[tuple[Article, int | None]]) -> list[StoryLine]:
    """Lines for folded (lead, story id) pairs."""
    found = Story.objects.select_related("section").in_bulk(
        [sid for _, sid in pairs if sid is not None]
    )
    return _lines([(lead, found.get(sid) if sid else None) for lead, sid in pairs])


def lines_page(articles: QuerySet[Article], before: int | None, size: int) -> LinePage:
    """A page of ``size`` lines from a newest-first list of articles (a section's, a
    publisher's, a topic's), one per story; ``before`` continues after an article."""
    window = article_queries.keyset_page(articles, before, size * FOLD_FACTOR)
    pairs, read = fold(window.articles, size)
    more = read < len(window.articles) or window.next_before is not None
    next_before = window.articles[read - 1].pk if more and read else None
    return LinePage(lines_of(pairs), next_before)


# --- ranked lines ----------------------------------------------------------------------


def _leads(stories: Iterable[Story]) -> dict[int, Article]:
    ids = [s.headline_article_id for s in stories if s.headline_article_id]
    leads = Article.objects.filter(pk__in=ids).select_related("publisher", "section")
    return {a.pk: a for a in leads}


def _ranked_lines(stories: Sequence[Story], scores: dict[int, StoryScore]) -> list[StoryLine]:
    leads = _leads(stories)
    pairs = [
        (leads[s.headline_article_id], s)
        for s in stories
        if s.headline_article_id and s.headline_article_id in leads
    ]
    return _lines(pairs, scores)


def ranked(
    now: datetime, *, section: Section | None = None, params: RankingParams = RANKING
) -> list[tuple[StoryScore, int | None]]:
    """Every candidate story ranked, best first, with its section id."""
    candidates = candidate_rows(now, section, MAX_CANDIDATES)
    if not candidates:
        return []
    sections = {c.pk: c.section_id for c in candidates}
    scores = rank_stories(activities(candidates, now, params), now, params, limit=len(candidates))
    return [(score, sections.get(_key(score))) for score in scores]


def top_stories(
    now: datetime,
    limit: int,
    *,
    section: Section | None = None,
    params: RankingParams = RANKING,
) -> list[StoryLine]:
    """The ``limit`` best stories right now (of ``section`` when given), as lines."""
    chosen = ranked(now, section=section, params=params)[:limit]
    return _load_ranked([score for score, _ in chosen])


def _load_ranked(scores: Sequence[StoryScore]) -> list[StoryLine]:
    found = Story.objects.select_related("section").in_bulk([_key(s) for s in scores])
    stories = [found[_key(s)] for s in scores if _key(s) in found]
    return _ranked_lines(stories, {_key(s): s for s in scores})


def with_related(lines: Sequence[StoryLine], count: int) -> list[StoryLine]:
    """The first ``count`` lines with a few other publishers' takes of their story (the
    newest article of each other publisher, up to ``RELATED_TAKES``)."""
    head = [line for line in lines[:count] if line.story is not None]
    if not head:
        return list(lines)
    newest = Window(
        RowNumber(),
        partition_by=[F("story_id"), F("publisher_id")],
        order_by=[F("published_at").desc()],
    )
    rows = (
        StoryArticle.objects.filter(story_id__in=[line.story.pk for line in head if line.story])
        .annotate(rank=newest)
        .filter(rank=1)
        .order_by("story_id", "-published_at")
        .values_list("story_id", "publisher_id", "article_id")
    )
    takes: dict[int, list[int]] = {}
    for line in head:
        assert line.story is not None
        takes[line.story.pk] = []
    lead_publisher = {line.story.pk: line.lead.publisher_id for line in head if line.story}
    for story_id, publisher_id, article_id in rows:
        chosen = takes[story_id]
        if publisher_id != lead_publisher[story_id] and len(chosen) < RELATED_TAKES:
            chosen.append(article_id)
    articles = Article.objects.select_related("publisher").in_bulk(
        [a for ids in takes.values() for a in ids]
    )
    result = []
    for line in lines:
        ids = takes.get(line.story.pk, []) if line.story else []
        related = [articles[a] for a in ids if a in articles]
        result.append(
            StoryLine(
                line.lead,
                line.story,
                line.more,
                line.more_from,
                line.image_urls,
                related,
                line.score,
            )
            if related
            else line
        )
    return result


# --- the front page ------------------------------------------------------------------


def front_page(
    now: datetime, sections: Sequence[Section], *, top: int, per_section: int
) -> FrontPage:
    """The front page: the ``top`` best stories, then for each section its best stories
    not already shown, filled up with its newest articles' stories; a story appears once.
    A section with nothing to show gets no block. Before any story is ranked (a new
    installation), the newest articles stand in (``front_page_in``)."""
    ranking = ranked(now)
    if not ranking:
        return front_page_in(None, sections, top=top, per_section=per_section)
    top_scores = [score for score, _ in ranking[:top]]
    shown = {_key(score) for score in top_scores}
    by_section: dict[int, list[StoryScore]] = {}
    for score, section_id in ranking[top:]:
        if section_id is not None and len(by_section.get(section_id, ())) < per_section:
            by_section.setdefault(section_id, []).append(score)
            shown.add(_key(score))
    short = [s for s in sections if len(by_section.get(s.pk, ())) < per_section]
    newest = article_queries.newest_by_section(short, per_section * FOLD_FACTOR)
    story_of = _story_ids(list(chain(*newest.values())))
    fills: dict[int, list[tuple[Article, int | None]]] = {}
    for section in short:
        wanted = per_section - len(by_section.get(section.pk, ()))
        fills[section.pk], _ = fold(
            newest.get(section.pk, []), wanted, shown=shown, story_of=story_of
        )
    ranked_lines = _load_ranked(top_scores + [s for scores in by_section.values() for s in scores])
    by_story = {line.story.pk: line for line in ranked_lines if line.story is not None}
    filled = lines_of([pair for pairs in fills.values() for pair in pairs])
    filled_by_lead = {line.lead.pk: line for line in filled}
    blocks = []
    for section in sections:
        lines = [by_story[_key(s)] for s in by_section.get(section.pk, ()) if _key(s) in by_story]
        lines += [
            filled_by_lead[a.pk] for a, _ in fills.get(section.pk, ()) if a.pk in filled_by_lead
        ]
        if lines:
            blocks.append(SectionLines(section, lines))
    top_lines = [by_story[_key(s)] for s in top_scores if _key(s) in by_story]
    return FrontPage(top=top_lines, blocks=blocks, shown=shown)


def front_page_in(
    language: str | None, sections: Sequence[Section], *, top: int, per_section: int
) -> FrontPage:
    """The front page of the newest articles' stories, then each section's, in one
    language when given (stories span languages, so the ranking does not apply)."""
    shown: set[int] = set()
    latest = article_queries.latest_articles(top * FOLD_FACTOR, language)
    newest = article_queries.newest_by_section(sections, per_section * FOLD_FACTOR, language)
    story_of = _story_ids([*latest, *chain(*newest.values())])
    top_pairs, _ = fold(latest, top, shown=shown, story_of=story_of)
    fills = {
        s.pk: fold(newest.get(s.pk, []), per_section, shown=shown, story_of=story_of)[0]
        for s in sections
    }
    lines = {line.lead.pk: line for line in lines_of([*top_pairs, *chain(*fills.values())])}
    blocks = [
        SectionLines(s, [lines[a.pk] for a, _ in fills[s.pk] if a.pk in lines])
        for s in sections
        if fills[s.pk]
    ]
    return FrontPage([lines[a.pk] for a, _ in top_pairs if a.pk in lines], blocks, shown)


def archive_lines(limit: int, *, shown: set[int]) -> list[StoryLine]:
    """Archive articles found lately (``articles.queries.recently_found_archive``), one
    per story, leaving out the stories already on the page."""
    found = article_queries.recently_found_archive(limit * FOLD_FACTOR)
    pairs, _ = fold(found, limit, shown=set(shown))
    return lines_of(pairs)
