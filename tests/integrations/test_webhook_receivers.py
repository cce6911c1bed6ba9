"""A receiver URL has one webhook endpoint: registering it again (in another spelling of the same URL, or by two
editors at once) is a 400 naming the endpoint that has it, so no event is delivered twice."""

import pytest

from factcheck.integrations import webhook_endpoints
from factcheck.models import WebhookDelivery, WebhookEndpoint
from factcheck.tasks import emit_event

WEBHOOKS = "/api/v1/webhooks/"
SECRET = "receiver-shared-secret-0123456789"
URL = "https://93.184.215.14/hooks/factcheck"


def body(url: str = URL, **fields) -> dict:
    return {"url": url, "secret": SECRET, "events": ["factcheck.published"], **fields}


@pytest.fixture
def first(api, editor) -> dict:
    answer = api(editor).post(WEBHOOKS, body(), format="json")
    assert answer.status_code == 201, answer.content
    return answer.json()


@pytest.mark.parametrize(
    "again",
    [
        URL,
        "HTTPS://93.184.215.14:443/hooks/factcheck/",
        "http://93.184.215.14/hooks/factcheck",
        "https://93.184.215.14/hooks/factcheck?utm_source=partner#top",
    ],
)
def test_it_refuses_a_receiver_registered_already_naming_its_endpoint(api, other_editor, first, again):
    answer = api(other_editor).post(WEBHOOKS, body(again), format="json")

    assert answer.status_code == 400, answer.content
    assert answer.json() == {
        "url": [f"Webhook endpoint {first['id']} already receives events at this URL ({URL}): change that one."]
    }
    assert WebhookEndpoint.objects.count() == 1


@pytest.mark.parametrize("other", [f"{URL}/v2", f"{URL}?tenant=7", "https://93.184.215.15/hooks/factcheck"])
def test_it_registers_another_receiver(api, editor, first, other):
    assert api(editor).post(WEBHOOKS, body(other), format="json").status_code == 201


def test_it_points_to_a_paused_endpoint_of_the_receiver(api, editor, first):
    api(editor).patch(f"{WEBHOOKS}{first['id']}/", {"active": False}, format="json")

    answer = api(editor).post(WEBHOOKS, body(), format="json")

    assert answer.status_code == 400
    assert answer.json()["url"] == [
        f"Webhook endpoint {first['id']} (paused) already has this URL ({URL}): resume or change that one."
    ]


def test_it_refuses_to_move_an_endpoint_onto_another_ones_receiver(api, editor, first):
    second = api(editor).post(WEBHOOKS, body(f"{URL}/v2"), format="json").json()

    answer = api(editor).patch(f"{WEBHOOKS}{second['id']}/", {"url": f"{URL}/"}, format="json")

    assert answer.status_code == 400
    assert f"Webhook endpoint {first['id']} " in answer.json()["url"][0]
    assert WebhookEndpoint.objects.get(pk=second["id"]).url == f"{URL}/v2"


def test_it_resumes_a_paused_repeat_only_while_no_other_endpoint_receives(api, editor, first):
    # A repeat kept, paused, from before the rule (migration 0013).
    repeat = WebhookEndpoint.objects.create(url=URL, secret=SECRET, events=[], active=False, created_by=editor)

    refused = api(editor).patch(f"{WEBHOOKS}{repeat.pk}/", {"active": True}, format="json")
    api(editor).patch(f"{WEBHOOKS}{first['id']}/", {"active": False}, format="json")
    resumed = api(editor).patch(f"{WEBHOOKS}{repeat.pk}/", {"active": True}, format="json")

    assert refused.status_code == 400
    assert f"Webhook endpoint {first['id']} " in refused.json()["active"][0]
    assert resumed.status_code == 200, resumed.content


def test_a_registration_that_loses_a_race_is_a_400_not_a_500(api, editor, first, monkeypatch):
    """Two editors at once: both look, find nothing, insert; the unique constraint refuses the later insert."""
    monkeypatch.setattr(webhook_endpoints, "_refuse_same_receiver", lambda *args, **kwargs: None)

    answer = api(editor).post(WEBHOOKS, body(f"{URL}/"), format="json")

    assert answer.status_code == 400, answer.content
    assert f"Webhook endpoint {first['id']} " in answer.json()["url"][0]
    assert WebhookEndpoint.objects.count() == 1


def test_the_admin_refuses_to_resume_a_paused_repeat(admin_client, editor, first):
    repeat = WebhookEndpoint.objects.create(url=URL, secret=SECRET, events=[], active=False, created_by=editor)

    answer = admin_client.post(f"/admin/factcheck/webhookendpoint/{repeat.pk}/change/", {"active": "on"})

    assert answer.status_code == 200  # the form again, with its error
    assert f"Webhook endpoint {first['id']} already receives events" in answer.content.decode()
    assert not WebhookEndpoint.objects.get(pk=repeat.pk).active


def test_a_receiver_registered_twice_gets_each_event_once(api, editor, first, make_claim, desk):
    api(editor).post(WEBHOOKS, body(f"{URL}/"), format="json")
    version_id = desk.published(make_claim()).current_version_id

    emit_event.delay("factcheck.published", version_id)  # the fan-out, as after the commit

    assert WebhookDelivery.objects.filter(event="factcheck.published").count() == 1
