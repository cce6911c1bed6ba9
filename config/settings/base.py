"""Settings shared by every environment, read from environment variables with safe development defaults."""

from datetime import timedelta
from email.utils import formataddr
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from config.env import env_bool, env_int, env_list, env_log_level, env_path, env_rate, env_str, env_url
from core.logging import FORMATS as LOG_FORMATS
from core.logging import logging_config
from core.names import Task

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# Production settings turn this on; commands that create known passwords (load_demo) refuse to run then.
IS_PRODUCTION = False
DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = env_str("SECRET_KEY") or "dev-only-insecure-key-do-not-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000")
FACTCHECK_PUBLISHER_NAME = env_str("FACTCHECK_PUBLISHER_NAME", "Factcheck Desk")
# Who a verdict page credits: "names" (the reviewer's and the approving editor's full names, else usernames) or
# "roles" ("Checked by a reviewer, approved by an editor") for newsrooms that publish no names.
FACTCHECK_CREDITS = env_str("FACTCHECK_CREDITS", "names")
if FACTCHECK_CREDITS not in ("names", "roles"):
    raise ImproperlyConfigured(f"FACTCHECK_CREDITS={FACTCHECK_CREDITS!r}: use names or roles")

# The ClaimReview importer fetches other publishers' pages; it refuses private, loopback and link-local addresses
# (SSRF). Deliberately not read from the environment: only tests that serve pages locally turn it on.
FETCH_ALLOW_PRIVATE_HOSTS = False

# Reader tips: at most TIP_RATE_LIMIT submissions per client address in TIP_RATE_WINDOW_SECONDS. Behind a reverse
# proxy set TRUSTED_PROXY_COUNT to the number of proxies that append to X-Forwarded-For, or every reader shares
# the proxy's address (and one bucket); with 0 the header is ignored, so it cannot be forged to dodge the limit.
TIP_RATE_LIMIT = env_int("TIP_RATE_LIMIT", 5, minimum=1)
TIP_RATE_WINDOW_SECONDS = env_int("TIP_RATE_WINDOW_SECONDS", 3600, minimum=1)
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)

INSTALLED_APPS = [
    "reviews.admin_site.DeskAdminConfig",  # django.contrib.admin with the desk as its site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and ReDoc served from our static files: the API docs work offline
    "core",
    "claims",
    "factcheck",
    "reviews",
]

MIDDLEWARE = [
    # First: every answer, even a redirect or a refusal from the middleware below, carries X-Request-ID.
    "core.requestid.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "factcheck.site.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a sign-in refused for too many failures into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

from config.settings.matching import *  # noqa: E402, F403  (report ingestion and matching)
from config.settings.signin import *  # noqa: E402, F403  (axes: sign-in limits per account and address)

ROOT_URLCONF = "config.urls"
LOGIN_URL = "workspace:sign-in"
LOGIN_REDIRECT_URL = "workspace:home"
WSGI_APPLICATION = "config.wsgi.application"

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
                "factcheck.site.context_processors.publisher",
                "reviews.workspace.context.workspace_links",
            ],
        },
    },
]

# Persistent connections are off unless CONN_MAX_AGE (seconds) turns them on; production settings keep them 60 s.
# The development server runs every request in a new thread, and a connection kept for a thread that has ended is
# never reused or closed: with a positive age it leaks one connection per request until PostgreSQL refuses more.
# Long-lived workers (gunicorn, celery) reuse theirs; the health check replaces one the database has dropped.
try:
    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
            conn_max_age=env_int("CONN_MAX_AGE", 0, minimum=0),
            conn_health_checks=env_bool("CONN_HEALTH_CHECKS", default=True),
        )
    }
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL we understand: {exc}") from None

# Behind PgBouncer (or another pooler) in transaction mode, consecutive transactions of one Django connection may run
# on different server connections, so nothing may outlive a transaction (docs/operations.md). Django's .iterator()
# declares a server-side cursor WITH HOLD outside a transaction, which the next transaction cannot find: turn those
# off. Prepared statements live in the server session too: psycopg 3 prepares none with prepare_threshold None
# (Django's default, stated here so an OPTIONS change cannot turn them back on unnoticed).
PGBOUNCER_TRANSACTION_MODE = env_bool("PGBOUNCER_TRANSACTION_MODE", default=False)
if PGBOUNCER_TRANSACTION_MODE:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("PGBOUNCER_TRANSACTION_MODE=true needs a postgres:// DATABASE_URL.")
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DB_PREPARED_STATEMENTS", default=True
):
    # With the values written into the SQL, PostgreSQL plans every statement afresh: the verdict page's
    # eight-table join took 2.7 ms to plan and 0.35 ms to run. Bound on the server, a statement a connection has
    # run 5 times is prepared there and planned once for that connection (psycopg's prepare_threshold).
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves several threads (runserver, gunicorn --threads). A transaction that starts as a
    # reader and then writes cannot wait for another writer: SQLite fails it at once ("database is locked", a
    # 500), whatever the timeout. Taking the write lock at BEGIN lets writers queue for up to 20 s instead.
    DATABASES["default"].setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic writes and whitenoise serves from: the checkout's staticfiles/ unless STATIC_ROOT (an absolute
# path) puts it elsewhere, e.g. beside a read-only code directory.
STATIC_ROOT = env_path("STATIC_ROOT", BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# The sender of the desk's mail: the publisher at the site's own host name unless DEFAULT_FROM_EMAIL says otherwise
# (Django's webmaster@localhost is refused by many relays); SERVER_EMAIL, the sender of error mail, follows it.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or formataddr(
    (FACTCHECK_PUBLISHER_NAME, f"noreply@{urlsplit(SITE_URL).hostname}")
)
SERVER_EMAIL = env_str("SERVER_EMAIL") or DEFAULT_FROM_EMAIL
EMAIL_URL = env_str("EMAIL_URL", "console://")
if EMAIL_URL.startswith("console:"):
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
elif EMAIL_URL.startswith("smtp"):
    from urllib.parse import urlparse

    _email = urlparse(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST, EMAIL_PORT = _email.hostname, _email.port or 25
    EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = _email.username or "", _email.password or ""
    EMAIL_USE_TLS = _email.scheme == "smtp+tls"
else:
    raise ImproperlyConfigured(f"EMAIL_URL={EMAIL_URL!r}: use console:// or smtp://user:pass@host:port")

# Celery: without a broker configured, tasks run eagerly in-process (the embedded default).
REDIS_URL = env_str("REDIS_URL")

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or REDIS_URL
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
# In that embedded mode, tasks that wait on other servers run in a thread beside the request (core.dispatch).
EAGER_TASKS_IN_BACKGROUND = frozenset({Task.DELIVER_WEBHOOK, Task.IMPORT_CLAIMREVIEW, Task.FETCH_REPORT})
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Hard limits stay well below the broker's visibility timeout so a stuck task is killed before it is redelivered.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_DEFAULT_QUEUE = "default"
# Declared so a worker started without -Q consumes all of them and purges reach them all.
CELERY_TASK_QUEUES = [Queue("default"), Queue("routing"), Queue("notifications"), Queue("webhooks")]
CELERY_TASK_ROUTES = {
    Task.ROUTE_CLAIM: {"queue": "routing"},
    Task.ROUTE_CLAIMS: {"queue": "routing"},
    Task.SWEEP_QUEUE: {"queue": "routing"},
    Task.NOTIFY_OFFER: {"queue": "notifications"},
    Task.NOTIFY_OFFERS: {"queue": "notifications"},
    Task.NOTIFY_ESCALATION: {"queue": "notifications"},
    Task.NOTIFY_UNROUTABLE: {"queue": "notifications"},
    # A slow or dead receiver must not hold up routing or mail: webhooks wait on their own queue.
    Task.EMIT_EVENT: {"queue": "webhooks"},
    Task.DELIVER_WEBHOOK: {"queue": "webhooks"},
    Task.SWEEP_WEBHOOKS: {"queue": "webhooks"},
    # Fetching other publishers' pages is slow outbound HTTP too; it waits beside the webhooks, not in front of routing.
    Task.IMPORT_CLAIMREVIEW: {"queue": "webhooks"},
    Task.FETCH_REPORT: {"queue": "webhooks"},
    Task.SWEEP_REPORTS: {"queue": "webhooks"},
}
# Beat's intervals, in seconds: 0 or less would have beat send a sweep in a tight loop.
QUEUE_SWEEP_SECONDS = env_int("QUEUE_SWEEP_SECONDS", 60, minimum=1)
CELERY_BEAT_SCHEDULE = {
    "sweep-queue": {"task": Task.SWEEP_QUEUE, "schedule": timedelta(seconds=QUEUE_SWEEP_SECONDS)},
    # Events left pending and webhook retries that are due (factcheck/integrations/webhook_sweep.py).
    "sweep-webhooks": {
        "task": Task.SWEEP_WEBHOOKS,
        "schedule": timedelta(seconds=env_int("WEBHOOK_SWEEP_SECONDS", 15, minimum=1)),
    },
    # Reports whose fetch was lost (a broker outage, a killed worker) are fetched again.
    "sweep-reports": {
        "task": Task.SWEEP_REPORTS,
        "schedule": timedelta(seconds=env_int("REPORT_SWEEP_SECONDS", 60, minimum=1)),
    },
    # Match documents still holding another encoder's vectors after an upgrade get the current one's (one query when
    # there are none; claims/tasks.py).
    "reencode-matching": {
        "task": Task.REENCODE_MATCHING,
        "schedule": timedelta(seconds=env_int("MATCHING_REENCODE_SECONDS", 600, minimum=1)),
    },
}
# /healthz/ answers 503 when the queue sweep has not finished for this long (beat stopped, or every worker is stuck);
# less than one sweep interval would fail between every two sweeps.
HEALTH_SWEEP_MAX_AGE_SECONDS = env_int(
    "HEALTH_SWEEP_MAX_AGE_SECONDS", 5 * QUEUE_SWEEP_SECONDS, minimum=QUEUE_SWEEP_SECONDS
)

# Service levels by claim priority, in hours: an offer must be accepted within "accept" hours, and the verdict is
# due "verdict" hours after the offer. Override one figure with e.g. SLA_NORMAL_VERDICT_HOURS=36.
REVIEW_SLA_HOURS = {
    priority: {
        step: env_int(f"SLA_{priority.upper()}_{step.upper()}_HOURS", default, minimum=1)
        for step, default in steps.items()
    }
    for priority, steps in {
        "high": {"accept": 1, "verdict": 8},
        "normal": {"accept": 2, "verdict": 24},
        "low": {"accept": 8, "verdict": 72},
    }.items()
}
# Editors hear about a queued claim that no reviewer could take for this long.
UNROUTABLE_ALERT_MINUTES = env_int("UNROUTABLE_ALERT_MINUTES", 60, minimum=1)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.authentication.TokenWithRolesAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "core.filters.FilterBackend",
        "core.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.DeskPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api_errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "core.api_errors.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Anonymous readers by IP, members by their highest role (core.throttling); 429 answers carry Retry-After.
    "DEFAULT_THROTTLE_CLASSES": ["core.throttling.AnonReaderThrottle", "core.throttling.RoleRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("THROTTLE_ANON", "120/min"),
        "journalist": env_rate("THROTTLE_JOURNALIST", "600/min"),
        "reviewer": env_rate("THROTTLE_REVIEWER", "600/min"),
        "editor": env_rate("THROTTLE_EDITOR", "1200/min"),
        "login": env_rate("THROTTLE_LOGIN", "10/min"),
    },
    # The same trusted-proxy count as reader tips: with 0, anonymous callers are counted by REMOTE_ADDR, so a made-up
    # X-Forwarded-For does not buy a fresh allowance.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}

# The cache holds rendered public pages (core/page_cache.py), throttle and tip counters. In-process memory by
# default: each process has its own. With several web processes set CACHE_URL (a Redis database the broker does
# not use, e.g. redis://127.0.0.1:6379/1) so publications and rate limits are shared; production requires it.
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL and CACHE_URL.split("://", 1)[0] not in ("redis", "rediss", "unix"):
    # Any other address would be taken for a Redis host and fail on every call, and a cache that fails lets every
    # request through its rate limit (core.throttling): refused here rather than discovered under load.
    raise ImproperlyConfigured(f"CACHE_URL={CACHE_URL!r} must be a Redis URL: redis://, rediss:// or unix://")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.redis_cache.SharedClientRedisCache",  # one client per pool, not per call
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "factcheck",
            # A slow or absent Redis must not hold the site: core/page_cache.py builds pages without it on errors.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "factcheck",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# Webhooks: a delivery is tried this many times, waiting base * 2^(n-1) seconds after the n-th failure (30 s … 8 min).
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 6, minimum=1)
WEBHOOK_RETRY_BASE_SECONDS = env_int("WEBHOOK_RETRY_BASE_SECONDS", 30, minimum=1)
# Receivers on private, loopback, link-local or reserved addresses are refused (SSRF); tests allow a local server.
WEBHOOKS_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOKS_ALLOW_PRIVATE_TARGETS", default=False)

SPECTACULAR_SETTINGS = {
    "TITLE": "Factcheck Desk API",
    "DESCRIPTION": "Submit reports and claims, run the review desk and read published fact-checks.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several choice sets share a field name ("status" of claims and of reports, "kind" of claimants and of similar
    # items): each keeps one stable name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "ClaimStatusEnum": "claims.models.ClaimStatus",
        "ClaimPriorityEnum": "claims.models.Priority",
        "KindEnum": "claims.models.Claimant.Kind",
        "ReportStatusEnum": "claims.models.Report.Status",
        "SimilarItemKindEnum": "claims.matching.models.MatchDocument.Kind",
    },
}

# The largest report (claims.ingest.services.HTML_MAX, a million characters of HTML) in its widest encoding: JSON
# with \uXXXX escapes, six bytes a character. The workspace posts it as multipart (at most four bytes a character).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 8 * 1024 * 1024, minimum=1)
CSRF_FAILURE_VIEW = "core.error_pages.csrf_failure"  # JSON under /api/, a page that says what to do elsewhere

# Log lines go to stderr, as text for people (the default here) or one JSON object per line for a log shipper
# (LOG_FORMAT=json, the production default); both name the request id (core.requestid, core.logging).
LOG_LEVEL = env_log_level("LOG_LEVEL", "INFO")
LOG_FORMAT = env_str("LOG_FORMAT", "text")
if LOG_FORMAT not in LOG_FORMATS:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: use {' or '.join(LOG_FORMATS)}")
LOGGING = logging_config(LOG_FORMAT, LOG_LEVEL)
