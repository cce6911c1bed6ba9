"""Production: secrets and hosts must come from the environment; HTTPS everywhere."""

import ipaddress
from urllib.parse import urlsplit

from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_str

from .base import *  # noqa: F403

IS_PRODUCTION = True
DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY") or ""
# Refused: what Django's own deployment check calls insecure (too short, too few different characters, its
# "django-insecure-" prefix), our development key, and placeholders such as .env.example's, which are public.
_PLACEHOLDER_WORDS = ("change-me", "changeme", "change_me", "replace-me", "placeholder", "your-secret", "dev-only")
if (
    len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH
    or len(set(SECRET_KEY)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
    or SECRET_KEY.startswith(SECRET_KEY_INSECURE_PREFIX)
    or any(word in SECRET_KEY.lower() for word in _PLACEHOLDER_WORDS)
):
    raise ImproperlyConfigured(
        f"SECRET_KEY must be set to a random value of at least {SECRET_KEY_MIN_LENGTH} characters in production, not "
        "a placeholder; make one with: python -c 'import secrets; print(secrets.token_urlsafe(64))'"
    )
if ALLOWED_HOSTS == ["localhost", "127.0.0.1", "[::1]", "testserver"]:  # noqa: F405
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the public host(s) in production.")

# Every public link, ClaimReview, sitemap, feed and e-mail is built on SITE_URL: base.py's default (the development
# server's address) would publish links to 127.0.0.1. Only https: production redirects plain HTTP to it, marks
# cookies Secure and sends HSTS, so an http:// base would make every published link a redirect (or a dead end
# where nothing answers on port 80), and a verdict's ClaimReview URL would not be the page's own.
if not env_str("SITE_URL"):
    raise ImproperlyConfigured(
        "SITE_URL must be set to the site's public https:// address (e.g. https://factcheck.example.org) in "
        "production: public links, ClaimReview, sitemaps, feeds and e-mails are built on it."
    )
_site = urlsplit(SITE_URL)  # noqa: F405  (base.py has checked it is an absolute http(s) URL)
if _site.scheme != "https":
    raise ImproperlyConfigured(f"SITE_URL={SITE_URL!r} must start with https:// in production.")  # noqa: F405


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


if not _site.hostname or _is_loopback(_site.hostname):
    raise ImproperlyConfigured(
        f"SITE_URL={SITE_URL!r} names this machine, not the public site: readers could not follow its links."  # noqa: F405
    )

# Without a broker base.py runs every task inside the web request that sends it (routing, mail, webhooks, fetches),
# and a worker started with the same variables would wait on a broker nobody runs (Celery's amqp://localhost).
if not CELERY_BROKER_URL:  # noqa: F405
    raise ImproperlyConfigured(
        "REDIS_URL (or CELERY_BROKER_URL) must name the broker (e.g. redis://redis:6379/0) in production: without "
        "one, tasks would run inside web requests and no worker or beat could take them."
    )
CELERY_TASK_ALWAYS_EAGER = False

if not CACHE_URL:  # noqa: F405
    raise ImproperlyConfigured(
        "CACHE_URL must point at a shared cache (e.g. redis://redis:6379/1) in production: with one cache per "
        "process, other processes keep serving a corrected verdict's old page and count rate limits apart."
    )
# Cache entries are evicted and cleared; broker messages must not be: the cache gets a Redis database of its own.
if CACHE_URL.rstrip("/") == CELERY_BROKER_URL.rstrip("/"):  # noqa: F405
    raise ImproperlyConfigured(
        f"CACHE_URL={CACHE_URL!r} is the broker's database; give the cache another one (e.g. redis://redis:6379/1)."  # noqa: F405
    )

# gunicorn workers and celery processes live long: each keeps its connection for a minute instead of opening one per
# request. Sized by the number of worker processes (and threads), which must stay under PostgreSQL's max_connections.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60, minimum=0)  # noqa: F405

# One JSON object per log line unless LOG_FORMAT=text says otherwise (base.py has refused any other value).
LOG_FORMAT = env_str("LOG_FORMAT", "json")
LOGGING = logging_config(LOG_FORMAT, LOG_LEVEL)  # noqa: F405

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
# Load balancers probe the health check over plain HTTP inside the network; it carries no private data.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
