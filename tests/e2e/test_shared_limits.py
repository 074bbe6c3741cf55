"""Two `newsstand web` processes on one database share the sign-in limits: five failures
spread over both lock the address out of both (a per-process cache would allow ten)."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
PASSWORD = "a long shared passphrase"


def _free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ, NEWSSTAND_DATA_DIR=str(data_dir), DATABASE_URL="")
    env.pop("NEWSSTAND_CACHE_URL", None)
    return env


@contextmanager
def _web(data_dir: Path) -> Iterator[str]:
    port = _free_port()
    log = (data_dir / f"web-{port}.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "newsstand.cli", "web", "--bind", f"127.0.0.1:{port}"],
        env=_environment(data_dir),
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            with suppress(OSError):
                urllib.request.urlopen(base + "/accounts/login/", timeout=2).close()
                break
            assert process.poll() is None, (data_dir / f"web-{port}.log").read_text()
            time.sleep(0.5)
        yield base
    finally:
        for sig in (signal.SIGINT, signal.SIGKILL):
            with suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
            with suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
                break
        log.close()


class Browser:
    """Cookies and the CSRF token of one client of one server."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            _NoRedirect(),
        )

    def sign_in(self, email: str, password: str) -> tuple[int, str]:
        page = self.opener.open(self.base + "/accounts/login/", timeout=10).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token.group(1), "login": email, "password": password}
        ).encode()
        request = urllib.request.Request(self.base + "/accounts/login/", data=data)
        request.add_header("Referer", self.base + "/accounts/login/")
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _add_member(data_dir: Path, email: str) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "newsstand.cli",
            "add-member",
            email,
            "--password-stdin",
            "--verified",
        ],
        input=PASSWORD + "\n",
        text=True,
        env=_environment(data_dir),
        check=True,
        timeout=120,
        capture_output=True,
    )


def test_two_web_processes_share_the_sign_in_limit(tmp_path: Path) -> None:
    _add_member(tmp_path, "shared@example.org")
    with _web(tmp_path) as first, _web(tmp_path) as second:
        a, b = Browser(first), Browser(second)
        for browser in (a, b, a, b, a):
            status, page = browser.sign_in("shared@example.org", "wrong password")
            assert status == 200 and "not correct" in page
        for browser in (a, b):
            status, page = browser.sign_in("shared@example.org", PASSWORD)
            assert status == 200 and "Too many failed login attempts" in page
        # on an unlocked account both processes sign in: the limit, not the servers, refused
        _add_member(tmp_path, "free@example.org")
        assert Browser(second).sign_in("free@example.org", PASSWORD)[0] == 302
