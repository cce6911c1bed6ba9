"""Fast, deterministic test settings. DATABASE_URL and REDIS_URL select the real services in CI."""

from config.env import env_bool

from .base import *  # noqa: F403

# A connection per request or task, whatever CONN_MAX_AGE says: test servers and workers must not hold connections.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests run tasks in-process unless a test asks for the real worker (tests/integration); worker processes that the
# integration tests start set CELERY_TASK_ALWAYS_EAGER=false so the tasks they queue go through the broker too.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# Tests read what a task did right after the request; the one that checks the background path turns it on.
EAGER_TASKS_IN_BACKGROUND = frozenset()
REPORT_FETCH_RETRY_DELAYS = (0, 0)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Rates no test reaches, not even fuzzing (thousands of requests a minute from one address and the same user ids);
# throttling tests lower them with the `settings` fixture.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {scope: "1000000/min" for scope in ("anon", "journalist", "reviewer", "editor", "login")},
}
# Throttle counts stay in this process whatever CACHE_URL says, so tests that clear the cache clear nothing shared.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
