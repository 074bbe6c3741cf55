"""`newsstand add-member`, `members list` and `report reads`, through ``newsstand.cli.main``."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from newsstand.cli import main
from newsstand.members import reads
from newsstand.members.models import Membership, Plan
from newsstand.members.roles import Role, role_of

pytestmark = pytest.mark.django_db
PASSWORD = "a long enough passphrase"


def test_add_member_with_a_password_a_role_and_a_trial(monkeypatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    code = main(
        [
            "add-member",
            "Editor@Example.org",
            "--password-stdin",
            "--role",
            "editor",
            "--plan",
            "trial",
            "--verified",
        ]
    )
    assert code == 0, capsys.readouterr().err
    user = get_user_model().objects.get(email="Editor@Example.org")
    assert user.check_password(PASSWORD) and user.password.startswith("argon2$")
    assert role_of(user) is Role.EDITOR and user.is_staff
    assert EmailAddress.objects.get(user=user).verified
    assert Membership.objects.get(user=user).status == "trial"
    assert "Added member" in capsys.readouterr().out


def test_add_member_with_a_plan_is_granted_until_ended(capsys) -> None:
    Plan.objects.create(name="Press", price="0")
    assert main(["add-member", "press@example.org", "--plan", "press"]) == 0
    row = Membership.objects.get(user__email="press@example.org")
    assert (row.status, row.plan.name, row.period_ends_at) == ("active", "Press", None)
    assert not get_user_model().objects.get(email="press@example.org").has_usable_password()


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (["add-member", "not-an-address"], "", "Not an e-mail address"),
        (["add-member", "x" * 300 + "@example.org"], "", "Not an e-mail address"),
        (["add-member", "weak@example.org", "--password-stdin"], "12345\n", "too short"),
        (["add-member", "p@example.org", "--plan", "Gold"], "", "No plan is named 'Gold'"),
    ],
)
def test_add_member_refuses_bad_input_and_writes_nothing(
    monkeypatch, capsys, argv, stdin, message
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert not get_user_model().objects.exists()


def test_add_member_refuses_a_taken_address(capsys) -> None:
    assert main(["add-member", "taken@example.org"]) == 0
    assert main(["add-member", "TAKEN@example.org"]) == 2
    assert "has an account already" in capsys.readouterr().err
    assert get_user_model().objects.count() == 1


def test_members_list_shows_roles_and_memberships(capsys) -> None:
    main(["add-member", "a@example.org", "--plan", "trial", "--verified"])
    main(["add-member", "b@example.org", "--role", "admin"])
    capsys.readouterr()
    assert main(["members", "list", "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["email"], r["role"], r["status"]) for r in rows] == [
        ("a@example.org", "reader", "trial"),
        ("b@example.org", "admin", "none"),
    ]
    assert rows[0]["ends"]
    assert main(["members", "list"]) == 0
    assert "a@example.org" in capsys.readouterr().out


def test_report_reads_adds_up(make_article, make_publisher, make_member, capsys) -> None:
    ledger, herald = make_publisher("Ledger"), make_publisher("Herald")
    day = datetime.fromisoformat("2026-12-05T10:00:00+00:00")
    other_month = datetime.fromisoformat("2026-11-30T23:00:00+00:00")
    members = [make_member(email=f"m{n}@example.org") for n in range(3)]
    a, b, c = (
        make_article(publisher=ledger),
        make_article(publisher=ledger),
        make_article(publisher=herald),
    )
    for member in members:
        for article in (a, b, c, a):
            reads.record_full_read(member.pk, article.pk, article.publisher_id, day)
    reads.record_full_read(members[0].pk, c.pk, herald.pk, other_month)
    assert main(["report", "reads", "--month", "2026-12", "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["publisher"], int(r["reads"])) for r in rows] == [("Ledger", 6), ("Herald", 3)]
    assert abs(sum(float(r["share"]) for r in rows) - 1) < 1e-6
    assert main(["report", "reads", "--month", "2026-12"]) == 0
    text = capsys.readouterr().out
    assert "Ledger" in text and "total" in text and " 9 " in text


@pytest.mark.parametrize("month", ["2026-13", "26-12", "december", "2026-1x", "0000-01"])
def test_report_reads_refuses_a_bad_month(capsys, month) -> None:
    assert main(["report", "reads", "--month", month]) == 2
    assert "YYYY-MM" in capsys.readouterr().err
