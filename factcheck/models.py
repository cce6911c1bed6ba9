"""Django finds an app's models here; they live with the part of factcheck that owns them."""

from factcheck.integrations.models import ExternalFactCheck, WebhookDelivery, WebhookEndpoint, WebhookEvent
from factcheck.record.models import FactCheck, FactCheckVersion, Rating, RatingScale

__all__ = [
    "ExternalFactCheck",
    "FactCheck",
    "FactCheckVersion",
    "Rating",
    "RatingScale",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
]
