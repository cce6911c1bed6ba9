"""The embedded default: SQLite file and in-process Celery unless DATABASE_URL / REDIS_URL say otherwise."""

from config.env import env_int

from .base import *  # noqa: F403

# runserver starts a thread per request: a connection kept past the request would outlive its thread (base.py).
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 0, minimum=0)  # noqa: F405
