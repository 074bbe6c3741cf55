"""``NEWSSTAND_EMAIL_URL``: where mail goes, written as one URL.

    smtp://host:port                      plain SMTP (a relay on the same host or network)
    smtp+starttls://user:pass@host:587    SMTP upgraded with STARTTLS (submission)
    smtps://user:pass@host:465            SMTP over TLS from the first byte
    console:                              printed on standard output
    file:///path/to/folder                one file per sending, in a folder (an outbox)

User names and passwords are percent-decoded (``%40`` for ``@``). Anything else is a
``ConfigurationError`` that says how to write it.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from newsstand.core.errors import ConfigurationError

_SMTP_PORTS = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
FORMS = "smtp://host:port, smtp+starttls://user:pass@host:587, smtps://…, console: or file:///path"


@dataclass(frozen=True)
class MailTransport:
    kind: str  # "smtp", "console" or "file"
    host: str = ""
    port: int = 0
    username: str = ""
    password: str = ""
    starttls: bool = False
    tls: bool = False
    folder: str = ""

    def describe(self) -> str:
        """Where mail goes, for people (never the password)."""
        if self.kind == "file":
            return f"files in {self.folder}"
        if self.kind == "console":
            return "standard output"
        security = " (STARTTLS)" if self.starttls else " (TLS)" if self.tls else ""
        user = f"{self.username}@" if self.username else ""
        return f"SMTP server {user}{self.host}:{self.port}{security}"


def parse_mail_url(url: str) -> MailTransport:
    """The transport ``url`` names; raises ``ConfigurationError`` when it names none."""
    text = url.strip()
    scheme = text.partition(":")[0].lower()
    if scheme == "console":
        return MailTransport("console")
    if scheme == "file":
        return _file(text)
    if scheme in _SMTP_PORTS:
        return _smtp(text, scheme)
    raise ConfigurationError(f"NEWSSTAND_EMAIL_URL {url!r} is not one of: {FORMS}")


def _file(text: str) -> MailTransport:
    parts = urlsplit(text)
    folder = unquote(parts.path)
    if parts.netloc not in {"", "localhost"} or not folder.startswith("/"):
        raise ConfigurationError(
            f"NEWSSTAND_EMAIL_URL {text!r}: a file outbox is file:///absolute/folder"
        )
    return MailTransport("file", folder=folder)


def _smtp(text: str, scheme: str) -> MailTransport:
    parts = urlsplit(text)
    try:
        port = parts.port or _SMTP_PORTS[scheme]
    except ValueError as error:
        raise ConfigurationError(f"NEWSSTAND_EMAIL_URL: bad port in {parts.netloc!r}") from error
    if not parts.hostname:
        raise ConfigurationError(f"NEWSSTAND_EMAIL_URL {scheme}:// needs a host: {FORMS}")
    return MailTransport(
        "smtp",
        host=parts.hostname,
        port=port,
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        starttls=scheme == "smtp+starttls",
        tls=scheme == "smtps",
    )
