"""Settings for a worker that fetches reports from this test machine's own loopback server: the development
settings (tasks go through the broker) with private hosts allowed, which no deployment can set from its environment."""

from config.settings.dev import *  # noqa: F403

FETCH_ALLOW_PRIVATE_HOSTS = True
REPORT_FETCH_RETRY_DELAYS = (0, 0)
