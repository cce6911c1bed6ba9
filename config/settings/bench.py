"""Settings for the web benchmark (bench/web.py): production-like, plus the ceiling views' URL map.

DEBUG is off (no query log, templates cached, errors not rendered with tracebacks); gunicorn's processes keep their
database connection as in production; the cache is the shared Redis cache production requires (CACHE_URL, set by
the bench); rate limits still run on every request but are set where the load never reaches them, since a bench
that measured 429 answers would measure nothing. Nothing else differs from the base settings, so the figures are the
service's own. Never used to serve readers: ROOT_URLCONF adds routes that only a benchmark wants.
"""

import os

from config.env import env_int

from .base import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "config.bench_urls"
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60, minimum=0)  # noqa: F405
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {
        scope: "100000000/min" for scope in ("anon", "journalist", "reviewer", "editor", "login")
    },
}
# collectstatic writes here (the manifest that {% static %} reads with DEBUG off), outside the working tree.
STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT", "/tmp/factcheck-bench-static")
# The bench's journalist: the write ceiling inserts claims in their name without authenticating.
BENCH_JOURNALIST = "bench-journalist0"
