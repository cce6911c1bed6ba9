"""Each desk e-mail goes out once per offer, overdue verdict and unroutable alert, however often its task runs; and
the queue sweep sends every one that never went out (a refused broker, a killed worker, a failed send)."""

import pytest
from django.core import mail


@pytest.fixture
def rita(reviewer):
    reviewer.email = "rita@example.org"
    reviewer.save(update_fields=["email"])
    return reviewer


# Where the offer e-mail sends the reviewer


def test_the_offer_email_links_to_the_reviewers_workspace_queue(clock, queue, make_claim, rita, settings):
    settings.SITE_URL = "https://desk.example.org"
    queue(make_claim())

    [message] = mail.outbox
    assert "Your queue: https://desk.example.org/workspace/queue/\n" in message.body
    assert "/api/" not in message.body
