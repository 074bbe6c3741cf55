"""The file outbox (the default mail transport) and the staff's page that lists it."""

from __future__ import annotations

import pytest
from django.core.mail import send_mail

from newsstand.members.roles import Role, set_role

pytestmark = pytest.mark.django_db


def test_mail_written_to_the_outbox_is_listed_for_admins(
    client, make_member, settings, tmp_path
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    settings.MAIL = type(settings.MAIL)("file", folder=str(tmp_path))
    send_mail(
        "Confirm your address", "Open https://news.example/confirm/abc/", None, ["a@example.org"]
    )
    send_mail("Second <b>mail</b>", "text", None, ["b@example.org"])
    admin = make_member(email="admin@example.org")
    set_role(admin, Role.ADMIN)
    client.force_login(admin)
    response = client.get("/health/outbox/")
    html = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert f"files in {tmp_path}" in html
    assert html.index("Second &lt;b&gt;mail&lt;/b&gt;") < html.index("Confirm your address")
    assert "https://news.example/confirm/abc/" in html
