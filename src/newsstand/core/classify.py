"""Which section an article belongs to: declared by its feed, else predicted from its text.

The order of trust: the section the feed declares, then the article's own categories
(mapped by keyword in :mod:`newsstand.core.sections`), then a :class:`SectionClassifier`.
The classifier starts as the default model shipped in the package (trained offline on
openly licensed data, see ``newsstand/data/models/MODEL_CARD.md``) and can be retrained on
the operator's own articles whose feeds declare their section (weak supervision):
``SectionClassifier.train((title, text, slug) for ...)``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
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
    "NotEnoughExamples",
    "SectionChoice",
    "SectionClassifier",
    "TrainingOptions",
    "choose_section",
]


@dataclass(frozen=True)
class SectionChoice:
    """A section slug ("" for none), where it came from, and how sure we are (0..1)."""

    slug: str
    source: str  # "feed" | "categories" | "classifier" | ""
    confidence: float


def choose_section(
    *,
    title: str,
    text: str,
    known: Collection[str],
    declared: str = "",
    categories: Iterable[str] = (),
    classifier: SectionClassifier | None = None,
    min_confidence: float = 0.0,
) -> SectionChoice:
    """The section of one article among the ``known`` slugs of the taxonomy.

    ``declared`` is the slug the feed was given by the operator; ``categories`` are the
    entry's (and feed's) category labels. Without either, ``classifier`` predicts, and its
    answer is kept only at ``min_confidence`` or above. Returns an empty choice when
    nothing decides.
    """
    if declared and declared in known:
        return SectionChoice(declared, "feed", 1.0)
    from_categories = section_from_categories(categories, known)
    if from_categories:
        return SectionChoice(from_categories, "categories", 1.0)
    if classifier is not None:
        slug, confidence = classifier.predict(title, text, sections=known)
        if slug and confidence >= min_confidence:
            return SectionChoice(slug, "classifier", confidence)
    return SectionChoice("", "", 0.0)
