"""A member's reading: full reads (history and the count per publisher) and saves."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction

from newsstand.members import reads
from newsstand.members.models import Save


def record_full_read(user_id: int, article_id: int, publisher_id: int, now: datetime) -> bool:
    """The member was shown the article in full: into their history, and counted for the
    publisher once a day (see ``members.reads``). Returns whether it was counted."""
    return reads.record_full_read(user_id, article_id, publisher_id, now)


def save(user_id: int, article_id: int, now: datetime) -> bool:
    """Save the article for later; False when it was saved already."""
    try:
        with transaction.atomic():
            Save.objects.create(user_id=user_id, article_id=article_id, saved_at=now)
    except IntegrityError:
        return False
    return True


def unsave(user_id: int, article_id: int) -> bool:
    deleted, _ = Save.objects.filter(user_id=user_id, article_id=article_id).delete()
    return deleted > 0


def clear_history(user_id: int) -> int:
    return reads.clear_history(user_id)
