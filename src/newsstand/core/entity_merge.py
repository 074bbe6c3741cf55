"""Merging the mentions of one entity within an article: "Obama" and "Barack Obama",
"NBA" and "National Basketball Association", "(SPOE)" and the name it follows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from newsstand.core.entity_cues import CONNECTORS, ORG, PERSON

# How sure the typing is: a gazetteer or a name's own words, a cue around it, a guess.
STRONG, CUE, WEAK = 3, 2, 1


@dataclass
class Typed:
    kind: str
    name: str
    strength: int
    words: tuple[str, ...]  # folded, particles left out
    count: int = 1
    first: int = 0
    aliases: set[str] = field(default_factory=set)


def merge_entities(
    entities: dict[tuple[str, str], Typed],
    acronyms: dict[str, tuple[str, str]],
    loose: list[tuple[int, str]],
) -> list[Typed]:
    """Folds short forms into long ones (in place) and ranks the result, most named first.

    ``entities`` by (kind, name); ``acronyms``: folded acronym -> the entity it was given
    for in parentheses; ``loose``: (position, folded word) of untyped single words."""
    _fold_acronyms(entities, acronyms)
    _fold_short_forms(entities)
    _attach_loose(entities, loose)
    return sorted(entities.values(), key=lambda e: (-e.count, e.first))


def _fold_acronyms(
    entities: dict[tuple[str, str], Typed], acronyms: dict[str, tuple[str, str]]
) -> None:
    """ "(SPOE)" after a name, or "NBA" for "National Basketball Association": one entity."""
    long_forms = [e for e in entities.values() if len(e.words) >= 2]
    for key, entity in list(entities.items()):
        if len(entity.words) != 1 or entity.kind == PERSON:
            continue
        target_key = acronyms.get(entity.words[0].replace(".", ""))
        target = entities.get(target_key) if target_key else None
        if target is None:
            target = next((e for e in long_forms if _initials(e) == entity.words[0]), None)
        if target is not None and target is not entity:
            target.count += entity.count
            target.first = min(target.first, entity.first)
            del entities[key]


def _initials(entity: Typed) -> str:
    return "".join(word[0] for word in entity.words if word and word not in CONNECTORS)


def _fold_short_forms(entities: dict[tuple[str, str], Typed]) -> None:
    """ "Obama" and "Barack Obama" (or "Pistons" and "Detroit Pistons"): one entity."""
    by_length = sorted(entities.items(), key=lambda item: len(item[1].words))
    for key, short in by_length:
        if short.strength == STRONG and short.kind != PERSON:
            continue  # "Microsoft" stays itself beside "Microsoft IT Forum"
        target = _longer_form(short, entities.values())
        if target is not None:
            target.count += short.count
            target.first = min(target.first, short.first)
            del entities[key]


def _longer_form(short: Typed, entities: Iterable[Typed]) -> Typed | None:
    best: Typed | None = None
    for entity in entities:
        if len(entity.words) <= len(short.words) or short.words[0] not in entity.words:
            continue
        if not _contains(entity, short.words):
            continue
        if best is None or (entity.count, len(entity.words)) > (best.count, len(best.words)):
            best = entity
    return best


def _contains(entity: Typed, words: tuple[str, ...]) -> bool:
    """A person's name holds the words in order ("George Bush" in "George W. Bush"); an
    organisation's starts or ends with them ("Pistons")."""
    if entity.kind == PERSON:
        remaining = iter(entity.words)
        return all(word in remaining for word in words)
    if entity.kind == ORG:
        n = len(words)
        return entity.words[:n] == words or entity.words[-n:] == words
    return False


def _attach_loose(entities: dict[tuple[str, str], Typed], loose: list[tuple[int, str]]) -> None:
    """Untyped single words count for the entity whose name holds them."""
    for position, word in loose:
        target = _longer_form(Typed("", "", WEAK, (word,)), entities.values())
        if target is None:
            target = next(
                (e for e in entities.values() if e.words == (word,) and e.kind == PERSON), None
            )
        if target is not None:
            target.count += 1
            target.first = min(target.first, position)
