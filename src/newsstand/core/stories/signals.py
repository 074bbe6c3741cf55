"""The data of story clustering: parameters, what is known of an article, a story, a decision."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import NDArray

Key = int | str


@dataclass(frozen=True)
class StoryParams:
    """Thresholds of the clusterer. The defaults were chosen on bench/clustering_quality.py
    (UCI headlines and GoogleNews title+snippet together; one set for every kind of text).

    A story's *cohesion* is the length of the mean of its members' unit vectors (1 for one
    article, lower as its articles spread). An article's score against a story is the cosine
    to the story's centroid times cohesion ** ``cohesion`` (0: plain centroid cosine, 1: the
    mean similarity to the story's articles, as average linkage), plus ``entity_weight``
    times how much of the article's entities the story already names (at most 1), minus
    ``time_weight`` per day between the article and the story's time span. The article joins
    the best of the ``candidates`` nearest stories if its score reaches ``join_threshold``,
    else founds a story. Stories whose last article is more than ``window`` older than the
    article are not candidates. After a join, a candidate story whose centroid cosine to the
    grown story, times both cohesions ** ``cohesion``, reaches ``merge_threshold`` is merged.
    ``close_quiet`` closes stories with nothing new for ``quiet_period``. Looking back at a
    whole window (``recluster``, ``newsstand cluster``), two stories whose score reaches
    ``regroup_similarity`` and whose words overlap (TF-IDF cosine) by ``regroup_words`` are
    joined (core.stories.regroup); a story of at most ``regroup_few`` articles has too few
    words to compare, and joins on its score alone when that reaches ``regroup_few_similarity``.
    """

    join_threshold: float = 0.45
    merge_threshold: float = 0.6
    cohesion: float = 0.5
    entity_weight: float = 0.1
    time_weight: float = 0.02
    window: timedelta = timedelta(days=3)
    quiet_period: timedelta = timedelta(days=2)
    candidates: int = 10  # best stories by cosine that are rescored with entities and time
    regroup_similarity: float = 0.4  # offline pass (recluster, newsstand cluster): see regroup
    regroup_words: float = 0.25
    regroup_few: int = 4
    regroup_few_similarity: float = 0.35


@dataclass(frozen=True)
class ArticleSignal:
    """What the clusterer needs to know of one article."""

    id: Key
    title: str
    text: str  # summary or lead, plain text; may be ""
    published: datetime  # aware, UTC
    publisher: str = ""
    entities: frozenset[str] = frozenset()
    vector: NDArray[np.float32] | None = None  # unit float32 text vector; encoded when None

    def encoder_text(self) -> str:
        """The text given to the encoder: the title, then the lead."""
        return f"{self.title}. {self.text}".strip(". ") if self.text else self.title


@dataclass
class StorySnapshot:
    """One story as stored and as given back to rebuild the open window.

    ``centroid`` is the mean of the members' unit vectors (not itself of unit length); with
    ``size`` it restores the story exactly. ``key`` is the id of the founding article.
    """

    key: Key
    centroid: NDArray[np.float32]
    size: int
    publishers: dict[str, int]
    entities: dict[str, int]
    first_published: datetime
    last_published: datetime
    members: list[Key] = field(default_factory=list)  # only kept when asked (keep_members)


@dataclass(frozen=True)
class Assignment:
    """Which story one article went to."""

    article_id: Key
    story: Key
    created: bool  # this article founded the story
    similarity: float  # score against the chosen story (1.0 when founding)
    merged: tuple[Key, ...] = ()  # keys of stories folded into ``story`` by this step
