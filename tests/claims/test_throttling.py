"""Rate limits per role and for anonymous readers: the request past the limit gets 429 with Retry-After."""

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from core.roles import Role, grant_role

RATES = {"anon": "2/min", "journalist": "3/min", "reviewer": "4/min", "editor": "6/min"}


@pytest.fixture(autouse=True)
def small_rates(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": RATES}
    cache.clear()  # throttle counters live in the cache
    yield
    cache.clear()


def assert_throttled(answer) -> int:
    assert answer.status_code == 429, answer.content
    assert "throttled" in answer.json()["detail"]
    wait = int(answer.headers["Retry-After"])
    assert 0 < wait <= 60
    return wait


def test_it_throttles_anonymous_readers(api, db):
    reader = api()

    allowed = [reader.get("/api/v1/fact-checks/").status_code for _ in range(2)]

    assert allowed == [200, 200]
    assert_throttled(reader.get("/api/v1/fact-checks/"))


def test_it_counts_anonymous_readers_by_address_not_by_a_forwarded_header(api, db):
    reader = api()
    for n in range(2):
        reader.get("/api/v1/fact-checks/", headers={"X-Forwarded-For": f"203.0.113.{n}"})

    assert_throttled(reader.get("/api/v1/fact-checks/", headers={"X-Forwarded-For": "203.0.113.99"}))
    assert api().get("/api/v1/fact-checks/", REMOTE_ADDR="198.51.100.7").status_code == 200


@pytest.mark.parametrize(("who", "limit"), [("journalist", 3), ("reviewer", 4), ("editor", 6)])
def test_it_throttles_each_role_at_its_own_rate(api, db, request, who, limit):
    client = api(request.getfixturevalue(who))

    allowed = [client.get("/api/v1/claims/").status_code for _ in range(limit)]

    assert allowed == [200] * limit
    assert_throttled(client.get("/api/v1/claims/"))


def test_it_gives_a_member_with_two_roles_the_higher_rate(api, journalist):
    grant_role(journalist, Role.EDITOR)
    client = api(journalist)

    assert [client.get("/api/v1/claims/").status_code for _ in range(6)] == [200] * 6
    assert_throttled(client.get("/api/v1/claims/"))


def test_it_counts_each_member_on_their_own(api, journalist, other_journalist):
    mine = api(journalist)
    for _ in range(3):
        mine.get("/api/v1/claims/")
    assert_throttled(mine.get("/api/v1/claims/"))

    assert api(other_journalist).get("/api/v1/claims/").status_code == 200


def test_it_counts_writes_too(api, journalist):
    client = api(journalist)
    answers = [
        client.post("/api/v1/claims/", {"text": f"Claim {n}", "language": "en"}, format="json") for n in range(4)
    ]

    assert [a.status_code for a in answers[:3]] == [201] * 3
    assert_throttled(answers[3])


def test_it_lets_the_caller_in_again_after_the_wait(api, journalist):
    client = api(journalist)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(3):
            client.get("/api/v1/claims/")
        wait = assert_throttled(client.get("/api/v1/claims/"))

        traveller.shift(wait + 1)

        assert client.get("/api/v1/claims/").status_code == 200


def test_it_reads_rates_from_the_settings_on_each_request(api, journalist, settings):
    client = api(journalist)
    for _ in range(3):
        client.get("/api/v1/claims/")
    assert_throttled(client.get("/api/v1/claims/"))

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {**RATES, "journalist": "10/min"}}

    assert client.get("/api/v1/claims/").status_code == 200


def test_it_slows_password_guessing_on_the_token_endpoint(db, api, journalist, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login": "3/min"},
    }
    client = api()
    answers = [
        client.post("/api/v1/auth/token/", {"username": "jane", "password": f"guess-{n}"}, format="json")
        for n in range(4)
    ]

    assert [a.status_code for a in answers] == [400, 400, 400, 429]
    assert int(answers[-1]["Retry-After"]) > 0
