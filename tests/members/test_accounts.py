"""Accounts: sign-in by e-mail, limits, no enumeration, reset, change of address, deletion,
passwords with Argon2, and bad input. Over HTTP with the test client; mail through a real
SMTP server on loopback."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import models
from django.test import Client

from members.conftest import PASSWORD
from members.hashers import CountingArgon2
from newsstand.members import reads
from newsstand.members.models import Membership, PublisherReads, Reading, Save

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def _login(client: Client, email: str, password: str):
    return client.post(LOGIN, {"login": email, "password": password})


def _normalised(html: str) -> str:
    """The page without what differs between any two requests (tokens)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


# --- signing in and its limits ----------------------------------------------------------


def test_sign_in_by_e_mail(client, make_member) -> None:
    make_member(email="reader@example.org")
    response = _login(client, "Reader@Example.org", PASSWORD)
    assert response.status_code == 302
    assert client.get("/account/").status_code == 200


def test_repeated_wrong_passwords_lock_the_address_out_even_with_the_right_one(
    client, make_member
) -> None:
    make_member(email="target@example.org")
    for _ in range(5):
        response = _login(client, "target@example.org", "wrong password")
        assert response.status_code == 200
        assert "not correct" in response.content.decode()
    refused = _login(client, "target@example.org", PASSWORD)
    assert refused.status_code == 200
    assert "Too many failed login attempts" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # another address from the same client is not locked out by that one
    make_member(email="other@example.org")
    assert _login(Client(), "other@example.org", PASSWORD).status_code == 302


def test_the_limits_live_in_the_shared_cache() -> None:
    assert "DatabaseCache" in django_settings.CACHES["default"]["BACKEND"]
    assert "5/5m/key" in django_settings.ACCOUNT_RATE_LIMITS["login_failed"]


def test_too_many_sign_ups_from_one_address_get_429(client, settings) -> None:
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/m/ip"}
    codes = [
        client.post(
            "/accounts/signup/",
            {"email": f"s{n}@example.org", "password1": PASSWORD, "password2": PASSWORD},
        ).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]
    assert "Too many attempts" in client.post("/accounts/signup/", {}).content.decode()


# --- no enumeration -----------------------------------------------------------------------


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = ["members.hashers.CountingArgon2"]
    CountingArgon2.reset()
    return CountingArgon2


def test_sign_up_answers_the_same_for_a_taken_address_and_mails_its_owner(
    client, make_member, smtp, counting_hasher
) -> None:
    make_member(email="taken@example.org")
    counting_hasher.reset()
    taken = Client().post(
        "/accounts/signup/",
        {"email": "taken@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    work_taken = counting_hasher.reset()
    new = Client().post(
        "/accounts/signup/",
        {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    work_new = counting_hasher.reset()
    assert (taken.status_code, taken["Location"]) == (new.status_code, new["Location"])
    assert work_taken.count("encode") == work_new.count("encode") == 1
    mails = smtp.wait_for(2)
    assert {m.rcpt_tos[0] for m in mails} == {"taken@example.org", "new@example.org"}
    assert get_user_model().objects.filter(email__iexact="taken@example.org").count() == 1


def test_sign_in_answers_the_same_for_an_unknown_address_and_a_wrong_password(
    make_member, counting_hasher
) -> None:
    make_member(email="known@example.org")
    counting_hasher.reset()
    known = _login(Client(), "known@example.org", "wrong password")
    work_known = counting_hasher.reset()
    unknown = _login(Client(), "nobody@example.org", "wrong password")
    work_unknown = counting_hasher.reset()
    assert known.status_code == unknown.status_code == 200
    assert _normalised(known.content.decode()).replace("known@", "X@") == _normalised(
        unknown.content.decode()
    ).replace("nobody@", "X@")
    assert len(work_known) == len(work_unknown) == 1  # one Argon2 run either way


def test_password_reset_answers_the_same_whether_or_not_the_address_exists(
    make_member, smtp
) -> None:
    make_member(email="known@example.org")
    known = Client().post("/accounts/password/reset/", {"email": "known@example.org"})
    unknown = Client().post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert {m.rcpt_tos[0] for m in smtp.wait_for(2)} == {"known@example.org", "nobody@example.org"}


# --- reset, change of address ---------------------------------------------------------------


def _path(link: str) -> str:
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def test_password_reset_works_once(client, make_member, smtp) -> None:
    make_member(email="forgot@example.org")
    client.post("/accounts/password/reset/", {"email": "forgot@example.org"})
    link = next(li for li in smtp.wait_for(1)[0].links() if "/password/reset/key/" in li)
    page = client.get(_path(link), follow=True)
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else _path(link)
    new = "a brand new passphrase 42"
    done = client.post(form_url, {"password1": new, "password2": new})
    assert done.status_code == 302
    assert _login(Client(), "forgot@example.org", new).status_code == 302
    replay = Client().get(_path(link), follow=True)
    assert "invalid" in replay.content.decode().lower()


def test_an_expired_reset_link_is_refused(client, make_member, smtp, settings) -> None:
    make_member(email="late@example.org")
    client.post("/accounts/password/reset/", {"email": "late@example.org"})
    link = next(li for li in smtp.wait_for(1)[0].links() if "/password/reset/key/" in li)
    settings.PASSWORD_RESET_TIMEOUT = -1
    page = Client().get(_path(link), follow=True)
    assert "invalid" in page.content.decode().lower()


def test_reset_links_use_an_allowed_host_only(make_member, smtp) -> None:
    make_member(email="victim@example.org")
    poisoned = Client().post(
        "/accounts/password/reset/", {"email": "victim@example.org"}, HTTP_HOST="evil.example"
    )
    assert poisoned.status_code == 400
    assert smtp.messages == []


def test_changing_the_address_takes_a_confirmation_and_keeps_the_trial(
    client, make_member, smtp
) -> None:
    member = make_member(email="old@example.org")
    trial_end = Membership.objects.get(user=member).trial_ends_at
    client.force_login(member)
    response = client.post("/accounts/email/", {"action_add": "", "email": "new@example.org"})
    assert response.status_code == 302
    mail = next(m for m in smtp.wait_for(1) if m.rcpt_tos == ("new@example.org",))
    link = next(li for li in mail.links() if "/confirm-email/" in li)
    assert client.post(_path(link)).status_code == 302
    member.refresh_from_db()
    assert member.email == "new@example.org"
    assert list(EmailAddress.objects.filter(user=member).values_list("email", flat=True)) == [
        "new@example.org"
    ]
    assert Membership.objects.get(user=member).trial_ends_at == trial_end


# --- deletion --------------------------------------------------------------------------------


def _rows_pointing_at(user_id: int) -> dict[str, int]:
    """Rows of every model with a foreign key to the user model that name this user."""
    user_model = get_user_model()
    found = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.ForeignKey | models.OneToOneField)
                and field.related_model is user_model
            ):
                count = model._default_manager.filter(**{field.name: user_id}).count()
                if count:
                    found[f"{model._meta.label}.{field.name}"] = count
    return found


def test_deleting_the_account_removes_everything_personal_and_keeps_the_counts(
    client, make_member, make_article
) -> None:
    member = make_member(email="leaving@example.org")
    article = make_article(content="<p>text</p>")
    client.force_login(member)
    client.get(f"/article/{article.pk}/")
    client.post(f"/account/saved/{article.pk}/")
    assert (
        Reading.objects.filter(user=member).exists() and Save.objects.filter(user=member).exists()
    )
    assert _rows_pointing_at(member.pk)  # the walk finds what there is

    asked = client.get("/account/delete/")  # asks for the password again first
    assert "/accounts/reauthenticate/" in asked["Location"]
    again = client.post(asked["Location"], {"password": PASSWORD})
    assert again.status_code == 302
    page = client.get("/account/delete/")
    assert page.status_code == 200 and "Delete my account" in page.content.decode()
    response = client.post("/account/delete/", {"confirm": "delete"})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=member.pk).exists()
    assert _rows_pointing_at(member.pk) == {}
    assert not EmailAddress.objects.filter(email="leaving@example.org").exists()
    assert PublisherReads.objects.get(publisher=article.publisher).reads == 1
    assert "_auth_user_id" not in client.session


def test_deletion_asks_for_the_password_again(client, make_member) -> None:
    member = make_member(email="sure@example.org")
    assert _login(client, "sure@example.org", PASSWORD).status_code == 302
    response = client.post("/account/delete/", {"confirm": "delete"})
    assert response.status_code == 302 and "/accounts/reauthenticate/" in response["Location"]
    assert get_user_model().objects.filter(pk=member.pk).exists()


def test_a_deleted_address_gets_no_second_trial(client, make_member, smtp) -> None:
    member = make_member(email="again@example.org")
    member.delete()
    client.post(
        "/accounts/signup/",
        {"email": "Again+2@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    link = next(li for li in smtp.wait_for(1)[0].links() if "/confirm-email/" in li)
    client.post(_path(link))
    user = get_user_model().objects.get(email__iexact="again+2@example.org")
    assert not Membership.objects.filter(user=user, status="trial").exists()
    assert "had its free trial" in client.get("/account/").content.decode()


# --- passwords ---------------------------------------------------------------------------------


def test_new_passwords_are_hashed_with_argon2_and_old_hashes_upgraded(client, make_member) -> None:
    member = make_member(email="old.hash@example.org")
    assert member.password.startswith("argon2$")
    type(member).objects.filter(pk=member.pk).update(
        password=make_password(PASSWORD, hasher="pbkdf2_sha256")
    )
    assert _login(client, "old.hash@example.org", PASSWORD).status_code == 302
    member.refresh_from_db()
    assert member.password.startswith("argon2$")


def test_weak_passwords_are_refused_at_sign_up(client) -> None:
    for weak in ["short", "password123", "1234567890123"]:
        response = client.post(
            "/accounts/signup/", {"email": "weak@example.org", "password1": weak, "password2": weak}
        )
        assert response.status_code == 200
    assert not get_user_model().objects.filter(email="weak@example.org").exists()


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"email": "x" * 1_000_000 + "@example.org", "password1": PASSWORD, "password2": PASSWORD},
        {"email": "nul\x00@example.org", "password1": PASSWORD, "password2": PASSWORD},
        {"email": "a@example.org", "password1": PASSWORD, "password2": PASSWORD + "x"},
        {"email": "not an address", "password1": PASSWORD, "password2": PASSWORD},
    ],
)
def test_bad_sign_up_forms_get_a_message_and_write_nothing(client, data) -> None:
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode() or "error" in response.content.decode()
    assert not get_user_model().objects.exists()


def test_invalid_utf8_in_a_form_is_a_message_not_a_crash(client) -> None:
    body = b"email=%FF%FE%FD@example.org&password1=x&password2=x"
    response = client.post(
        "/accounts/signup/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    response = client.post(
        LOGIN, b"login=%ED%A0%80&password=%FF", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not get_user_model().objects.exists()


def test_a_1mb_login_is_refused_quietly(client) -> None:
    response = _login(client, "y" * 1_000_000, "x")
    assert response.status_code in {200, 400}


# --- CSRF and cookies ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        LOGIN,
        "/accounts/signup/",
        "/accounts/logout/",
        "/accounts/password/reset/",
        "/accounts/email/",
        "/account/saved/1/",
        "/account/history/clear/",
        "/account/delete/",
    ],
)
def test_every_form_needs_its_csrf_token(path, make_member) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_member())
    assert client.post(path, {"login": "a@example.org", "password": "x"}).status_code == 403


def test_session_cookies_are_httponly_and_samesite_lax(client, make_member) -> None:
    make_member(email="cookie@example.org")
    _login(client, "cookie@example.org", PASSWORD)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert not cookie["secure"]  # served over plain HTTP here


def test_an_https_public_address_makes_the_cookies_secure() -> None:
    code = "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.CSRF_TRUSTED_ORIGINS)"
    env = {
        "NEWSSTAND_PUBLIC_URL": "https://news.example.org/",
        "DJANGO_SETTINGS_MODULE": "newsstand.settings",
    }
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env={**_environment(), **env},
    ).stdout
    assert out.strip() == "True True ['https://news.example.org']"


def _environment() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("NEWSSTAND_PUBLIC")}


def test_the_full_read_is_recorded_only_for_members(make_member, make_article, now) -> None:
    article = make_article(content="<p>x</p>")
    assert reads.record_full_read(make_member().pk, article.pk, article.publisher_id, now)
