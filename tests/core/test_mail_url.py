from __future__ import annotations

import pytest

from newsstand.core.errors import ConfigurationError
from newsstand.core.mail_url import MailTransport, parse_mail_url


def test_plain_smtp_with_its_default_port() -> None:
    assert parse_mail_url("smtp://mail.example.org") == MailTransport(
        "smtp", "mail.example.org", 25
    )
    assert parse_mail_url("smtp://127.0.0.1:2525").port == 2525


def test_starttls_with_percent_encoded_credentials() -> None:
    t = parse_mail_url("smtp+starttls://news%40example.org:p%3Ass@smtp.example.org")
    assert (t.host, t.port, t.starttls, t.tls) == ("smtp.example.org", 587, True, False)
    assert (t.username, t.password) == ("news@example.org", "p:ss")


def test_smtps_is_tls_from_the_first_byte() -> None:
    t = parse_mail_url("smtps://u:p@smtp.example.org")
    assert (t.port, t.tls, t.starttls) == (465, True, False)


def test_console_and_file() -> None:
    assert parse_mail_url("console:").kind == "console"
    assert parse_mail_url("file:///var/lib/newsstand/outbox") == MailTransport(
        "file", folder="/var/lib/newsstand/outbox"
    )


def test_the_description_never_shows_the_password() -> None:
    text = parse_mail_url("smtps://user:secret@smtp.example.org").describe()
    assert "secret" not in text and "smtp.example.org:465" in text


@pytest.mark.parametrize(
    "url",
    [
        "",
        "http://example.org",
        "smtp://",
        "smtp://host:99999",
        "file://relative/path",
        "mailto:x@y",
    ],
)
def test_anything_else_is_a_configuration_error(url: str) -> None:
    with pytest.raises(ConfigurationError, match="NEWSSTAND_EMAIL_URL"):
        parse_mail_url(url)
