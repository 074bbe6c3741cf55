"""Which section an article belongs to: decided from the article, the feed's folder trusted
only where the feed has shown itself a true section feed.

Three signals, combined as odds (decision 0020):

- the classifier's probabilities over the taxonomy's sections (a :class:`SectionClassifier`:
  the default model shipped in the package, or the operator's own, trained on articles whose
  sections their feeds declare);
- the entry's own categories (the publisher's word for this article), mapped by keyword in
  :mod:`newsstand.core.sections`: they multiply the odds of the section they name by
  :data:`CATEGORY_ODDS`;
- the section the operator gave the feed (its folder). A feed is a *true section feed* once
  the classifier agreed with its section on at least :data:`TRUST_MIN_AGREEMENT` of at least
  :data:`TRUST_MIN_VOTES` of its articles: then its section wins outright. Before that it is a
  prior whose odds grow with that agreement (:meth:`FeedVotes.odds`), so a general feed
  filed under Technology no longer puts a royal engagement in Technology.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from newsstand.core.classification.model import (
    BadModel,
    ClassifierError,
    NotEnoughExamples,
    SectionClassifier,
    TrainingOptions,
)
from newsstand.core.sections import section_from_categories

__all__ = [
    "BadModel",
    "ClassifierError",
    "FeedVotes",
    "NotEnoughExamples",
    "SectionChoice",
    "SectionClassifier",
    "TrainingOptions",
    "choose_section",
    "decide_section",
    "section_probabilities",
]


#: A feed's section wins outright once the classifier has checked this many of its articles...
TRUST_MIN_VOTES = 20
#: ...and agreed with the feed's section on at least this share of them.
TRUST_MIN_AGREEMENT = 0.75
#: Odds the entry's own categories add to the section they name.
CATEGORY_ODDS = 20.0
#: Every known section keeps at least this probability before the odds are applied, so a
#: declaration can still name a section the classifier does not know or gives nothing.
FLOOR = 0.01


@dataclass(frozen=True)
class SectionChoice:
    """A section slug ("" for none), where it came from, and how sure we are (0..1)."""

    slug: str
    source: str  # "feed" | "categories" | "classifier" | ""
    confidence: float


@dataclass(frozen=True)
class FeedVotes:
    """The section a feed declares, and how often the classifier agreed with it."""

    slug: str
    votes: int = 0
    agreements: int = 0

    @property
    def agreement(self) -> float:
        """The share of agreeing articles, smoothed (one agreeing and one not, added)."""
        return (self.agreements + 1) / (self.votes + 2)

    @property
    def trusted(self) -> bool:
        """Whether the feed has shown itself a true section feed."""
        return self.votes >= TRUST_MIN_VOTES and self.agreements >= TRUST_MIN_AGREEMENT * self.votes

    def odds(self, sections: int) -> float:
        """Prior odds of the feed's section against any one other of ``sections``: its share
        of the feed against the rest spread evenly (9 for a new feed and ten sections)."""
        share = self.agreement
        return share / (1.0 - share) * max(1, sections - 1)


def decide_section(
    probabilities: Mapping[str, float],
    *,
    feeds: Iterable[FeedVotes] = (),
    category: str = "",
    min_confidence: float = 0.0,
) -> SectionChoice:
    """The section of one article from the classifier's ``probabilities`` (over the known
    sections: every key is a section the article may get), the sections its ``feeds``
    declare and the section its own categories name (``category``, "" for none).

    A trusted feed's section wins (source "feed"). Otherwise the odds decide; the source is
    the signal that turned the decision ("classifier" when the classifier's own first
    choice won). Returns an empty choice when nothing is known or the winner's share is
    below ``min_confidence``.
    """
    if not probabilities:
        return SectionChoice("", "", 0.0)
    declared = [feed for feed in feeds if feed.slug in probabilities]
    for feed in declared:
        if feed.trusted:
            return SectionChoice(feed.slug, "feed", feed.agreement)
    total = sum(probabilities.values()) or 1.0
    weights = {slug: max(p / total, FLOOR) for slug, p in probabilities.items()}
    first = max(weights, key=weights.__getitem__)
    if category in weights:
        weights[category] *= CATEGORY_ODDS
    for feed in declared:
        weights[feed.slug] *= feed.odds(len(weights))
    best = max(weights, key=weights.__getitem__)
    confidence = weights[best] / sum(weights.values())
    if confidence < min_confidence:
        return SectionChoice("", "", 0.0)
    source = "classifier" if best == first else "categories" if best == category else "feed"
    return SectionChoice(best, source, confidence)


def section_probabilities(
    classifier: SectionClassifier, title: str, text: str, known: Collection[str]
) -> dict[str, float]:
    """The classifier's probability of each ``known`` section for one article (0 for the
    sections it does not know), renormalised over them."""
    found = dict(zip(classifier.sections, classifier.probabilities(title, text), strict=True))
    probabilities = {slug: float(found.get(slug, 0.0)) for slug in known}
    total = sum(probabilities.values())
    if total > 0:
        probabilities = {slug: p / total for slug, p in probabilities.items()}
    return probabilities


def choose_section(
    *,
    title: str,
    text: str,
    known: Collection[str],
    declared: str = "",
    categories: Iterable[str] = (),
    classifier: SectionClassifier | None = None,
    min_confidence: float = 0.0,
    feed: FeedVotes | None = None,
) -> SectionChoice:
    """:func:`decide_section` for one article given as text: ``declared`` is the section of
    its feed (``feed`` carries that feed's votes, when known), ``categories`` the entry's
    category labels. Without a classifier only a trusted feed or the categories decide.
    """
    votes = feed if feed is not None else FeedVotes(declared) if declared else None
    feeds = [votes] if votes is not None else []
    category = section_from_categories(categories, known)
    if classifier is None:
        if votes is not None and votes.trusted and votes.slug in known:
            return SectionChoice(votes.slug, "feed", votes.agreement)
        return (
            SectionChoice(category, "categories", 1.0) if category else SectionChoice("", "", 0.0)
        )
    probabilities = section_probabilities(classifier, title, text, known)
    return decide_section(
        probabilities, feeds=feeds, category=category, min_confidence=min_confidence
    )
