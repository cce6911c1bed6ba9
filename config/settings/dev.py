"""The embedded default: SQLite file and in-process Celery unless DATABASE_URL / REDIS_URL say otherwise."""

from .base import *  # noqa: F403
