"""The desk's newer endpoints as their users see them: editing a claim before triage, its history, autosave of a
review and its sources one by one, topics and claimants."""

import importlib
import threading

import pytest
from django.apps import apps as django_apps
from django.db import connection

from claims import services as claim_services
from claims.models import Claim, Topic
from claims.services import get_or_create_claimant
from core.errors import InvalidInput
from reviews.models import Review
from tests.api.conftest import in_review
from tests.conftest import PASSWORD

CLAIMS = "/api/v1/claims/"


# Editing a claim while it is submitted


def test_it_lets_the_submitter_fix_a_claim_before_triage(api, world, journalist):
    claim = world.janes_submitted
    Topic.objects.create(slug="diplomacy", name="Diplomacy")

    response = api(journalist).patch(
        f"{CLAIMS}{claim.pk}/",
        {
            "text": "The talks lasted more than five hours, the minister said",
            "quote": "Trade rose by 12% last year",
            "claimant": "Minister John Doe",
            "claim_date": "2026-03-01",
            "topics": ["diplomacy"],
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["text"], body["claimant"], body["claim_date"], body["topics"], body["status"]) == (
        "The talks lasted more than five hours, the minister said",
        "Minister John Doe",
        "2026-03-01",
        ["diplomacy"],
        "submitted",
    )
    claim.refresh_from_db()
    # The new quote is found in the report again, so the page can highlight it.
    assert claim.report.body[claim.quote_start : claim.quote_end] == "Trade rose by 12% last year"


def test_it_keeps_what_an_edit_leaves_out(api, world, editor):
    claim = world.janes_submitted

    response = api(editor).patch(f"{CLAIMS}{claim.pk}/", {"language": "de"}, format="json")

    assert response.status_code == 200
    assert (response.json()["language"], response.json()["text"], response.json()["topics"]) == (
        "de",
        claim.text,
        ["economy"],
    )


def test_it_refuses_to_edit_a_claim_once_triaged(api, world, journalist):
    response = api(journalist).patch(f"{CLAIMS}{world.ritas_claim.pk}/", {"text": "Too late"}, format="json")

    assert response.status_code == 409
    assert Claim.objects.get(pk=world.ritas_claim.pk).text == world.ritas_claim.text


def test_it_refuses_an_unknown_topic_in_an_edit(api, world, journalist):
    response = api(journalist).patch(f"{CLAIMS}{world.janes_submitted.pk}/", {"topics": ["astrology"]}, format="json")

    assert response.status_code == 400
    assert response.json()["topics"] == ["Unknown topic: astrology"]


def test_it_lets_a_reviewer_edit_no_claim(api, world, reviewer):
    response = api(reviewer).patch(f"{CLAIMS}{world.ritas_claim.pk}/", {"text": "Mine now"}, format="json")

    assert response.status_code == 403


# History


def test_it_tells_a_claims_history_oldest_first(api, world, journalist, editor):
    url = f"{CLAIMS}{world.ritas_claim.pk}/history/"
    response, for_the_desk = api(journalist).get(url), api(editor).get(url)

    assert response.status_code == 200
    steps = [(e["from"], e["to"], e["actor"]) for e in for_the_desk.json()]
    assert steps == [
        ("", "submitted", "jane"),
        ("submitted", "queued", "eddie"),
        ("queued", "assigned", "eddie"),
        ("assigned", "in_review", "rita"),
    ]
    assert for_the_desk.json()[2]["note"] == "Offered to rita"
    # The submitter follows every step; who routed and who reviews it, and the desk's notes, stay the desk's.
    assert [(e["from"], e["to"], e["actor"], e["note"]) for e in response.json()][2:] == [
        ("queued", "assigned", None, ""),
        ("assigned", "in_review", None, ""),
    ]
    assert [e["actor"] for e in response.json()][:2] == ["jane", "eddie"]


# The review draft


def review_url(claim) -> str:
    return f"{CLAIMS}{claim.pk}/review/"


def test_it_autosaves_part_of_a_draft_and_leaves_the_sources(api, world, reviewer):
    response = api(reviewer).patch(review_url(world.ritas_claim), {"summary": "It rose by 3.1%."}, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["summary"], body["rating"], body["explanation"]) == (
        "It rose by 3.1%.",
        "false",
        "The statistics office reports 3%.",
    )
    assert [s["id"] for s in body["sources"]] == [s.pk for s in world.ritas_sources]


def test_it_starts_a_draft_with_the_first_autosave(api, world, reviewer, editor):
    claim = world.janes_submitted
    in_review(claim, reviewer, editor)

    response = api(reviewer).patch(review_url(claim), {"rating": "mostly-true"}, format="json")

    assert response.status_code == 200, response.content
    assert (response.json()["rating"], response.json()["sources"], response.json()["reviewer"]) == (
        "mostly-true",
        [],
        "rita",
    )


def test_it_refuses_a_rating_off_the_scale_in_an_autosave(api, world, reviewer):
    response = api(reviewer).patch(review_url(world.ritas_claim), {"rating": "pants-on-fire"}, format="json")

    assert response.status_code == 400
    assert Review.objects.get(claim=world.ritas_claim).rating.slug == "false"


def test_it_freezes_the_draft_once_submitted(api, world, reviewer):
    api(reviewer).post(f"{review_url(world.ritas_claim)}submit/")

    assert api(reviewer).patch(review_url(world.ritas_claim), {"summary": "Late"}, format="json").status_code == 409
    assert (
        api(reviewer)
        .post(
            f"{review_url(world.ritas_claim)}sources/",
            {"url": "https://late.example.org/", "title": "Late"},
            format="json",
        )
        .status_code
        == 409
    )


def test_it_adds_removes_and_reorders_sources_one_at_a_time(api, world, reviewer):
    client, url = api(reviewer), f"{review_url(world.ritas_claim)}sources/"
    first, second = (s.pk for s in world.ritas_sources)

    added = client.post(url, {"url": "https://archive.example.org/x", "title": "Archive"}, format="json")
    assert added.status_code == 201, added.content
    third = added.json()["sources"][-1]["id"]
    assert [s["title"] for s in added.json()["sources"]] == [
        "Trade statistics 2025",
        "Trade statistics 2024",
        "Archive",
    ]

    assert client.delete(f"{url}{first}/").status_code == 204
    reordered = client.post(f"{url}order/", {"order": [third, second]}, format="json")

    assert reordered.status_code == 200, reordered.content
    assert [s["id"] for s in reordered.json()["sources"]] == [third, second]
    assert [s["id"] for s in client.get(review_url(world.ritas_claim)).json()["sources"]] == [third, second]


@pytest.mark.parametrize("case", ["empty", "one-missing", "duplicated"])
def test_it_refuses_an_order_that_does_not_list_each_source_once(api, world, reviewer, case):
    first, second = (s.pk for s in world.ritas_sources)
    order = {"empty": [], "one-missing": [first], "duplicated": [first, second, first]}[case]

    response = api(reviewer).post(f"{review_url(world.ritas_claim)}sources/order/", {"order": order}, format="json")

    assert response.status_code == 400
    assert "order" in response.json()


def test_it_answers_404_for_a_source_that_is_gone(api, world, reviewer):
    url = f"{review_url(world.ritas_claim)}sources/{world.ritas_sources[0].pk}/"

    assert api(reviewer).delete(url).status_code == 204
    assert api(reviewer).delete(url).status_code == 404


def test_it_lets_an_editor_read_a_draft(api, world, editor):
    response = api(editor).get(review_url(world.rolfs_claim))

    assert response.status_code == 200
    assert response.json()["reviewer"] == "rolf"


# Topics and claimants


def test_it_lists_topics_to_anyone_signed_in_and_lets_editors_add_them(api, world, journalist, editor):
    assert [t["slug"] for t in api(journalist).get("/api/v1/topics/").json()["results"]] == ["economy"]

    created = api(editor).post("/api/v1/topics/", {"slug": "health", "name": "Health"}, format="json")
    refused = api(journalist).post("/api/v1/topics/", {"slug": "sport", "name": "Sport"}, format="json")
    duplicate = api(editor).post("/api/v1/topics/", {"slug": "health", "name": "Health again"}, format="json")

    assert (created.status_code, created.json()) == (201, {"slug": "health", "name": "Health"})
    assert refused.status_code == 403
    assert duplicate.status_code == 400
    assert sorted(Topic.objects.values_list("slug", flat=True)) == ["economy", "health"]


@pytest.mark.parametrize("again", ["economy", "  ECONOMY ", "Economy\u200b"])
def test_it_refuses_a_second_topic_of_the_same_name(api, world, editor, again):
    answer = api(editor).post("/api/v1/topics/", {"name": again}, format="json")

    assert answer.status_code == 400
    assert "exists already" in answer.json()["name"][0]
    assert list(Topic.objects.values_list("slug", flat=True)) == ["economy"]


def test_it_keeps_topic_names_in_other_scripts_apart_and_refuses_their_repeats(api, world, editor):
    first = api(editor).post("/api/v1/topics/", {"name": "Энергетика"}, format="json")
    again = api(editor).post("/api/v1/topics/", {"name": "энергетика"}, format="json")
    other = api(editor).post("/api/v1/topics/", {"name": "能源"}, format="json")

    assert (first.status_code, again.status_code, other.status_code) == (201, 400, 201)
    assert Topic.objects.count() == 3


def test_a_topic_added_again_once_the_first_is_saved_is_refused_as_input(editor):
    # What a parallel addition that starts after the first one committed meets: the service's refusal, not the
    # model's own ValidationError.
    claim_services.create_topic(user=editor, name="Public spending")

    with pytest.raises(InvalidInput) as refused:
        claim_services.create_topic(user=editor, name=" public  SPENDING ")

    assert refused.value.errors == {"name": ["The topic 'Public spending' exists already, as 'public-spending'."]}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_additions_of_one_topic_make_one(editor):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    barrier, answers = threading.Barrier(4), []

    def add() -> None:
        barrier.wait()
        try:
            answers.append(claim_services.create_topic(user=editor, name="Public spending").slug)
        except InvalidInput:
            answers.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=add) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(answers) == ["public-spending", "refused", "refused", "refused"]
    assert Topic.objects.filter(name="Public spending").count() == 1


def test_it_lets_editors_correct_a_claimant(api, world, editor, reviewer):
    url = f"/api/v1/claimants/{world.claimant.pk}/"

    response = api(editor).patch(
        url, {"name": "Jane Roe", "kind": "Person", "description": "Trade minister"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert api(reviewer).get(url).json() == {
        "id": world.claimant.pk,
        "name": "Jane Roe",
        "slug": "minister-jane-roe",
        "kind": "Person",
        "description": "Trade minister",
    }


def test_it_refuses_to_give_two_claimants_one_name(api, world, editor):
    other = get_or_create_claimant("Ministry of Trade")

    response = api(editor).patch(f"/api/v1/claimants/{other.pk}/", {"name": "minister jane roe"}, format="json")

    assert response.status_code == 400
    assert "name" in response.json()


# Signing in and paths that match nothing


def test_it_gives_a_token_for_a_username_and_password(client, journalist):
    response = client.post(
        "/api/v1/auth/token/", {"username": "jane", "password": PASSWORD}, content_type="application/json"
    )
    wrong = client.post(
        "/api/v1/auth/token/", {"username": "jane", "password": "nope"}, content_type="application/json"
    )

    assert response.status_code == 200
    assert set(response.json()) == {"token"}
    assert wrong.status_code == 400


def test_it_answers_an_unknown_api_path_with_a_json_404(api, editor):
    # `<int:pk>` does not match a negative id, so no endpoint answers: the API's 404, not Django's HTML page.
    response = api(editor).post("/api/v1/claims/-5/approve/", {}, format="json")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("path", ["/api/v1/fact-checks/a%00b/", "/api/v1/ratings/a%00b/"])
def test_it_answers_404_for_a_slug_no_database_can_hold(api, world, path):
    # PostgreSQL refuses NUL bytes in a query (a 500 before slugs were matched in the URL).
    response = api().get(path)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_it_refuses_a_source_whose_title_shows_nothing(api, world, reviewer):
    url = f"{review_url(world.ritas_claim)}sources/"

    response = api(reviewer).post(url, {"url": "https://archive.example.org/x", "title": "\u200b\u2060"}, format="json")

    assert response.status_code == 400
    assert "title" in str(response.json())
    assert world.ritas_claim.review.sources.count() == len(world.ritas_sources)


def test_the_migration_keys_topic_names_and_numbers_a_repeated_one(db):
    fill_name_keys = importlib.import_module("claims.migrations.0014_topic_name_key").fill_name_keys
    first = Topic.objects.create(slug="trade", name="Торговля")
    second = Topic.objects.create(slug="trade-2", name="Commerce")
    # As rows stood before the key: a name that differs only by case and spacing.
    Topic.objects.filter(pk=second.pk).update(name="ТОРГОВЛЯ ", name_key="old")

    fill_name_keys(django_apps, None)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.name == "Торговля" and second.name == "ТОРГОВЛЯ  (2)"
    assert first.name_key != second.name_key
    assert second.slug == "trade-2"  # links to it keep working
