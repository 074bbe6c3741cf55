"""A linear section classifier over TF-IDF terms, saved as plain arrays (no pickles).

Train it on (title, text, section) examples, save it as bytes, load it again, predict.
The learner is scikit-learn's multinomial logistic regression, whose probabilities serve as
the confidence of a prediction; prediction itself needs only numpy.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np
import numpy.typing as npt

from newsstand.core.classification.features import (
    ENGLISH_STOP_WORDS,
    MAX_TEXT_WORDS,
    FeatureSpace,
    article_terms,
)
from newsstand.core.errors import NewsstandError

FORMAT = "newsstand-section-model/1"
#: The default model, shipped in the package (rebuilt by scripts/train_section_model.py).
DEFAULT_MODEL = "sections-default.zip"


class ClassifierError(NewsstandError):
    """The section classifier cannot be built or loaded."""

    code = "classifier"


class BadModel(ClassifierError):
    """The bytes are not a section model this version can read."""

    code = "bad_model"


class NotEnoughExamples(ClassifierError):
    """Training needs examples of at least two sections, with some words in common."""

    code = "not_enough_examples"


@dataclass(frozen=True)
class TrainingOptions:
    """How a model is fitted: regularisation, rare-term cut-off, class balance."""

    c: float = 10.0
    min_df: int = 1
    max_terms: int | None = 300_000
    balanced: bool = True
    max_iter: int = 1000
    text_words: int = MAX_TEXT_WORDS
    stop_words: frozenset[str] = ENGLISH_STOP_WORDS


@dataclass(frozen=True, eq=False)  # arrays: compared by identity
class SectionClassifier:
    """Section slugs, the term space and one weight row (plus a bias) per section."""

    sections: tuple[str, ...]
    space: FeatureSpace
    weights: npt.NDArray[np.float32]  # (len(sections), len(space.terms))
    bias: npt.NDArray[np.float32]  # (len(sections),)
    about: dict[str, str] = field(default_factory=dict)
    text_words: int = MAX_TEXT_WORDS  # words of the text read after the title
    stop_words: frozenset[str] = ENGLISH_STOP_WORDS  # dropped before terms are formed

    def _terms(self, title: str, text: str) -> Counter[str]:
        return article_terms(title, text, text_words=self.text_words, stop_words=self.stop_words)

    # --- prediction ----------------------------------------------------------------------

    def probabilities(self, title: str, text: str) -> npt.NDArray[np.float64]:
        """The probability of each of :attr:`sections` for one article."""
        index = self.space.index
        counts = self._terms(title, text)
        cells = [(index[t], 1.0 + math.log(n)) for t, n in counts.items() if t in index]
        scores = self.bias.astype(np.float64)
        if cells:
            columns = np.fromiter((c for c, _ in cells), dtype=np.int64, count=len(cells))
            values = np.fromiter((v for _, v in cells), dtype=np.float64, count=len(cells))
            values *= self.space.idf[columns]
            values /= math.sqrt(float(values @ values))
            scores = scores + self.weights[:, columns] @ values
        return _softmax(scores)

    def predict(
        self, title: str, text: str, *, sections: Collection[str] | None = None
    ) -> tuple[str, float]:
        """The likeliest section and its probability, among ``sections`` when given.

        The probability is renormalised over the allowed sections. Returns ``("", 0.0)``
        when the model knows none of the allowed sections.
        """
        return self._choose(self.probabilities(title, text), sections)

    def predict_many(
        self, articles: Iterable[tuple[str, str]], *, sections: Collection[str] | None = None
    ) -> list[tuple[str, float]]:
        """:meth:`predict` for many (title, text) pairs at once (one matrix product)."""
        documents = (self._terms(title, text) for title, text in articles)
        matrix = self.space.matrix(documents)
        scores = np.asarray(matrix @ self.weights.T.astype(np.float64)) + self.bias
        return [self._choose(_softmax(row), sections) for row in scores]

    def _choose(
        self, probs: npt.NDArray[np.float64], allowed: Collection[str] | None
    ) -> tuple[str, float]:
        if allowed is not None:
            mask = np.array([s in allowed for s in self.sections], dtype=bool)
            if not mask.any():
                return "", 0.0
            probs = np.where(mask, probs, 0.0)
            total = probs.sum()
            probs = probs / total if total > 0 else mask / mask.sum()
        best = int(np.argmax(probs))
        return self.sections[best], float(probs[best])

    # --- training ------------------------------------------------------------------------

    @classmethod
    def train(
        cls,
        examples: Iterable[tuple[str, str, str]],
        *,
        options: TrainingOptions | None = None,
        about: dict[str, str] | None = None,
    ) -> SectionClassifier:
        """A model fitted on (title, text, section slug) examples.

        Raises NotEnoughExamples when fewer than two sections have examples, or when no
        term is common enough to keep.
        """
        options = options or TrainingOptions()
        documents: list[Counter[str]] = []
        labels: list[str] = []
        for title, text, section in examples:
            documents.append(
                article_terms(
                    title, text, text_words=options.text_words, stop_words=options.stop_words
                )
            )
            labels.append(section)
        sections = tuple(sorted(set(labels)))
        if len(sections) < 2:
            raise NotEnoughExamples(f"examples of {len(sections)} section(s); two are needed")
        space = FeatureSpace.fit(documents, min_df=options.min_df, max_terms=options.max_terms)
        if not space.terms:
            raise NotEnoughExamples(f"no term is in {options.min_df} or more examples")
        weights, bias = _fit(space.matrix(documents), labels, sections, options)
        return cls(
            sections,
            space,
            weights,
            bias,
            dict(about or {}),
            options.text_words,
            options.stop_words,
        )

    # --- storage -------------------------------------------------------------------------

    @classmethod
    def load_default(cls) -> SectionClassifier:
        """The model shipped in ``newsstand/data/models/`` (read once, then shared)."""
        return _default()

    def to_bytes(self) -> bytes:
        """The model as a zip of JSON and ``.npy`` arrays (read back with :meth:`from_bytes`)."""
        header = {
            "format": FORMAT,
            "sections": list(self.sections),
            "about": self.about,
            "text_words": self.text_words,
            "stop_words": sorted(self.stop_words),
        }
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(_entry("model.json"), json.dumps(header, indent=1, sort_keys=True))
            archive.writestr(_entry("terms.txt"), "\n".join(self.space.terms))
            for name, array in (
                ("idf.npy", self.space.idf),
                ("weights.npy", self.weights.astype(np.float16)),
                ("bias.npy", self.bias),
            ):
                archive.writestr(_entry(name), _npy(array))
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> SectionClassifier:
        """A model saved by :meth:`to_bytes`. Raises BadModel for anything else."""
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                header = json.loads(archive.read("model.json"))
                listed = archive.read("terms.txt").decode("utf-8")
                terms = tuple(listed.split("\n")) if listed else ()
                idf = _array(archive.read("idf.npy"))
                weights = _array(archive.read("weights.npy"))
                bias = _array(archive.read("bias.npy"))
        except (zipfile.BadZipFile, KeyError, ValueError, UnicodeDecodeError) as exc:
            raise BadModel(f"not a section model: {exc}") from exc
        return _checked(header, terms, idf, weights, bias)


@lru_cache(maxsize=1)
def _default() -> SectionClassifier:
    data = resources.files("newsstand.data").joinpath("models", DEFAULT_MODEL).read_bytes()
    return SectionClassifier.from_bytes(data)


def _checked(
    header: object,
    terms: tuple[str, ...],
    idf: npt.NDArray[np.float32],
    weights: npt.NDArray[np.float32],
    bias: npt.NDArray[np.float32],
) -> SectionClassifier:
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BadModel(f"not a {FORMAT} file")
    sections = tuple(str(s) for s in header.get("sections", ()))
    about = {str(k): str(v) for k, v in dict(header.get("about", {})).items()}
    text_words = header.get("text_words")
    if not isinstance(text_words, int) or text_words < 0:
        raise BadModel("the model does not say how many words of text it reads")
    stop_words = header.get("stop_words")
    if not isinstance(stop_words, list):
        raise BadModel("the model does not list its stop words")
    shape_ok = (
        idf.shape == (len(terms),)
        and weights.shape == (len(sections), len(terms))
        and bias.shape == (len(sections),)
    )
    if not shape_ok or len(sections) < 2:
        raise BadModel("the arrays of the model do not fit together")
    space = FeatureSpace(terms, idf.astype(np.float32))
    return SectionClassifier(
        sections,
        space,
        weights.astype(np.float32),
        bias.astype(np.float32),
        about,
        text_words,
        frozenset(str(word) for word in stop_words),
    )


def _fit(
    matrix: object, labels: list[str], sections: tuple[str, ...], options: TrainingOptions
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    # Imported here: scikit-learn is needed to train, not to predict.
    from sklearn.linear_model import LogisticRegression

    learner = LogisticRegression(
        C=options.c,
        max_iter=options.max_iter,
        class_weight="balanced" if options.balanced else None,
    )
    learner.fit(matrix, labels)
    order = [list(learner.classes_).index(s) for s in sections]
    coef = np.asarray(learner.coef_, dtype=np.float32)
    intercept = np.asarray(learner.intercept_, dtype=np.float32)
    if len(sections) == 2:  # a binary fit has one row: the second class against the first
        coef = np.vstack([-coef / 2, coef / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2], dtype=np.float32)
    return coef[order], intercept[order]


def _softmax(scores: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    shifted = np.exp(scores - scores.max())
    result: npt.NDArray[np.float64] = shifted / shifted.sum()
    return result


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))  # fixed: same bytes each time
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _npy(array: npt.NDArray[np.generic]) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def _array(data: bytes) -> npt.NDArray[np.float32]:
    loaded = np.load(io.BytesIO(data), allow_pickle=False)
    if not isinstance(loaded, np.ndarray) or loaded.dtype.kind != "f":
        raise ValueError("expected an array of floats")
    result: npt.NDArray[np.float32] = loaded
    return result
