"""Sign-up to trial over HTTP with mail through a real SMTP server (tests/mail.py)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from newsstand.members.models import Membership

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def _sign_up(client: Client, email: str, password: str = PASSWORD):
    return client.post(
        "/accounts/signup/", {"email": email, "password1": password, "password2": password}
    )


def _confirmation_link(text: str) -> str:
    match = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s/]+/", text)
    assert match, text
    return match.group(0)


def test_sign_up_sends_a_confirmation_mail_and_the_link_starts_the_trial(client, smtp) -> None:
    response = _sign_up(client, "reader@example.org")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    mail = smtp.wait_for(1)[0]
    assert mail.rcpt_tos == ("reader@example.org",)
    user = get_user_model().objects.get(email="reader@example.org")
    assert not Membership.objects.filter(user=user, status="trial").exists()  # not verified yet

    link = _confirmation_link(mail.text)
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get(f"/{path}")
    assert page.status_code == 200  # a page with a button: opening the link confirms nothing
    assert not EmailAddress.objects.get(user=user).verified
    confirmed = client.post(f"/{path}")
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    membership = Membership.objects.get(user=user)
    assert membership.status == "trial"
    left = membership.trial_ends_at - timezone.now()
    assert timedelta(days=13, hours=23) < left <= timedelta(days=14)
    account = client.get("/account/").content.decode()
    assert "14 days left" in account


def test_a_replayed_confirmation_link_changes_nothing(client, smtp) -> None:
    _sign_up(client, "twice@example.org")
    path = "/" + _confirmation_link(smtp.wait_for(1)[0].text).split("/", 3)[3]
    assert client.post(path).status_code == 302
    trial_end = Membership.objects.get(user__email="twice@example.org").trial_ends_at
    again = Client().post(path)
    assert again.status_code in {200, 302, 404}
    assert Membership.objects.get(user__email="twice@example.org").trial_ends_at == trial_end


def test_an_unknown_or_mangled_confirmation_key_is_refused(client) -> None:
    for key in ["nope", "x" * 600, "%F0%9F%92%A9", "MQ:1t2:bad"]:
        response = client.post(f"/accounts/confirm-email/{key}/")
        assert response.status_code in {200, 404}
        assert b"expired or is invalid" in response.content or response.status_code == 404
    assert not EmailAddress.objects.filter(verified=True).exists()


def test_an_expired_confirmation_link_is_refused(client, smtp, settings) -> None:
    _sign_up(client, "slow@example.org")
    path = "/" + _confirmation_link(smtp.wait_for(1)[0].text).split("/", 3)[3]
    settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = -1
    response = client.post(path)
    assert response.status_code in {200, 404}
    assert not EmailAddress.objects.get(email="slow@example.org").verified
    assert not Membership.objects.filter(user__email="slow@example.org", status="trial").exists()
