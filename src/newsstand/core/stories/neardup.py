"""Near-duplicate texts (wire copies, syndicated republications with small edits).

MinHash over word shingles estimates the Jaccard similarity of two texts' shingle sets;
locality-sensitive hashing over bands of the signature finds the candidates without
comparing every pair. Words are lower-cased runs of letters and digits, so punctuation,
case and spacing edits do not count; a changed word touches only the shingles around it.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Hashable

import numpy as np
from numpy.typing import NDArray

SHINGLE = 3  # words per shingle
HASHES = 128
BANDS = 32  # 32 bands of 4 rows: pairs above a Jaccard of ~0.45 become candidates
THRESHOLD = 0.6  # estimated Jaccard at which two texts are near-duplicates
MIN_WORDS = 8  # shorter texts (a bare headline) are never called near-duplicates

_WORD = re.compile(r"\w+")
_MASK = np.uint64(0xFFFFFFFF)
_SEEDS = np.random.default_rng(20140310).integers(1, 2**63, size=(2, HASHES), dtype=np.uint64)
_MULTIPLIERS = _SEEDS[0] | np.uint64(1)
_OFFSETS = _SEEDS[1]

Signature = NDArray[np.uint32]


def _shingles(text: str) -> list[str]:
    words = _WORD.findall(text.lower())
    if len(words) < MIN_WORDS:
        return []
    return [" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)]


def near_duplicate_signature(text: str) -> Signature:
    """The MinHash signature of ``text`` (128 uint32); all zeros for a text too short to tell."""
    shingles = _shingles(text)
    if not shingles:
        return np.zeros(HASHES, dtype=np.uint32)
    digests = b"".join(hashlib.blake2b(s.encode(), digest_size=8).digest() for s in set(shingles))
    values = np.frombuffer(digests, dtype="<u8")
    with np.errstate(over="ignore"):
        mixed = (values[:, None] * _MULTIPLIERS[None, :] + _OFFSETS[None, :]) >> np.uint64(32)
    signature: Signature = (mixed & _MASK).min(axis=0).astype(np.uint32)
    return signature


def signature_similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the shingles behind two signatures (0 when unknown)."""
    if not a.any() or not b.any():
        return 0.0
    return float(np.mean(a == b))


def is_near_duplicate(a: str | Signature, b: str | Signature, threshold: float = THRESHOLD) -> bool:
    """Whether two texts (or their signatures) are near-duplicates."""
    sa = near_duplicate_signature(a) if isinstance(a, str) else a
    sb = near_duplicate_signature(b) if isinstance(b, str) else b
    return signature_similarity(sa, sb) >= threshold


class NearDuplicateIndex:
    """Texts seen so far, to find the earliest near-duplicate of each new one.

    ``add`` returns the id of the earliest indexed text that is a near-duplicate of the new
    one (which is indexed too), or None. ``discard`` forgets a text, to keep the index to a
    window. Same inputs in the same order give the same answers.
    """

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._signatures: dict[Hashable, Signature] = {}
        self._order: dict[Hashable, int] = {}
        self._buckets: defaultdict[tuple[int, bytes], list[Hashable]] = defaultdict(list)
        self._counter = 0

    def __len__(self) -> int:
        return len(self._signatures)

    def add(self, ident: Hashable, text: str | Signature) -> Hashable | None:
        """Index ``text`` under ``ident``; the earliest near-duplicate already indexed, or None."""
        signature = near_duplicate_signature(text) if isinstance(text, str) else text
        found = self.find(signature)
        if ident not in self._signatures and signature.any():
            self._signatures[ident] = signature
            self._order[ident] = self._counter
            self._counter += 1
            for band in self._bands(signature):
                self._buckets[band].append(ident)
        return found

    def find(self, signature: Signature) -> Hashable | None:
        """The earliest indexed near-duplicate of ``signature``, or None."""
        if not signature.any():
            return None
        seen: set[Hashable] = set()
        matches = []
        for band in self._bands(signature):
            for ident in self._buckets.get(band, ()):
                if ident in seen:
                    continue
                seen.add(ident)
                if signature_similarity(signature, self._signatures[ident]) >= self.threshold:
                    matches.append(ident)
        return min(matches, key=self._order.__getitem__) if matches else None

    def discard(self, ident: Hashable) -> None:
        """Forget ``ident`` (no error when it is not indexed)."""
        signature = self._signatures.pop(ident, None)
        if signature is None:
            return
        del self._order[ident]
        for band in self._bands(signature):
            bucket = self._buckets[band]
            bucket.remove(ident)
            if not bucket:
                del self._buckets[band]

    @staticmethod
    def _bands(signature: Signature) -> list[tuple[int, bytes]]:
        rows = HASHES // BANDS
        return [(i, signature[i * rows : (i + 1) * rows].tobytes()) for i in range(BANDS)]
