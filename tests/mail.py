"""A real SMTP server on loopback for tests: aiosmtpd on port 0, keeping what arrives.

    with smtp_server() as inbox:
        ... send through 127.0.0.1:inbox.port ...
        message = inbox.wait_for(1)[0]

The ``smtp`` fixture (tests/conftest.py) starts one and points Django's mail settings at
it; tests that start Newsstand as a process pass ``inbox.url`` as NEWSSTAND_EMAIL_URL.
"""

from __future__ import annotations

import email
import email.policy
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage

    @property
    def text(self) -> str:
        """The plain-text body (or the only body)."""
        part = self.message.get_body(preferencelist=("plain", "html"))
        return part.get_content() if part is not None else ""

    def links(self) -> list[str]:
        return re.findall(r"https?://[^\s<>\"']+", self.text)


class Inbox:
    """What the server received, in order; ``wait_for`` blocks (bounded) until it arrives."""

    def __init__(self) -> None:
        self.messages: list[Received] = []
        self._arrived = threading.Condition()
        self.port = 0

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self._arrived:
            self.messages.append(Received(envelope.mail_from, tuple(envelope.rcpt_tos), message))
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 20.0) -> list[Received]:
        """The first ``count`` messages; AssertionError when fewer arrive in time."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.messages) < count:
                left = deadline - time.monotonic()
                assert left > 0, f"{len(self.messages)} of {count} mails arrived"
                self._arrived.wait(left)
            return list(self.messages[:count])

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address in m.rcpt_tos]


class _LoopbackController(Controller):
    """aiosmtpd's controller on a port the system picks (port 0)."""

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@contextmanager
def smtp_server() -> Iterator[Inbox]:
    inbox = Inbox()
    controller = _LoopbackController(inbox, hostname="127.0.0.1", port=0)
    controller.start()
    inbox.port = controller.port
    try:
        yield inbox
    finally:
        controller.stop()
