"""Django's admin finds its registrations here; each part of factcheck keeps its own."""

from factcheck.integrations import admin as integrations_admin  # noqa: F401
from factcheck.record import admin as record_admin  # noqa: F401
