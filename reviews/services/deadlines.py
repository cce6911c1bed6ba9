"""The service levels an offer is made with: when it must be accepted and when its verdict is due."""

from datetime import datetime, timedelta

from django.conf import settings


def sla_deadlines(priority: str, offered_at: datetime) -> tuple[datetime, datetime]:
    """When an offer made at `offered_at` must be accepted, and when its verdict is due."""
    sla = settings.REVIEW_SLA_HOURS.get(priority, settings.REVIEW_SLA_HOURS["normal"])
    return offered_at + timedelta(hours=sla["accept"]), offered_at + timedelta(hours=sla["verdict"])
