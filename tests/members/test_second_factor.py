"""The optional second factor (allauth's TOTP with recovery codes), in the reader's pages."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.test import Client

from members.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client: Client, email: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_a_member_turns_on_totp_and_then_signs_in_with_a_second_factor(client, make_member) -> None:
    member = make_member(email="careful@example.org")
    assert _login(client, "careful@example.org").status_code == 302
    page = client.get("/accounts/2fa/")
    assert page.status_code == 200 and "Newsstand" in page.content.decode()  # our layout

    asked = client.get("/accounts/2fa/totp/activate/")
    assert "/accounts/reauthenticate/" in asked["Location"]
    client.post(asked["Location"], {"password": PASSWORD})
    form = client.get("/accounts/2fa/totp/activate/")
    assert form.status_code == 200 and 'src="data:image/svg+xml' in form.content.decode()
    secret = client.session[SECRET_SESSION_KEY]
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    assert client.post("/accounts/2fa/totp/activate/", {"code": code}).status_code == 302
    assert Authenticator.objects.filter(user=member, type="totp").exists()

    recovery = RecoveryCodes(Authenticator.objects.get(user=member, type="recovery_codes"))
    other = Client()
    response = _login(other, "careful@example.org")
    assert response.status_code == 302 and "/accounts/2fa/authenticate/" in response["Location"]
    assert "_auth_user_id" not in other.session  # the password alone is not enough
    wrong = other.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in other.session
    done = other.post("/accounts/2fa/authenticate/", {"code": recovery.get_unused_codes()[0]})
    assert done.status_code == 302
    assert other.session["_auth_user_id"] == str(member.pk)
