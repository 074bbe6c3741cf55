"""The file outbox (``NEWSSTAND_EMAIL_URL=file:///folder``, the default): mail written there
instead of sent, read back for the staff's page. Django's file backend writes one file per
connection, each message followed by a line of 79 dashes."""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

SEPARATOR = b"\n" + b"-" * 79 + b"\n"
MAX_FILES = 200
MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class OutboxMail:
    file: str
    sent_at: datetime | None
    to: str
    subject: str
    text: str


def read_outbox(folder: Path, limit: int = 100) -> list[OutboxMail]:
    """The newest ``limit`` mails in the outbox folder, newest first ([] when it is missing)."""
    if not folder.is_dir():
        return []
    files = sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True)
    found: list[OutboxMail] = []
    for path in files[:MAX_FILES]:
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES)
        chunks = [c for c in data.split(SEPARATOR) if c.strip()]
        found.extend(_mail(path.name, chunk) for chunk in reversed(chunks))
        if len(found) >= limit:
            break
    return found[:limit]


def _mail(name: str, data: bytes) -> OutboxMail:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    body = message.get_body(preferencelist=("plain", "html"))
    try:
        sent_at = parsedate_to_datetime(str(message["Date"])) if message["Date"] else None
    except (TypeError, ValueError):
        sent_at = None
    return OutboxMail(
        file=name,
        sent_at=sent_at,
        to=str(message["To"] or ""),
        subject=str(message["Subject"] or ""),
        text=body.get_content() if body is not None else "",
    )
