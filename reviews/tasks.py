"""Celery tasks of the queue: thin, take ids, safe to run twice."""

from celery import shared_task

from reviews import services


@shared_task(name="reviews.route_claim", autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def route_claim(claim_id: int) -> int | None:
    assignment = services.route_claim(claim_id=claim_id)
    return assignment.pk if assignment else None


@shared_task(name="reviews.sweep_queue")
def sweep_queue() -> int:
    """Periodic (celery beat): route queued claims that now have an eligible reviewer."""
    return services.route_waiting_claims()
