"""The members' journey in Debian's Chromium (Playwright), over plain HTTP, with a real SMTP
server on loopback: a visitor walled on the fourth article with its text absent from the
HTML; sign-up; the confirmation mail arrives; its link confirms and the trial starts; the
walled article opens; repeated wrong passwords lock the sign-in, the right one included."""

from __future__ import annotations

import re

import pytest

from browser import chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SECRET = "The minutes of the harbour board were read aloud for the first time."
PASSWORD = "a long harbour passphrase"


@pytest.mark.django_db(transaction=True)
def test_visitor_to_member_in_chromium(live_server, smtp, make_publisher, make_article) -> None:
    publisher = make_publisher("Harbour Gazette")
    paths = [
        f"/article/{make_article(publisher=publisher, title=f'Harbour story {n}', summary='<p>What the board decided.</p>', content=f'<p>Opening.</p><p>{SECRET} ({n})</p>').pk}/"
        for n in range(4)
    ]
    base = live_server.url

    with chromium() as browser:
        page = browser.new_page()
        for path in paths[:3]:
            page.goto(base + path)
            assert SECRET in page.locator(".body").inner_text()
        response = page.goto(base + paths[3])
        html = response.text()
        assert SECRET not in html and "Opening." not in html  # absent, not hidden
        wall = page.locator(".wall")
        assert "Sign up to read this article" in wall.inner_text()
        assert "14 days free" in wall.inner_text()
        assert "Already a member?" in wall.inner_text()

        wall.get_by_role("link", name="Sign up").click()
        page.fill("input[name=email]", "new.reader@example.org")
        page.fill("input[name=password1]", PASSWORD)
        page.fill("input[name=password2]", PASSWORD)
        page.locator("form button[type=submit]").last.click()
        page.wait_for_url("**/accounts/confirm-email/")

        mail = smtp.wait_for(1)[0]
        assert mail.rcpt_tos == ("new.reader@example.org",)
        link = next(li for li in mail.links() if "/accounts/confirm-email/" in li)
        page.goto(link)
        page.locator("form button[type=submit]").last.click()
        page.wait_for_load_state()
        page.goto(base + "/account/")
        assert re.search(r"Your free trial: 1[34] days? left", page.locator("main").inner_text())

        page.goto(base + paths[3])
        assert SECRET in page.locator(".body").inner_text()

        # Sign out, then five wrong passwords: the right one is refused for a while.
        page.goto(base + "/accounts/logout/")
        page.locator("form button[type=submit]").last.click()
        page.wait_for_load_state()
        for _ in range(5):
            page.goto(base + "/accounts/login/")
            page.fill("input[name=login]", "new.reader@example.org")
            page.fill("input[name=password]", "not the password")
            page.locator("form button[type=submit]").first.click()
            page.wait_for_load_state()
        page.goto(base + "/accounts/login/")
        page.fill("input[name=login]", "new.reader@example.org")
        page.fill("input[name=password]", PASSWORD)
        page.locator("form button[type=submit]").first.click()
        page.wait_for_load_state()
        assert "Too many failed login attempts" in page.locator("main").inner_text()
        page.goto(base + "/account/")
        assert "/accounts/login/" in page.url  # not signed in
