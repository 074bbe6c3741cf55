"""Composition: the one module that reads the environment.

Every setting Newsstand reads is declared in ``SETTINGS_TABLE`` (name, default, meaning);
docs/settings.md documents each one and a test keeps the two in step. Code below the
composition layer receives plain values, never this module.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import dj_database_url

from newsstand.compute.text_model import default_cache_dir

SETTINGS_TABLE: dict[str, tuple[str, str]] = {
    "NEWSSTAND_DATA_DIR": ("./newsstand-data", "Folder for the SQLite database and other state."),
    "DATABASE_URL": (
        "",
        "Database URL (postgres://… or sqlite:///path); empty: SQLite in the data folder.",
    ),
    "NEWSSTAND_SECRET_KEY": (
        "",
        "Django secret key; generated and kept in the data folder when empty.",
    ),
    "NEWSSTAND_DEBUG": ("false", "Django debug mode (never in production)."),
    "NEWSSTAND_ALLOWED_HOSTS": ("localhost,127.0.0.1,[::1]", "Comma-separated host names served."),
    "NEWSSTAND_ALLOW_NETWORKS": (
        "",
        "Comma-separated CIDRs the fetcher may reach although not public.",
    ),
    "NEWSSTAND_FETCH_TIMEOUT": ("30", "Overall deadline of one fetch, in seconds."),
    "NEWSSTAND_FETCH_MAX_BYTES": ("15728640", "Largest body accepted, raw and decoded, in bytes."),
    "NEWSSTAND_FETCH_PER_HOST": ("2", "Concurrent connections to one host."),
    "NEWSSTAND_FETCH_CONCURRENCY": ("64", "Concurrent fetches in one refresh batch."),
    "NEWSSTAND_REFRESH_BATCH": ("200", "Feeds claimed by one refresh task."),
    "NEWSSTAND_MIN_INTERVAL": ("600", "Shortest polling interval of a feed, in seconds."),
    "NEWSSTAND_MAX_INTERVAL": ("86400", "Longest polling interval of a feed, in seconds."),
    "NEWSSTAND_PARSE_WORKERS": ("0", "Processes that parse feeds in a refresh (0: one per core)."),
    "NEWSSTAND_FULLTEXT_BATCH": ("50", "Article pages one full-text task claims and fetches."),
    "NEWSSTAND_FULLTEXT_PER_HOST": ("8", "Article pages of one host in one full-text batch."),
    "NEWSSTAND_SCHEDULER_TICK": ("15", "Seconds between two scheduler passes."),
    "NEWSSTAND_WORKER_THREADS": ("2", "Task worker threads in `newsstand run`."),
    "NEWSSTAND_BIND": ("127.0.0.1:8000", "Address and port the web server listens on."),
}


def env(name: str) -> str:
    return os.environ.get(name, SETTINGS_TABLE[name][0])


def env_bool(name: str) -> bool:
    return env(name).strip().lower() in {"1", "true", "yes", "on"}


def _secret_key(data_dir: Path) -> str:
    configured = env("NEWSSTAND_SECRET_KEY")
    if configured:
        return configured
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        import secrets

        data_dir.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _data_dir() -> Path:
    if "NEWSSTAND_DATA_DIR" not in os.environ and "PYTEST_VERSION" in os.environ:
        # A test run never touches a developer's data: each run gets a folder of its own.
        import tempfile

        return Path(tempfile.mkdtemp(prefix="newsstand-test-"))
    return Path(env("NEWSSTAND_DATA_DIR")).resolve()


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = _data_dir()
SECRET_KEY = _secret_key(DATA_DIR)
DEBUG = env_bool("NEWSSTAND_DEBUG")
ALLOWED_HOSTS = [h.strip() for h in env("NEWSSTAND_ALLOWED_HOSTS").split(",") if h.strip()]
# The text encoder's quantised model, kept between processes (the XDG cache convention).
TEXT_MODEL_CACHE = default_cache_dir(os.environ)

INSTALLED_APPS = [
    # The admin without start-up discovery: urls.py discovers the admin modules, so only
    # processes that serve pages load them (a refresh or a worker skips their imports).
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "newsstand.sources",
    "newsstand.articles",
    "newsstand.stories",
    "newsstand.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "newsstand.web.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "newsstand.urls"
WSGI_APPLICATION = "newsstand.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _sqlite(path: Path) -> dict[str, object]:
    path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            # WAL lets readers and the single writer work at once; IMMEDIATE makes a writer
            # take the lock up front, so the busy timeout applies instead of a deadlock error.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                # Checkpoint the WAL every ~40 MB rather than 4 MB: a refresh writes
                # ~2 KB an article, and each checkpoint syncs the disk (measured: ~15 %
                # less CPU and a third less commit time when storing 80k articles).
                " PRAGMA wal_autocheckpoint=10000;"
                # A 64 MiB page cache (default 2 MiB): a refresh inserts into nine article
                # indexes at once (measured: round 1 of bench/refresh_throughput.py 6.72 s
                # against 6.94 s, three runs each, taking turns).
                " PRAGMA cache_size=-65536;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
        # Tests use a real SQLite file (not :memory:), so other processes can share it.
        "TEST": {"NAME": str(path.with_name("test-" + path.name))},
    }


def _database() -> dict[str, object]:
    url = env("DATABASE_URL")
    if url.startswith("sqlite:///"):
        return _sqlite(Path(url.removeprefix("sqlite:///")).resolve())
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    return _sqlite(DATA_DIR / "newsstand.sqlite3")


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "fetch", "fulltext", "enrich"],
    }
}

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise serves from finders until collectstatic
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "newsstand": {"handlers": ["console"], "level": "INFO"},
        "django_tasks": {"handlers": ["console"], "level": "WARNING"},
        # The extractors log every page they give up on; our own log says why, once.
        "trafilatura": {"level": "ERROR"},
        "readability": {"level": "ERROR"},
        "htmldate": {"level": "ERROR"},
    },
}


@dataclass(frozen=True)
class Tuning:
    """Values handed down to the fetcher, the scheduler and the processes (read once here)."""

    allow_networks: tuple[str, ...]
    fetch_timeout: float
    fetch_max_bytes: int
    fetch_per_host: int
    fetch_concurrency: int
    refresh_batch: int
    parse_workers: int
    fulltext_batch: int
    fulltext_per_host: int
    min_interval: int
    max_interval: int
    scheduler_tick: float
    worker_threads: int
    bind: str


NEWSSTAND = Tuning(
    allow_networks=tuple(
        n.strip() for n in env("NEWSSTAND_ALLOW_NETWORKS").split(",") if n.strip()
    ),
    fetch_timeout=float(env("NEWSSTAND_FETCH_TIMEOUT")),
    fetch_max_bytes=int(env("NEWSSTAND_FETCH_MAX_BYTES")),
    fetch_per_host=int(env("NEWSSTAND_FETCH_PER_HOST")),
    fetch_concurrency=int(env("NEWSSTAND_FETCH_CONCURRENCY")),
    refresh_batch=int(env("NEWSSTAND_REFRESH_BATCH")),
    parse_workers=int(env("NEWSSTAND_PARSE_WORKERS")),
    fulltext_batch=int(env("NEWSSTAND_FULLTEXT_BATCH")),
    fulltext_per_host=int(env("NEWSSTAND_FULLTEXT_PER_HOST")),
    min_interval=int(env("NEWSSTAND_MIN_INTERVAL")),
    max_interval=int(env("NEWSSTAND_MAX_INTERVAL")),
    scheduler_tick=float(env("NEWSSTAND_SCHEDULER_TICK")),
    worker_threads=int(env("NEWSSTAND_WORKER_THREADS")),
    bind=env("NEWSSTAND_BIND"),
)
