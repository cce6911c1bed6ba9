"""The one registry of Celery task names and outbound event names.

Apps send work to each other by name (a claim accepted in triage is routed by the desk, a status change becomes a
webhook event), so the sender never imports the receiver. Each name is declared here once; the task that answers to
it and every sender import the same constant, and Celery's routes in settings are keyed by them too.
"""

from enum import StrEnum


class Task(StrEnum):
    ROUTE_CLAIM = "reviews.route_claim"
    ROUTE_CLAIMS = "reviews.route_claims"
    SWEEP_QUEUE = "reviews.sweep_queue"
    NOTIFY_OFFER = "reviews.notify_offer"
    NOTIFY_OFFERS = "reviews.notify_offers"
    NOTIFY_ESCALATION = "reviews.notify_escalation"
    NOTIFY_UNROUTABLE = "reviews.notify_unroutable"
    EMIT_EVENT = "factcheck.emit_event"
    DELIVER_WEBHOOK = "factcheck.deliver_webhook"
    SWEEP_WEBHOOKS = "factcheck.sweep_webhooks"
    IMPORT_CLAIMREVIEW = "factcheck.import_claimreview"
    REFRESH_PUBLIC_VALUES = "factcheck.refresh_public_values"
    FETCH_REPORT = "claims.fetch_report"
    TRACK_REPORT = "claims.track_report"
    SWEEP_REPORTS = "claims.sweep_reports"
    REENCODE_MATCHING = "claims.reencode_matching"
    NOOP = "config.noop"


class Event(StrEnum):
    """What webhook subscribers can listen to."""

    CLAIM_STATUS_CHANGED = "claim.status_changed"
    FACTCHECK_PUBLISHED = "factcheck.published"
    FACTCHECK_CORRECTED = "factcheck.corrected"
    FACTCHECK_RETRACTED = "factcheck.retracted"
