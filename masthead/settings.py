"""Masthead settings, read from the environment (see README, "Configuration").

Production is the default: DEBUG off, HTTPS assumed. `make run` turns HTTPS off for
plain-HTTP local use; tests use `masthead.settings_test`.
"""

from __future__ import annotations

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path
from zoneinfo import available_timezones

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from masthead.core.env import env_bool, env_list

PACKAGE_DIR = Path(__file__).resolve().parent.parent

DATA_DIR = Path(os.environ.get("MASTHEAD_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data dir.

    A fresh clone then runs without configuration, and sessions survive restarts.
    """
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("MASTHEAD_DEBUG", default=False)
HTTPS = env_bool("MASTHEAD_HTTPS", default=True)

# Demo sites answer on *.localhost; operators list their own domains.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or [".localhost", "localhost", "127.0.0.1", "[::1]"]
PORT = int(os.environ.get("PORT", "8000"))
MASTHEAD_NETWORK = os.environ.get("MASTHEAD_NETWORK", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "huey.contrib.djhuey",
    "axes",
    "masthead.core",
    "masthead.network",
    "masthead.newsroom",
    "masthead.wire",
    "masthead.markets",
    "masthead.search",
    "masthead.delivery",
    "masthead.reader",
    # The content API (/api/v1/); ninja installed so its docs page uses its own static files.
    "masthead.api",
    "ninja",
    # Webhooks from the network file's [[webhook]] tables, sent by the worker.
    "masthead.webhooks",
    "masthead.demo",
    "masthead.ops",
    # Benchmark tooling (`masthead bench populate`), outside the product's package.
    "masthead_bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # /api/: CORS for any origin, preflights and HEAD answered before the next one refuses
    # them (masthead/api/middleware.py).
    "masthead.api.middleware.ApiCorsMiddleware",
    # Outside /admin/: GET and HEAD only (405 otherwise), Content-Security-Policy and
    # Permissions-Policy (masthead/reader/security.py).
    "masthead.reader.security.ReaderSecurityMiddleware",
    # At most MASTHEAD_LOGIN_CONCURRENCY admin password checks at once; the others are told to
    # come back instead of holding a web thread (masthead/delivery/pagecache/editors.py).
    "masthead.delivery.pagecache.editors.LoginThrottleMiddleware",
    # A database error (unreachable, timed out) is a 503 with Retry-After, not a 500: from
    # here it also sees the ones raised by the middleware below (masthead/core/outage.py).
    "masthead.core.outage.DatabaseOutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETag from the content and 304 answers to If-None-Match / If-Modified-Since.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Sets the signed editor marker on admin responses: with it the page cache is skipped.
    "masthead.delivery.pagecache.editors.EditorCookieMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "masthead.reader.middleware.SiteMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "masthead.urls"
WSGI_APPLICATION = "masthead.wsgi.application"

TEMPLATES = [
    # Reader pages (masthead/reader/jinja2/): Jinja2, for render speed (see reader/jinja.py).
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "masthead.reader.jinja.environment"},
    },
    # The admin's own templates.
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

_default_db = f"sqlite:///{DATA_DIR / 'masthead.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_db), conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes; IMMEDIATE avoids
    # "database is locked" upgrades from read to write locks mid-transaction. 16 KB pages
    # (a new database only; an existing one keeps its size): an article row is 2-5 KB, which
    # left 4 KB pages a third empty and made every write touch more pages.
    DATABASES["default"]["CONN_MAX_AGE"] = 60
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; "
        "PRAGMA synchronous=NORMAL;",
    }
# A database that hangs fails a request in seconds (a 503, masthead/core/outage.py) instead of
# holding every web thread. Pages get MASTHEAD_DB_STATEMENT_TIMEOUT; a `masthead` command (the
# worker, migrate, ingest, bench ...) may run longer statements and gets
# MASTHEAD_DB_COMMAND_STATEMENT_TIMEOUT. Seconds; 0 is no limit. (SQLite: its busy timeout
# above, 20 s, is how long a write waits for the lock; readers never wait in WAL mode.)
MASTHEAD_DB_CONNECT_TIMEOUT = int(os.environ.get("MASTHEAD_DB_CONNECT_TIMEOUT", "5"))
MASTHEAD_DB_STATEMENT_TIMEOUT = float(os.environ.get("MASTHEAD_DB_STATEMENT_TIMEOUT", "15"))
MASTHEAD_DB_COMMAND_STATEMENT_TIMEOUT = float(
    os.environ.get("MASTHEAD_DB_COMMAND_STATEMENT_TIMEOUT", "600")
)
_COMMAND = (
    len(sys.argv) > 1
    and Path(sys.argv[0]).name in ("masthead", "manage.py", "django-admin")
    and sys.argv[1] != "runserver"
)
if "postgresql" in DATABASES["default"]["ENGINE"]:
    _seconds = MASTHEAD_DB_COMMAND_STATEMENT_TIMEOUT if _COMMAND else MASTHEAD_DB_STATEMENT_TIMEOUT
    _statement_ms = round(1000 * _seconds)
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options.setdefault("connect_timeout", MASTHEAD_DB_CONNECT_TIMEOUT)  # the URL's wins
    # Before any `options` the URL gives: a later -c wins, so the URL's own setting stays.
    # JIT off: on a million articles the planner's cost of a page's LIMIT 21 query passes
    # jit_above_cost, and compiling took 36 ms of a query that runs in 1 ms.
    _options["options"] = (
        f"-c statement_timeout={_statement_ms} -c jit=off {_options.get('options', '')}"
    )
    _options["options"] = _options["options"].strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "masthead",
        "url": REDIS_URL,
        "immediate": False,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "masthead",
        "filename": str(DATA_DIR / "queue.sqlite3"),
        "immediate": False,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }

# Admin logins. django-axes counts failures per username and address (REMOTE_ADDR: behind a
# proxy every client shares its address, and the lock is then per username) and refuses that
# pair for a while after too many; its backend comes first and answers a locked pair without
# checking the password. Django's default PBKDF2 hasher is kept: one check costs 0.2-0.3 s of
# one core (docs/reliability.md), which is why at most MASTHEAD_LOGIN_CONCURRENCY of them run at
# once in a web process.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Staff get the permissions of their role on the sites they work on (newsroom/roles.py).
    "masthead.newsroom.roles.RoleBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("MASTHEAD_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("MASTHEAD_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True  # a typo or two before the right password is forgotten
AXES_LOCKOUT_CALLABLE = "masthead.delivery.pagecache.editors.lockout_response"
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)  # never a header a client can write
MASTHEAD_LOGIN_CONCURRENCY = int(os.environ.get("MASTHEAD_LOGIN_CONCURRENCY", "1"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
# The reader's own words (menus, labels, dates) are translated here; Django's catalogue covers
# the rest of the languages sites may use.
LOCALE_PATHS = [Path(__file__).resolve().parent / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
# Let Django answer /media/ (tests, a quick look); `masthead serve` has granian do it instead.
MASTHEAD_SERVE_MEDIA = env_bool("MASTHEAD_SERVE_MEDIA", default=False)
WIRE_DIR = DATA_DIR / "wire"

# Security: sane defaults behind HTTPS, relaxed only for plain-HTTP local runs.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# Every response but the admin's (masthead/reader/security.py). script-src and style-src are
# added at start-up: 'self' and the hashes of the reader templates' inline blocks.
MASTHEAD_CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
MASTHEAD_PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), display-capture=(), "
    "geolocation=(), gyroscope=(), interest-cohort=(), magnetometer=(), microphone=(), "
    "midi=(), payment=(), usb=()"
)
SESSION_COOKIE_HTTPONLY = True
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("MASTHEAD_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(os.environ.get("MASTHEAD_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MASTHEAD_LOG_LEVEL", "INFO")},
    # Our handler on huey's logger: run_huey then adds none of its own (no doubled lines), and
    # the worker reports problems, not every periodic task it runs.
    "loggers": {
        "huey": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # django-axes: each failed login and lockout (warnings), not a banner at every start.
        "axes": {"level": "WARNING"},
    },
}

# Pluggable parts: a BACKEND class path each, loaded with import_string.
# Tried in this order when the format is not forced; plain text accepts any text, so it is last.
MASTHEAD_WIRE_PARSERS = [
    {"BACKEND": "masthead.wire.parsers.ninjs.NinjsParser"},
    {"BACKEND": "masthead.wire.parsers.newsml1.NewsML1Parser"},
    {"BACKEND": "masthead.wire.parsers.newsml.NewsMLParser"},
    {"BACKEND": "masthead.wire.parsers.nitf.NitfParser"},
    {"BACKEND": "masthead.wire.parsers.feed.FeedParser"},
    {"BACKEND": "masthead.wire.parsers.page.PageTextParser"},
    {"BACKEND": "masthead.wire.parsers.text.TextParser"},
]
# The zone the admin shows and reads times in; empty: the first site's zone.
# The provider the newsroom's own stories are kept under, beside the agencies' (wire routes may
# name it in `providers` to route them; newsroom/services/writing.py).
MASTHEAD_LOCAL_PROVIDER = os.environ.get("MASTHEAD_LOCAL_PROVIDER", "local").strip() or "local"
MASTHEAD_NEWSROOM_TIMEZONE = os.environ.get("MASTHEAD_NEWSROOM_TIMEZONE", "").strip()
if MASTHEAD_NEWSROOM_TIMEZONE and MASTHEAD_NEWSROOM_TIMEZONE not in available_timezones():
    raise ImproperlyConfigured(
        f"MASTHEAD_NEWSROOM_TIMEZONE: {MASTHEAD_NEWSROOM_TIMEZONE!r} is not a time zone name "
        "such as Europe/Brussels"
    )
# Language of wire text that does not say (plain text without a Language header, page imports).
MASTHEAD_WIRE_DEFAULT_LANGUAGE = (
    os.environ.get("MASTHEAD_WIRE_DEFAULT_LANGUAGE", "en").strip().lower() or "en"
)
MASTHEAD_WIRE_MAX_BYTES = 20 * 1024 * 1024
# Drop folders are looked at this often by the worker (seconds); feeds follow their `every`.
MASTHEAD_WIRE_POLL_SECONDS = float(os.environ.get("MASTHEAD_WIRE_POLL_SECONDS", "2"))
MASTHEAD_WIRE_FETCH_TIMEOUT = 10.0  # seconds, for feeds and remote pictures
MASTHEAD_WIRE_PICTURE_MAX_BYTES = 15 * 1024 * 1024
# Remote picture renditions (http URLs in wire items) are downloaded at ingest when on.
MASTHEAD_WIRE_FETCH_PICTURES = env_bool("MASTHEAD_WIRE_FETCH_PICTURES", default=True)
# Picture URLs come from agency copy: only public internet addresses are fetched, unless the
# agency's picture server is on the operator's own network (then turn this on).
MASTHEAD_WIRE_FETCH_PRIVATE = env_bool("MASTHEAD_WIRE_FETCH_PRIVATE", default=False)
# Picture renditions made at ingest (WebP + JPEG each), for srcset; the original width is added.
MASTHEAD_RENDITION_WIDTHS = [320, 640, 960]
# Pictures with more pixels are refused from their header, before decoding (a few kilobytes of
# PNG can promise 59 million pixels: 787 MB to decode here); their story goes out without them.
MASTHEAD_PICTURE_MAX_PIXELS = int(os.environ.get("MASTHEAD_PICTURE_MAX_PIXELS", "40000000"))
# HTTP caching of public pages (seconds): browsers, shared caches, and how long a cache may
# serve a stale copy while it refetches or while Masthead is unreachable.
MASTHEAD_CACHE_BROWSER_SECONDS = int(os.environ.get("MASTHEAD_CACHE_BROWSER_SECONDS", "60"))
MASTHEAD_CACHE_SHARED_SECONDS = int(os.environ.get("MASTHEAD_CACHE_SHARED_SECONDS", "300"))
MASTHEAD_CACHE_STALE_SECONDS = 60
MASTHEAD_CACHE_STALE_IF_ERROR_SECONDS = 86400
# Market data (masthead/markets): providers per kind, first one first; a second one only
# confirms suspect moves. The default replays a synthetic series made here (offline).
_QUOTES_FILE = os.environ.get("MASTHEAD_QUOTES_FILE", "")
_REPLAY = {
    "BACKEND": "masthead.markets.providers.replay.ReplayProvider",
    "OPTIONS": {"thin": ["RBGPF"]},
}
_FILE = {
    "BACKEND": "masthead.markets.providers.file.FileProvider",
    "OPTIONS": {"location": _QUOTES_FILE},
}
MASTHEAD_MARKET_PROVIDERS = {
    "stocks": [_FILE if _QUOTES_FILE else _REPLAY],
    "currencies": [
        {"BACKEND": "masthead.markets.providers.ecb.EcbProvider"}
        if env_bool("MASTHEAD_QUOTES_ECB", default=False)
        else _FILE
        if _QUOTES_FILE
        else _REPLAY
    ],
}
MASTHEAD_QUOTE_SUSPECT_MOVE = float(os.environ.get("MASTHEAD_QUOTE_SUSPECT_MOVE", "25"))
MASTHEAD_QUOTE_REFRESH_SECONDS = int(os.environ.get("MASTHEAD_QUOTE_REFRESH_SECONDS", "60"))
MASTHEAD_QUOTE_STALE_AFTER = 20 * 60  # seconds without news while the market is open
MASTHEAD_PAGE_SIZE = 20
# A feed item carries the first this many characters of its article's text (0: all of it).
MASTHEAD_FEED_BODY_CHARS = int(os.environ.get("MASTHEAD_FEED_BODY_CHARS", "5000"))
# The parts of the network file other apps own: checked with the file, applied in its
# transaction (network/spec.py, network/services.py).
MASTHEAD_NETWORK_CHECKS = [
    "masthead.wire.network.sources_check",
    "masthead.webhooks.network.webhooks_check",
]
MASTHEAD_NETWORK_APPLIERS = [
    "masthead.wire.network.sources_apply",
    "masthead.webhooks.network.webhooks_apply",
]
# Told, in its transaction, of each load of the network file: who and what changed.
MASTHEAD_NETWORK_RECORDERS = ["masthead.newsroom.services.audit.network_load_record"]
# Told, after commit, which sites changed (network/events.py).
MASTHEAD_NETWORK_LISTENERS = ["masthead.delivery.pagecache.invalidate.pages_invalidate_sites"]
# Called with the ids of changed articles after each commit (see masthead/newsroom/events.py).
MASTHEAD_ARTICLE_LISTENERS = [
    "masthead.search.services.search_index_articles",
    "masthead.delivery.pagecache.invalidate.pages_invalidate",
    "masthead.delivery.pagecache.invalidate.front_caches_purge",
    "masthead.webhooks.events.webhooks_article_changed",
]
# Queue a prompt send when the article listener writes deliveries (off: the worker's
# minute round sends them).
MASTHEAD_WEBHOOKS_SEND_AT_ONCE = env_bool("MASTHEAD_WEBHOOKS_SEND_AT_ONCE", default=True)
# Days the delivery log keeps sent and given-up deliveries (the worker deletes older ones
# each night; pending ones stay); 0 keeps them all.
MASTHEAD_WEBHOOKS_KEEP_DAYS = int(os.environ.get("MASTHEAD_WEBHOOKS_KEEP_DAYS", "30"))
# Told, after commit, the sites whose breaking-news strip went up or came down: every page of
# them shows it (masthead/newsroom/services/breaking.py).
MASTHEAD_BREAKING_LISTENERS = ["masthead.delivery.pagecache.invalidate.pages_invalidate_sites"]
# A breaking-news strip ends this long after its story's last urgent version (or an editor's
# flag), unless a chief ends it sooner.
MASTHEAD_BREAKING_MINUTES = int(os.environ.get("MASTHEAD_BREAKING_MINUTES", "60"))
# Caches or CDNs in front, purged by surrogate key after each change (masthead/delivery/purgers).
MASTHEAD_FRONT_CACHES: dict[str, dict[str, object]] = {}
if os.environ.get("MASTHEAD_PURGE_VARNISH"):
    MASTHEAD_FRONT_CACHES["varnish"] = {
        "BACKEND": "masthead.delivery.purgers.varnish.VarnishPurger",
        "OPTIONS": {"servers": env_list("MASTHEAD_PURGE_VARNISH")},
    }
if os.environ.get("MASTHEAD_PURGE_FASTLY_SERVICE"):
    MASTHEAD_FRONT_CACHES["fastly"] = {
        "BACKEND": "masthead.delivery.purgers.fastly.FastlyPurger",
        "OPTIONS": {
            "service_id": os.environ["MASTHEAD_PURGE_FASTLY_SERVICE"],
            "token": os.environ.get("MASTHEAD_PURGE_FASTLY_TOKEN", ""),
        },
    }
# Rendered public pages, served before Django runs (masthead/delivery/pagecache): files shared by
# the processes of one machine, or Redis shared by all machines when REDIS_URL is set.
MASTHEAD_PAGE_CACHE_ENABLED = env_bool("MASTHEAD_PAGE_CACHE", default=True)
# Bounds: the file store's bytes on disk (evicting the soonest to expire first), and each web
# process's copy of its hottest pages in memory (least recently used first). Redis is bounded
# by its own maxmemory (docs/reliability.md).
MASTHEAD_PAGE_CACHE_MAX_MB = float(os.environ.get("MASTHEAD_PAGE_CACHE_MAX_MB", "256"))
MASTHEAD_PAGE_CACHE_MEMORY_MB = float(os.environ.get("MASTHEAD_PAGE_CACHE_MEMORY_MB", "32"))
# An expired page is kept this long after its expiry, to be answered (X-Cache: STALE) instead
# of an error page while the database is down; then it is deleted.
MASTHEAD_PAGE_CACHE_STALE_SECONDS = int(os.environ.get("MASTHEAD_PAGE_CACHE_STALE_SECONDS", "3600"))
MASTHEAD_PAGE_CACHE = {
    "BACKEND": (
        "masthead.delivery.pagecache.redis.RedisPageCache"
        if REDIS_URL
        else "masthead.delivery.pagecache.file.FilePageCache"
    ),
}
# Empty: chosen by the database engine (SQLite FTS5 or PostgreSQL full-text search).
# The search backend follows the database unless MASTHEAD_SEARCH_BACKEND names a class.
MASTHEAD_SEARCH = {
    "BACKEND": os.environ.get("MASTHEAD_SEARCH_BACKEND", "")
    or (
        "masthead.search.postgres.PostgresSearch"
        if DATABASES["default"]["ENGINE"].endswith("postgresql")
        else "masthead.search.sqlite.SqliteSearch"
    )
}
MASTHEAD_LATEST_COUNT = 8
