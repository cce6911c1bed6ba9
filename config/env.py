"""Typed reads of environment variables that fail loudly, naming the variable, on a bad value."""

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
# DRF reads a rate as "<requests>/<period>" and looks only at the period's first letter; we accept the usual words.
_RATE = re.compile(r"^[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)s?$")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use one of true/false, 1/0, yes/no, on/off.")


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    """A whole number; with `minimum`, one at least that large (a sweep every 0 s or a deadline of -1 h is a typo)."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    expected = "a whole number" if minimum is None else f"a whole number of at least {minimum}"
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number; use {expected}.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} is too small; use {expected}.")
    return value


def env_fraction(name: str, default: float) -> float:
    """A number from 0 to 1 (a score threshold)."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number.") from None
    if not 0 <= value <= 1:
        raise ImproperlyConfigured(f"{name}={raw!r} must be between 0 and 1.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name: str, default: str, schemes: tuple[str, ...] = ("http", "https")) -> str:
    value = os.environ.get(name, default).rstrip("/")
    if value.split("://", 1)[0] not in schemes or "://" not in value:
        raise ImproperlyConfigured(f"{name}={value!r} must be an absolute URL starting with {' or '.join(schemes)}://")
    return value


def env_rate(name: str, default: str) -> str:
    """A rate limit such as 120/min: checked at start-up, since DRF would only fail on the first throttled request."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if not _RATE.match(value):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a rate; use <requests>/<period> with a period of s, min, hour or day, e.g. 120/min."
        )
    return value


def env_log_level(name: str, default: str) -> str:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().upper()
    if value not in LOG_LEVELS or not isinstance(logging.getLevelName(value), int):
        raise ImproperlyConfigured(f"{name}={raw!r} is not a log level; use one of {', '.join(LOG_LEVELS)}.")
    return value


def env_path(name: str, default: Path) -> Path:
    """An absolute directory path (a relative one would depend on the directory a process was started in)."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    path = Path(raw.strip())
    if not path.is_absolute():
        raise ImproperlyConfigured(f"{name}={raw!r} is not an absolute path; use e.g. /var/lib/factcheck/static.")
    return path


# What production settings refuse to start without: each entry is satisfied by any one of its names.
PRODUCTION_REQUIRED = (
    ("SECRET_KEY",),
    ("ALLOWED_HOSTS",),
    ("SITE_URL",),
    ("REDIS_URL", "CELERY_BROKER_URL"),
    ("CACHE_URL",),
)


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines as docker compose's env_file has them: blank lines and # comments skipped, quotes around a
    value removed, nothing expanded."""
    values = {}
    for number, line in enumerate(path.read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.removeprefix("export ").partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name.strip()):
            raise ImproperlyConfigured(f"{path}:{number} is not a NAME=value line.")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[name.strip()] = value
    return values


def check_deploy(env_file: str, command: list[str]) -> int:
    """Run `command` (manage.py check --deploy) under production settings with the operator's configuration: the
    variables of env_file when it exists (over the environment's, as compose gives them to its containers), else the
    environment's. Refuses, naming them, when a variable production requires is set in neither."""
    path = Path(env_file)
    env = {**os.environ, **(read_env_file(path) if path.is_file() else {})}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    missing = [" or ".join(names) for names in PRODUCTION_REQUIRED if not any(env.get(name) for name in names)]
    if missing:
        where = f"{path} or the environment"
        if not path.is_file():
            where = f"the environment, or in {path} (cp .env.example {path})"
        print(f"check-deploy: set {', '.join(missing)} in {where}.", file=sys.stderr)
        return 2
    print(f"check-deploy: production settings with {path if path.is_file() else 'the environment'}", file=sys.stderr)
    return subprocess.call(command, env=env)
