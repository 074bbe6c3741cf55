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
from newsstand.core.errors import ConfigurationError
from newsstand.core.mail_url import MailTransport, parse_mail_url
from newsstand.core.meter import WallPolicy

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
    "NEWSSTAND_PUBLIC_URL": (
        "",
        "The site's public address (https://news.example.org); https makes cookies Secure.",
    ),
    "NEWSSTAND_TRUSTED_PROXY_COUNT": (
        "0",
        "Reverse proxies in front whose X-Forwarded-For names the client (0: none).",
    ),
    "NEWSSTAND_CACHE_URL": (
        "",
        "Cache shared by every web process: empty: the database; redis://host:6379/0: Redis.",
    ),
    "NEWSSTAND_EMAIL_URL": (
        "",
        "Where mail goes (smtp://, smtp+starttls://, smtps://, console:, file:///folder).",
    ),
    "NEWSSTAND_EMAIL_FROM": ("Newsstand <newsstand@localhost>", "Sender of Newsstand's mail."),
    "NEWSSTAND_TRIAL_DAYS": ("14", "Days of full access a newly verified member gets."),
    "NEWSSTAND_FREE_ARTICLES": (
        "3",
        "Full articles a visitor may read per 30 days (-1: no wall; 0: every article walled).",
    ),
    "NEWSSTAND_WALL_ADDRESS_CAP": (
        "50",
        "Free full articles per client address per day, all visitors together (-1: no cap).",
    ),
    "NEWSSTAND_BILLING": ("manual", "Billing provider: manual (operators grant) or stripe."),
    "NEWSSTAND_STRIPE_SECRET_KEY": ("", "Stripe API secret key (sk_…), with stripe billing."),
    "NEWSSTAND_STRIPE_WEBHOOK_SECRET": ("", "Stripe webhook signing secret (whsec_…)."),
    "NEWSSTAND_STRIPE_API_URL": ("https://api.stripe.com", "Stripe API base address."),
    "NEWSSTAND_DEMO": (
        "false",
        "Demo mode (set by `newsstand demo`): feed health readable by every visitor.",
    ),
    "NEWSSTAND_IMAGES": (
        "proxy",
        "Publishers' pictures: proxy (fetched, resized, served by Newsstand), direct, or off.",
    ),
    "NEWSSTAND_IMAGE_CACHE_MB": ("512", "Largest size of the picture cache on disk, in MiB."),
    "NEWSSTAND_IMAGE_MAX_BYTES": ("8388608", "Largest picture fetched, in bytes."),
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
NEWSSTAND_DEMO = env_bool("NEWSSTAND_DEMO")
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
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "newsstand.sources",
    "newsstand.articles",
    "newsstand.stories",
    "newsstand.members",
    # Before allauth: its pages are drawn with the reader's templates (web/templates/).
    "newsstand.web",
    "allauth",
    "allauth.account",
    "allauth.mfa",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The interface language: the footer's choice (a cookie), else Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "newsstand.web.middleware.ContentSecurityPolicyMiddleware",
    "newsstand.web.middleware.PrivatePagesMiddleware",
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsstand.web.context.reader",
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
        "QUEUES": ["default", "fetch", "fulltext", "enrich", "images"],
    }
}

LANGUAGE_CODE = "en"
# The languages the interface is translated into, each named in itself (the footer's
# switch shows these names). Catalogues: src/newsstand/locale/ (docs/translating.md).
LANGUAGES = [("en", "English"), ("fr", "Français"), ("de", "Deutsch"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600  # the footer's choice is remembered for a year
LANGUAGE_COOKIE_SAMESITE = "Lax"
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
PUBLIC_URL = env("NEWSSTAND_PUBLIC_URL").strip().rstrip("/")
HTTPS = PUBLIC_URL.startswith("https://")
if PUBLIC_URL:
    CSRF_TRUSTED_ORIGINS = [PUBLIC_URL]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SAMESITE = "Lax"

# --- caches -------------------------------------------------------------------------
# "default" is shared by every web process (rate limits, the wall's address cap):
# the database (table made by a migration of newsstand.members) or Redis. "local" is
# per process, for read-side values that may be a minute old (languages present...).
CACHE_TABLE = "newsstand_cache"


def _shared_cache(url: str) -> dict[str, object]:
    if url in {"", "db:"}:
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            # Rate-limit entries must not be culled early: an attacker could flood the
            # cache with keys to make it forget the counts (the default keeps 300).
            "OPTIONS": {"MAX_ENTRIES": 200_000, "CULL_FREQUENCY": 4},
        }
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ConfigurationError(
        f"NEWSSTAND_CACHE_URL {url!r}: leave it empty (the database) or give redis://host:port/db"
    )


CACHES = {
    "default": _shared_cache(env("NEWSSTAND_CACHE_URL").strip()),
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ns"},
}

# --- accounts (django-allauth) ----------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",  # the admin's username login
    "allauth.account.auth_backends.AuthenticationBackend",  # members sign in by e-mail
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    # Hashes made before Argon2 still verify, and are re-hashed with Argon2 at sign-in.
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 3600  # a reset link works for one hour, once
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:account"
ACCOUNT_LOGOUT_REDIRECT_URL = "web:front"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # the link opens a page with a button: scanners can't
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_EMAIL_NOTIFICATIONS = True  # "your password was changed", "your address changed"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Newsstand] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"
ACCOUNT_ADAPTER = "newsstand.web.accounts.adapter.AccountAdapter"
# Kept in the shared cache; written out (allauth's defaults) so that the limits are read
# here. Over a limit, sign-in says "Too many failed login attempts" (even to the right
# password) and the other forms answer 429.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
    "request_login_code": "20/m/ip,3/m/key",
}
ALLAUTH_TRUSTED_PROXY_COUNT = int(env("NEWSSTAND_TRUSTED_PROXY_COUNT"))
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Newsstand"

# --- mail -----------------------------------------------------------------------------
MAIL: MailTransport = parse_mail_url(env("NEWSSTAND_EMAIL_URL") or (DATA_DIR / "outbox").as_uri())
EMAIL_BACKEND = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
}[MAIL.kind]
EMAIL_HOST, EMAIL_PORT = MAIL.host, MAIL.port
EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = MAIL.username, MAIL.password
EMAIL_USE_TLS, EMAIL_USE_SSL = MAIL.starttls, MAIL.tls
EMAIL_FILE_PATH = MAIL.folder
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = SERVER_EMAIL = env("NEWSSTAND_EMAIL_FROM")

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
    images: str
    image_cache_bytes: int
    image_max_bytes: int


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
    images=env("NEWSSTAND_IMAGES").strip().lower(),
    image_cache_bytes=int(env("NEWSSTAND_IMAGE_CACHE_MB")) * 1024 * 1024,
    image_max_bytes=int(env("NEWSSTAND_IMAGE_MAX_BYTES")),
)


@dataclass(frozen=True)
class Members:
    """Values handed down to the membership use cases and the wall (read once here)."""

    trial_days: int
    wall: WallPolicy
    billing: str  # "manual" or "stripe"
    stripe_secret_key: str
    stripe_webhook_secret: str
    stripe_api_url: str


def _members() -> Members:
    billing = env("NEWSSTAND_BILLING").strip().lower()
    if billing not in {"manual", "stripe"}:
        raise ConfigurationError(f"NEWSSTAND_BILLING {billing!r}: manual or stripe")
    return Members(
        trial_days=int(env("NEWSSTAND_TRIAL_DAYS")),
        wall=WallPolicy(
            allowance=int(env("NEWSSTAND_FREE_ARTICLES")),
            address_cap=int(env("NEWSSTAND_WALL_ADDRESS_CAP")),
        ),
        billing=billing,
        stripe_secret_key=env("NEWSSTAND_STRIPE_SECRET_KEY"),
        stripe_webhook_secret=env("NEWSSTAND_STRIPE_WEBHOOK_SECRET"),
        stripe_api_url=env("NEWSSTAND_STRIPE_API_URL").rstrip("/"),
    )


NEWSSTAND_MEMBERS = _members()
