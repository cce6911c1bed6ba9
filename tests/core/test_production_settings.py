"""Production settings refuse to start on a configuration that would serve readers wrongly, naming the variable."""

import importlib
import re
import secrets
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# What an operator who followed .env.example and docker-compose.yml sets (with their own secret).
VALID = {
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "factcheck.example.org",
    "SITE_URL": "https://factcheck.example.org",
    "REDIS_URL": "redis://redis:6379/0",
    "CACHE_URL": "redis://redis:6379/1",
}
# Read at import by the settings modules; each test starts from none of them set but VALID's.
_READ = (
    *VALID,
    "CELERY_BROKER_URL",
    "DEBUG",
    "LOG_LEVEL",
    "QUEUE_SWEEP_SECONDS",
    "HEALTH_SWEEP_MAX_AGE_SECONDS",
    "STATIC_ROOT",
    "DEFAULT_FROM_EMAIL",
    "SERVER_EMAIL",
    "FACTCHECK_PUBLISHER_NAME",
)


@pytest.fixture
def read_production_settings(monkeypatch):
    """config.settings.production (and base.py under it) read afresh with VALID plus these environment variables;
    a value of None unsets the variable. The modules in use come back after the test."""

    def read(**env: str | None):
        for name in _READ:
            monkeypatch.delenv(name, raising=False)
        for name, value in {**VALID, **env}.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        for name in ("base", "matching", "signin", "production"):
            monkeypatch.delitem(sys.modules, f"config.settings.{name}", raising=False)
        return importlib.import_module("config.settings.production")

    return read


def test_it_reads_the_documented_production_configuration(read_production_settings):
    production = read_production_settings()

    assert production.SITE_URL == "https://factcheck.example.org"
    assert production.CELERY_BROKER_URL == "redis://redis:6379/0"
    assert production.CELERY_TASK_ALWAYS_EAGER is False


# SITE_URL: every public link is built on it.


def test_it_refuses_to_start_without_a_site_url(read_production_settings):
    with pytest.raises(ImproperlyConfigured, match="SITE_URL must be set"):
        read_production_settings(SITE_URL=None)


@pytest.mark.parametrize(
    "site_url",
    ["https://127.0.0.1:8000", "https://localhost", "https://desk.localhost", "https://[::1]", "https://0.0.0.0"],
)
def test_it_refuses_a_site_url_on_this_machine(read_production_settings, site_url):
    with pytest.raises(ImproperlyConfigured, match=r"SITE_URL=.* names this machine"):
        read_production_settings(SITE_URL=site_url)


def test_it_refuses_a_plain_http_site_url(read_production_settings):
    with pytest.raises(ImproperlyConfigured, match=r"SITE_URL=.http://factcheck\.example\.org. must start with https"):
        read_production_settings(SITE_URL="http://factcheck.example.org")


# SECRET_KEY: a key anyone can read signs nobody's sessions.


def _example_secret_key() -> str:
    lines = (settings.BASE_DIR / ".env.example").read_text().splitlines()
    return next(line.split("=", 1)[1] for line in lines if line.startswith("SECRET_KEY="))


@pytest.mark.parametrize(
    "secret_key",
    [
        pytest.param(None, id="unset"),
        pytest.param("s3cr3t-" * 6, id="short"),
        pytest.param("ab" * 40, id="few-characters"),
        pytest.param("django-insecure-" + secrets.token_urlsafe(64), id="django-insecure"),
        pytest.param("dev-only-insecure-key-do-not-use-in-production" + "x" * 10, id="development-key"),
        pytest.param("CHANGE-ME-" + secrets.token_urlsafe(50), id="change-me"),
    ],
)
def test_it_refuses_an_insecure_secret_key(read_production_settings, secret_key):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set to a random value"):
        read_production_settings(SECRET_KEY=secret_key)


def test_it_refuses_the_secret_key_of_the_example_environment(read_production_settings):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set to a random value"):
        read_production_settings(SECRET_KEY=_example_secret_key())


# The broker and the shared cache: without them tasks run inside requests and rate limits count per process.


def test_it_refuses_to_start_without_a_broker(read_production_settings):
    with pytest.raises(ImproperlyConfigured, match=r"REDIS_URL \(or CELERY_BROKER_URL\) must name the broker"):
        read_production_settings(REDIS_URL=None)


def test_it_takes_another_broker_than_redis(read_production_settings):
    production = read_production_settings(REDIS_URL=None, CELERY_BROKER_URL="amqp://guest:guest@rabbitmq:5672//")

    assert production.CELERY_BROKER_URL == "amqp://guest:guest@rabbitmq:5672//"
    assert production.CELERY_TASK_ALWAYS_EAGER is False


def test_it_refuses_to_start_without_a_shared_cache(read_production_settings):
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL must point at a shared cache"):
        read_production_settings(CACHE_URL=None)


def test_it_refuses_a_cache_in_the_brokers_database(read_production_settings):
    with pytest.raises(ImproperlyConfigured, match="is the broker's database"):
        read_production_settings(CACHE_URL="redis://redis:6379/0")


def test_it_refuses_a_cache_url_that_is_not_redis(read_production_settings):
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL='http://cache:80' must be a Redis URL"):
        read_production_settings(CACHE_URL="http://cache:80")


# A bad value stops start-up with a message that names the variable and says what it takes, rather than failing on
# the first request (a rate), in a traceback that names nothing (a log level), or not at all (a sweep every 0 s).


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("THROTTLE_ANON", "abc", "THROTTLE_ANON='abc' is not a rate; use <requests>/<period>"),
        ("THROTTLE_LOGIN", "10/fortnight", "THROTTLE_LOGIN='10/fortnight' is not a rate"),
        ("THROTTLE_EDITOR", "0/min", "THROTTLE_EDITOR='0/min' is not a rate"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL='LOUD' is not a log level; use one of DEBUG, INFO, WARNING"),
        ("QUEUE_SWEEP_SECONDS", "0", "QUEUE_SWEEP_SECONDS='0' is too small; use a whole number of at least 1"),
        ("WEBHOOK_SWEEP_SECONDS", "-5", "WEBHOOK_SWEEP_SECONDS='-5' is too small"),
        ("REPORT_SWEEP_SECONDS", "0", "REPORT_SWEEP_SECONDS='0' is too small"),
        ("MATCHING_REENCODE_SECONDS", "0", "MATCHING_REENCODE_SECONDS='0' is too small"),
        ("SLA_NORMAL_VERDICT_HOURS", "-1", "SLA_NORMAL_VERDICT_HOURS='-1' is too small"),
        ("SLA_HIGH_ACCEPT_HOURS", "0", "SLA_HIGH_ACCEPT_HOURS='0' is too small"),
        ("UNROUTABLE_ALERT_MINUTES", "0", "UNROUTABLE_ALERT_MINUTES='0' is too small"),
        (
            "HEALTH_SWEEP_MAX_AGE_SECONDS",
            "30",
            "HEALTH_SWEEP_MAX_AGE_SECONDS='30' is too small; use a whole number of at least 60",
        ),
        ("TIP_RATE_LIMIT", "0", "TIP_RATE_LIMIT='0' is too small"),
        ("TIP_RATE_WINDOW_SECONDS", "-3600", "TIP_RATE_WINDOW_SECONDS='-3600' is too small"),
        ("TRUSTED_PROXY_COUNT", "-1", "TRUSTED_PROXY_COUNT='-1' is too small; use a whole number of at least 0"),
        ("WEBHOOK_MAX_ATTEMPTS", "0", "WEBHOOK_MAX_ATTEMPTS='0' is too small"),
        ("LOGIN_FAILURE_LIMIT", "0", "LOGIN_FAILURE_LIMIT='0' is too small"),
        ("CONN_MAX_AGE", "-1", "CONN_MAX_AGE='-1' is too small"),
        ("SLA_LOW_ACCEPT_HOURS", "soon", "SLA_LOW_ACCEPT_HOURS='soon' is not a whole number; use a whole number of"),
    ],
)
def test_it_refuses_a_bad_value_naming_the_variable_and_what_it_takes(read_production_settings, name, value, expected):
    with pytest.raises(ImproperlyConfigured, match=re.escape(expected)):
        read_production_settings(**{name: value})


def test_it_takes_rates_and_log_levels_as_people_write_them(read_production_settings):
    production = read_production_settings(THROTTLE_ANON="30/Hour", THROTTLE_LOGIN="5/s", LOG_LEVEL="warning")

    assert production.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"] == "30/hour"
    assert production.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["login"] == "5/s"
    assert production.LOG_LEVEL == "WARNING"


def test_it_checks_the_health_checks_sweep_age_against_the_sweep_interval(read_production_settings):
    production = read_production_settings(QUEUE_SWEEP_SECONDS="10", HEALTH_SWEEP_MAX_AGE_SECONDS=None)

    assert production.HEALTH_SWEEP_MAX_AGE_SECONDS == 50
    with pytest.raises(ImproperlyConfigured, match="at least 10"):
        read_production_settings(QUEUE_SWEEP_SECONDS="10", HEALTH_SWEEP_MAX_AGE_SECONDS="9")


# Where static files go, and who the mail is from.


def test_it_collects_static_files_where_static_root_says(read_production_settings, tmp_path):
    default, elsewhere = read_production_settings(), read_production_settings(STATIC_ROOT=str(tmp_path))

    roots = [default.STATIC_ROOT, elsewhere.STATIC_ROOT]
    assert roots == [settings.BASE_DIR / "staticfiles", tmp_path]
    with pytest.raises(ImproperlyConfigured, match="STATIC_ROOT='static' is not an absolute path"):
        read_production_settings(STATIC_ROOT="static")


def test_it_sends_mail_from_the_sites_host_unless_told_otherwise(read_production_settings):
    production = read_production_settings(FACTCHECK_PUBLISHER_NAME="Smith, Jones & Co")

    assert production.DEFAULT_FROM_EMAIL == '"Smith, Jones & Co" <noreply@factcheck.example.org>'
    assert production.SERVER_EMAIL == production.DEFAULT_FROM_EMAIL

    told = read_production_settings(DEFAULT_FROM_EMAIL="desk@example.org", SERVER_EMAIL="errors@example.org")
    assert (told.DEFAULT_FROM_EMAIL, told.SERVER_EMAIL) == ("desk@example.org", "errors@example.org")
