"""Editors manage webhook endpoints and read their delivery log over the API and in the admin; nobody else can."""

import pytest

from factcheck.models import WebhookDelivery, WebhookEndpoint
from tests.factcheck.webhook_receiver import Answer, Receiver, verify

WEBHOOKS = "/api/v1/webhooks/"
SECRET = "receiver-shared-secret-0123456789"
PUBLIC_URL = "https://93.184.215.14/hooks/factcheck"


def body(**fields) -> dict:
    return {"url": PUBLIC_URL, "secret": SECRET, "events": ["factcheck.published"], **fields}


@pytest.fixture
def endpoint(editor) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(
        url=PUBLIC_URL, secret=SECRET, events=["factcheck.published"], created_by=editor
    )


def test_it_registers_an_endpoint_and_never_shows_its_secret(api, editor):
    client = api(editor)

    created = client.post(
        WEBHOOKS,
        body(description="Partner site", events=["factcheck.published", "factcheck.retracted", "factcheck.published"]),
        format="json",
    )

    assert created.status_code == 201, created.content
    shown = created.json()
    assert shown["events"] == ["factcheck.published", "factcheck.retracted"]
    assert (shown["url"], shown["description"], shown["active"], shown["created_by"]) == (
        PUBLIC_URL,
        "Partner site",
        True,
        "eddie",
    )
    listed = client.get(WEBHOOKS).json()["results"]
    read = client.get(f"{WEBHOOKS}{shown['id']}/").json()
    for answer in (shown, listed[0], read):
        assert "secret" not in answer
        assert SECRET not in str(answer)
    assert WebhookEndpoint.objects.get().secret == SECRET


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"events": []}, "events"),
        ({"events": ["claim.deleted"]}, "events"),
        ({"secret": "short"}, "secret"),
        ({"url": "ftp://93.184.215.14/hook"}, "url"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"created_by": 1}, "created_by"),
    ],
)
def test_it_refuses_a_bad_registration(api, editor, fields, field):
    answer = api(editor).post(WEBHOOKS, body(**fields), format="json")

    assert answer.status_code == 400
    assert field in answer.json()
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize("who", ["journalist", "reviewer"])
def test_it_lets_only_editors_manage_webhooks(api, request, endpoint, who):
    client = api(request.getfixturevalue(who))

    answers = [
        client.get(WEBHOOKS),
        client.post(WEBHOOKS, body(), format="json"),
        client.get(f"{WEBHOOKS}{endpoint.pk}/"),
        client.patch(f"{WEBHOOKS}{endpoint.pk}/", {"active": False}, format="json"),
        client.delete(f"{WEBHOOKS}{endpoint.pk}/"),
        client.get(f"{WEBHOOKS}{endpoint.pk}/deliveries/"),
    ]

    assert [a.status_code for a in answers] == [403] * 6
    assert WebhookEndpoint.objects.get().active


def test_it_asks_anonymous_callers_to_authenticate(api, endpoint):
    assert api().get(WEBHOOKS).status_code == 401
    assert api().post(WEBHOOKS, body(), format="json").status_code == 401


def test_it_updates_events_and_rotates_the_secret(api, other_editor, endpoint):
    client = api(other_editor)  # endpoints belong to the newsroom: any editor may change them

    patched = client.patch(
        f"{WEBHOOKS}{endpoint.pk}/", {"events": ["factcheck.corrected"], "active": False}, format="json"
    )
    rotated = client.patch(f"{WEBHOOKS}{endpoint.pk}/", {"secret": "a-brand-new-secret-456789"}, format="json")

    assert (patched.status_code, rotated.status_code) == (200, 200)
    assert "secret" not in rotated.json()
    endpoint.refresh_from_db()
    assert (endpoint.events, endpoint.active, endpoint.secret) == (
        ["factcheck.corrected"],
        False,
        "a-brand-new-secret-456789",
    )


def test_it_replaces_an_endpoint_with_put_keeping_the_secret(api, editor, endpoint):
    answer = api(editor).put(
        f"{WEBHOOKS}{endpoint.pk}/",
        {"url": "https://93.184.215.15/new", "events": ["claim.status_changed"]},
        format="json",
    )

    assert answer.status_code == 200, answer.content
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.events, endpoint.secret, endpoint.description) == (
        "https://93.184.215.15/new",
        ["claim.status_changed"],
        SECRET,
        "",
    )


def test_it_checks_a_changed_url_against_private_addresses(api, editor, endpoint):
    answer = api(editor).patch(f"{WEBHOOKS}{endpoint.pk}/", {"url": "http://169.254.169.254/"}, format="json")

    assert answer.status_code == 400
    assert "url" in answer.json()
    endpoint.refresh_from_db()
    assert endpoint.url == PUBLIC_URL


def test_it_deletes_an_endpoint(api, editor, endpoint):
    assert api(editor).delete(f"{WEBHOOKS}{endpoint.pk}/").status_code == 204
    assert not WebhookEndpoint.objects.exists()


def test_it_shows_the_delivery_log_of_an_endpoint(api, editor, endpoint):
    other = WebhookEndpoint.objects.create(url=f"{PUBLIC_URL}/other", secret=SECRET, events=[], created_by=editor)
    WebhookDelivery.objects.create(endpoint=other, event="factcheck.published", payload={})
    WebhookDelivery.objects.create(
        endpoint=endpoint,
        event="factcheck.published",
        payload={"event": "x"},
        status="succeeded",
        attempts=1,
        last_status_code=200,
        last_response="ok",
    )
    WebhookDelivery.objects.create(
        endpoint=endpoint,
        event="factcheck.published",
        payload={"event": "y"},
        status="failed",
        attempts=6,
        last_status_code=500,
        last_response="oops",
        last_error="The receiver answered HTTP 500.",
    )
    client = api(editor)

    log = client.get(f"{WEBHOOKS}{endpoint.pk}/deliveries/").json()["results"]
    failed = client.get(f"{WEBHOOKS}{endpoint.pk}/deliveries/", {"status": "failed"}).json()["results"]

    assert [(d["status"], d["attempts"], d["last_status_code"], d["last_response"]) for d in log] == [
        ("failed", 6, 500, "oops"),
        ("succeeded", 1, 200, "ok"),
    ]
    assert [d["last_error"] for d in failed] == ["The receiver answered HTTP 500."]
    assert client.get(f"{WEBHOOKS}{endpoint.pk}/deliveries/", {"status": "lost"}).status_code == 400
    assert client.get(f"{WEBHOOKS}999999/deliveries/").status_code == 404


def test_it_lists_endpoints_and_deliveries_in_the_admin(admin_client, endpoint):
    WebhookDelivery.objects.create(endpoint=endpoint, event="factcheck.published", payload={}, status="failed")

    endpoints = admin_client.get("/admin/factcheck/webhookendpoint/")
    deliveries = admin_client.get("/admin/factcheck/webhookdelivery/")
    one = admin_client.get(f"/admin/factcheck/webhookendpoint/{endpoint.pk}/change/")

    assert endpoints.status_code == deliveries.status_code == one.status_code == 200
    assert PUBLIC_URL in endpoints.content.decode()
    assert SECRET not in one.content.decode()


def test_it_sends_a_failed_delivery_again_from_the_admin(
    admin_client, editor, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    with Receiver() as receiver:
        receiver.answer(Answer(200))
        hook = WebhookEndpoint.objects.create(
            url=receiver.url(), secret=SECRET, events=["factcheck.published"], created_by=editor
        )
        failed = WebhookDelivery.objects.create(
            endpoint=hook,
            event="factcheck.published",
            status="failed",
            attempts=6,
            payload={"event": "factcheck.published", "data": {}},
        )

        with django_capture_on_commit_callbacks(execute=True):
            answer = admin_client.post(
                "/admin/factcheck/webhookdelivery/", {"action": "send_again", "_selected_action": [failed.pk]}
            )

    assert answer.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("succeeded", 1)
    assert verify(SECRET, receiver.received[0].headers, receiver.received[0].body)["delivery_id"] == failed.pk
