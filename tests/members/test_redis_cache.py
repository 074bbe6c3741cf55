"""The shared cache on Redis (NEWSSTAND_CACHE_URL=redis://…): the sign-in limits live there.

Uses Redis database 2 on 127.0.0.1:6379 (NEWSSTAND_TEST_REDIS to point elsewhere); skipped
with a message when no Redis answers, except under CI=true, where it must run."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.cache import caches

from members.conftest import PASSWORD

REDIS_URL = os.environ.get("NEWSSTAND_TEST_REDIS", "redis://127.0.0.1:6379/2")
pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_cache(settings):
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and no Redis at {REDIS_URL}: {error}")
        pytest.skip(f"no Redis at {REDIS_URL} (start redis-server, or set NEWSSTAND_TEST_REDIS)")
    client.flushdb()
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        },
    }
    yield client
    caches["default"].close()
    client.flushdb()


def test_the_setting_chooses_redis() -> None:
    code = "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'])"
    env = dict(
        os.environ, NEWSSTAND_CACHE_URL=REDIS_URL, DJANGO_SETTINGS_MODULE="newsstand.settings"
    )
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.strip()
    assert out == "django.core.cache.backends.redis.RedisCache"


def test_a_bad_cache_url_is_a_clear_error() -> None:
    env = dict(
        os.environ, NEWSSTAND_CACHE_URL="memcached://x", DJANGO_SETTINGS_MODULE="newsstand.settings"
    )
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and "NEWSSTAND_CACHE_URL" in done.stderr


def test_sign_in_limits_are_kept_in_redis(client, make_member, redis_cache) -> None:
    make_member(email="redis@example.org")
    for _ in range(5):
        client.post("/accounts/login/", {"login": "redis@example.org", "password": "wrong"})
    keys = [k.decode() for k in redis_cache.keys("*")]
    assert any("login_failed" in k for k in keys), keys
    refused = client.post("/accounts/login/", {"login": "redis@example.org", "password": PASSWORD})
    assert "Too many failed login attempts" in refused.content.decode()
