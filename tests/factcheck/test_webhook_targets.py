"""Where webhooks may go: no private, loopback or link-local receivers (at registration and at every attempt), no
redirects followed, and HTTPS checked against the host name although the connection goes to the checked address."""

import pytest

from factcheck.models import WebhookDelivery, WebhookEndpoint
from tests.factcheck import webhook_receiver
from tests.factcheck.webhook_receiver import SECRET, WEBHOOKS, Answer, Receiver, make_certificates, verify

# Shared fixtures, bound here so pytest finds them: a receiver on 127.0.0.1, registering it, approving a claim.
receiver, register, approve = webhook_receiver.receiver, webhook_receiver.register, webhook_receiver.approve

ALL_EVENTS = ["claim.status_changed", "factcheck.published", "factcheck.corrected", "factcheck.retracted"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://10.0.0.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://localhost:8000/hook",
        "http://0.0.0.0/hook",
        "http://224.0.0.1/hook",
        "http://192.168.1.10/hook",
    ],
)
def test_it_refuses_to_register_a_private_receiver(api, editor, url):
    answer = api(editor).post(WEBHOOKS, {"url": url, "secret": SECRET, "events": ALL_EVENTS}, format="json")

    assert answer.status_code == 400
    assert "private, loopback, link-local or reserved" in answer.json()["url"][0]
    assert not WebhookEndpoint.objects.exists()


def test_it_accepts_a_receiver_on_a_public_address(api, editor):
    answer = api(editor).post(
        WEBHOOKS,
        {"url": "https://93.184.215.14/hooks/factcheck", "secret": SECRET, "events": ALL_EVENTS},
        format="json",
    )

    assert answer.status_code == 201, answer.content


def test_it_refuses_at_delivery_a_receiver_that_has_become_private(receiver, register, approve, make_claim, settings):
    endpoint = register(receiver.url())  # allowed while registering, as if DNS then pointed elsewhere
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False

    approve(make_claim())

    assert receiver.received == []
    delivery = WebhookDelivery.objects.get(endpoint_id=endpoint["id"])
    # A refused target is not retried: the attempt is logged once and the delivery fails.
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert delivery.last_error.startswith("Refused:")


def test_it_does_not_follow_redirects(receiver, register, approve, make_claim, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    endpoint = register(receiver.url())
    receiver.answer(Answer(302, b"", {"Location": receiver.url("/elsewhere")}))

    approve(make_claim())

    assert [r.path for r in receiver.received] == ["/hook"]
    delivery = WebhookDelivery.objects.get(endpoint_id=endpoint["id"])
    assert (delivery.status, delivery.last_status_code) == ("failed", 302)


@pytest.fixture
def certificates(tmp_path):
    return make_certificates(tmp_path)


def test_it_delivers_over_https_to_the_host_the_certificate_names(
    settings, certificates, register, approve, make_claim, monkeypatch
):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    ca, certificate, key = certificates
    monkeypatch.setenv("SSL_CERT_FILE", str(ca))  # trust the test CA as if it were a public one
    with Receiver(tls=(certificate, key)) as receiver:
        endpoint = register(receiver.url())

        approve(make_claim())

    assert receiver.url().startswith("https://localhost:")
    verify(SECRET, receiver.received[0].headers, receiver.received[0].body)
    assert WebhookDelivery.objects.get(endpoint_id=endpoint["id"]).status == "succeeded"


def test_it_refuses_a_certificate_it_cannot_trust(settings, certificates, register, approve, make_claim):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    _, certificate, key = certificates
    with Receiver(tls=(certificate, key)) as receiver:
        endpoint = register(receiver.url())

        approve(make_claim())

    assert receiver.received == []
    delivery = WebhookDelivery.objects.get(endpoint_id=endpoint["id"])
    assert delivery.status == "failed"
    assert "CERTIFICATE_VERIFY_FAILED" in delivery.last_error


@pytest.mark.parametrize("address", ["64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "fe80::1%eth0"])
def test_it_refuses_private_addresses_hidden_in_nat64_or_zoned_ipv6_for_webhooks_too(address):
    from core.netguard import is_public_address

    assert not is_public_address(address)
