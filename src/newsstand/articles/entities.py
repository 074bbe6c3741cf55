"""Storing the entities an article mentions: get-or-create of ``Entity`` rows, safe when
several workers store articles that name the same new entity at once.

Entity rows are inserted with ``INSERT ... ON CONFLICT DO NOTHING`` (``bulk_create`` with
``ignore_conflicts``) and then read back by (kind, name), so a row another worker inserted a
moment earlier is found instead of raising ``IntegrityError``; on PostgreSQL a conflicting
insert waits for the other transaction and then sees its row. Slugs are derived from the
name; when two entities would share one ("Georgia" the place and "Georgia" the person), the
later one gets its kind and then a short hash appended, so a slug never depends on timing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils.text import slugify

from newsstand.articles.models import ArticleEntity, Entity, EntityKind
from newsstand.core.entities import Mention

NAME_LENGTH = Entity._meta.get_field("name").max_length or 200
SLUG_LENGTH = 200  # below the field's 220, leaving room for "-org-1a2b3c4d"
MAX_MENTIONS = 32767  # PositiveSmallIntegerField


def entity_slugs(kind: str, name: str) -> list[str]:
    """The slugs to try for an entity, best first."""
    base = slugify(name)[:SLUG_LENGTH].strip("-")
    digest = hashlib.sha1(f"{kind}:{name}".encode(), usedforsecurity=False).hexdigest()[:8]
    if not base:  # a name in a script slugify drops
        return [f"{kind}-{digest}"]
    return [base, f"{base}-{kind}", f"{base}-{kind}-{digest}"]


def _valid(mentions: Iterable[Mention]) -> dict[tuple[str, str], int]:
    """Mentions keyed by (kind, name), names trimmed, counts added up and capped."""
    counts: dict[tuple[str, str], int] = {}
    for mention in mentions:
        name = " ".join(mention.name.split())[:NAME_LENGTH]
        if mention.kind not in EntityKind.values or not name or mention.count < 1:
            continue
        key = (mention.kind, name)
        counts[key] = min(MAX_MENTIONS, counts.get(key, 0) + mention.count)
    return counts


def _existing(keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    by_kind: dict[str, list[str]] = {}
    for kind, name in keys:
        by_kind.setdefault(kind, []).append(name)
    found: dict[tuple[str, str], int] = {}
    for kind, names in by_kind.items():
        for row in Entity.objects.filter(kind=kind, name__in=names).values("id", "name"):
            found[(kind, row["name"])] = row["id"]
    return found


def get_or_create_entities(keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """Ids of the entities (kind, name), creating the missing ones.

    Each round inserts every missing entity under its next slug candidate, skipping
    conflicts, then reads back; an entity still missing lost its slug to another entity
    and tries the next candidate. Raises ``RuntimeError`` when no candidate is free, which
    takes a hash collision."""
    ids = _existing(keys)
    for attempt in range(3):
        missing = [key for key in keys if key not in ids]
        if not missing:
            return ids
        Entity.objects.bulk_create(
            [
                Entity(kind=kind, name=name, slug=entity_slugs(kind, name)[attempt])
                for kind, name in missing
                if attempt < len(entity_slugs(kind, name))
            ],
            ignore_conflicts=True,
        )
        ids.update(_existing(missing))
    missing = [key for key in keys if key not in ids]
    if missing:
        raise RuntimeError(f"no free slug for entities {missing[:3]!r}")
    return ids


def store_mentions(article_id: int, mentions: Iterable[Mention]) -> None:
    """Replace the article's entities with ``mentions`` (of ``extract_entities``).

    Unknown kinds and empty names are skipped; the same entity twice is counted once with
    the counts added. Calling it again with the same mentions changes nothing."""
    counts = _valid(mentions)
    ids = get_or_create_entities(list(counts))
    with transaction.atomic():
        ArticleEntity.objects.filter(article_id=article_id).exclude(
            entity_id__in=ids.values()
        ).delete()
        ArticleEntity.objects.bulk_create(
            [
                ArticleEntity(article_id=article_id, entity_id=ids[key], mentions=count)
                for key, count in counts.items()
            ],
            update_conflicts=True,
            unique_fields=["article", "entity"],
            update_fields=["mentions"],
        )
