"""Bad input answers 400 with field messages (never 500); authentication, roles and visibility answer 401/403/404."""

from datetime import timedelta

import pytest
from django.utils import timezone

from claims import services as claim_services
from claims.models import Claim, ClaimStatus, Report, Topic
from core.roles import Role
from reviews.models import Review
from reviews.services.members import add_member

CLAIMS = "/api/v1/claims/"
GOOD_SOURCE = {"url": "https://gov.example.org/schedule", "title": "Official schedule"}


@pytest.fixture
def economy(db):
    return Topic.objects.create(slug="economy", name="Economy")


def post_claim(client, **fields):
    body = {"text": "Trade rose by 12% last year.", "language": "en", **fields}
    return client.post(CLAIMS, body, format="json")


def review_body(**fields):
    return {
        "rating": "false",
        "summary": "It was four hours.",
        "explanation": "The schedule shows 10:00-14:00.",
        "sources": [GOOD_SOURCE],
        **fields,
    }


def assert_field_error(response, field):
    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors, errors
    assert errors[field], errors
    return errors[field]


# Submitting claims


def test_it_creates_a_claim_from_good_input(api, journalist, economy):
    response = post_claim(api(journalist), topics=["economy"], claimant="Minister Jane Roe")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["language"], body["topics"], body["claimant"]) == (
        "submitted",
        "en",
        ["economy"],
        "Minister Jane Roe",
    )
    assert body["submitted_by"] == "jane"


def test_it_requires_the_text(api, journalist):
    response = api(journalist).post(CLAIMS, {"language": "en"}, format="json")

    assert "Write the claim" in assert_field_error(response, "text")[0]
    assert not Claim.objects.exists()


@pytest.mark.parametrize("text", ["", "   "])
def test_it_refuses_blank_text(api, journalist, text):
    assert_field_error(post_claim(api(journalist), text=text), "text")


def test_it_refuses_an_unknown_language_code(api, journalist):
    response = post_claim(api(journalist), language="xx")

    assert "xx" in assert_field_error(response, "language")[0]
    assert not Claim.objects.exists()


def test_it_requires_a_language(api, journalist):
    response = api(journalist).post(CLAIMS, {"text": "Trade rose."}, format="json")

    assert_field_error(response, "language")


def test_it_refuses_an_unknown_topic_slug(api, journalist, economy):
    response = post_claim(api(journalist), topics=["economy", "astrology"])

    assert assert_field_error(response, "topics") == ["Unknown topic: astrology"]
    assert not Claim.objects.exists()


def test_it_refuses_topics_that_are_not_a_list_of_slugs(api, journalist):
    assert_field_error(post_claim(api(journalist), topics="economy"), "topics")
    assert_field_error(post_claim(api(journalist), topics=["not a slug!"]), "topics")


def test_it_refuses_a_bad_claim_date(api, journalist):
    assert_field_error(post_claim(api(journalist), claim_date="last tuesday"), "claim_date")


def test_it_refuses_a_claim_date_after_today_and_takes_today(api, journalist):
    tomorrow_and_a_day = (timezone.now().date() + timedelta(days=2)).isoformat()

    assert_field_error(post_claim(api(journalist), claim_date=tomorrow_and_a_day), "claim_date")
    assert post_claim(api(journalist), claim_date=timezone.now().date().isoformat()).status_code == 201


def test_it_refuses_a_report_the_journalist_cannot_see(api, other_journalist, pasted_report):
    response = post_claim(api(other_journalist), report=pasted_report.pk)

    assert_field_error(response, "report")
    assert not Claim.objects.exists()


def test_it_refuses_a_report_id_that_is_not_a_number(api, journalist):
    assert_field_error(post_claim(api(journalist), report="first"), "report")


# Reports


def test_it_refuses_a_report_with_neither_url_nor_body(api, journalist):
    response = api(journalist).post(
        "/api/v1/reports/", {"headline": "Talks in Geneva", "language": "en"}, format="json"
    )

    assert_field_error(response, "body")
    assert not Report.objects.exists()


def test_it_accepts_a_report_with_only_a_url(api, journalist):
    response = api(journalist).post(
        "/api/v1/reports/",
        {"headline": "Talks in Geneva", "language": "en", "url": "https://news.example.org/a"},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["id"] == Report.objects.get().pk


def test_it_refuses_a_report_in_an_unknown_language(api, journalist):
    response = api(journalist).post(
        "/api/v1/reports/", {"headline": "Talks", "language": "xx", "body": "Text"}, format="json"
    )

    assert_field_error(response, "language")


# Triage


def test_it_refuses_a_triage_decision_other_than_accept_or_reject(api, editor, make_claim):
    claim = make_claim()

    response = api(editor).post(f"{CLAIMS}{claim.pk}/triage/", {"decision": "maybe"}, format="json")

    assert_field_error(response, "decision")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


def test_it_refuses_an_unknown_priority(api, editor, make_claim):
    claim = make_claim()

    response = api(editor).post(
        f"{CLAIMS}{claim.pk}/triage/", {"decision": "accept", "priority": "urgent"}, format="json"
    )

    assert_field_error(response, "priority")


def test_it_refuses_a_rejection_without_a_reason(api, editor, make_claim):
    claim = make_claim()

    response = api(editor).post(f"{CLAIMS}{claim.pk}/triage/", {"decision": "reject"}, format="json")

    assert_field_error(response, "reason")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


# The reviewer's review


@pytest.fixture
def claim_in_review(make_claim, desk):
    claim = make_claim()
    assignment = desk.in_review(claim)
    return claim, assignment.reviewer


def put_review(api, claim_in_review, **fields):
    claim, reviewer = claim_in_review
    return api(reviewer).put(f"{CLAIMS}{claim.pk}/review/", review_body(**fields), format="json")


def test_it_saves_a_good_review(api, claim_in_review):
    response = put_review(api, claim_in_review)

    assert response.status_code == 200, response.content
    assert response.json()["rating"] == "false"
    assert [s["url"] for s in response.json()["sources"]] == [GOOD_SOURCE["url"]]


def test_it_refuses_a_rating_not_on_the_scale(api, claim_in_review):
    response = put_review(api, claim_in_review, rating="pants-on-fire")

    assert "pants-on-fire" in assert_field_error(response, "rating")[0]
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "not a url", "ftp://files.example.org/schedule.pdf", "data:text/html,<b>hi</b>", ""]
)
def test_it_refuses_a_source_without_an_http_url(api, claim_in_review, url):
    response = put_review(api, claim_in_review, sources=[GOOD_SOURCE, {"url": url, "title": "Evidence"}])

    errors = assert_field_error(response, "sources")
    assert list(errors) == ["1"]  # only the bad source, by its position
    assert "url" in errors["1"]
    assert not Review.objects.exists()


def test_it_refuses_an_archive_url_that_is_not_http(api, claim_in_review):
    response = put_review(api, claim_in_review, sources=[{**GOOD_SOURCE, "archive_url": "javascript:alert(1)"}])

    assert "archive_url" in assert_field_error(response, "sources")["0"]


def test_it_refuses_a_source_without_a_title(api, claim_in_review):
    response = put_review(api, claim_in_review, sources=[{"url": GOOD_SOURCE["url"]}])

    assert "title" in assert_field_error(response, "sources")["0"]


def test_it_refuses_sources_that_are_not_a_list(api, claim_in_review):
    assert_field_error(put_review(api, claim_in_review, sources="https://gov.example.org"), "sources")


def test_it_refuses_to_submit_a_review_without_sources(api, claim_in_review):
    claim, reviewer = claim_in_review
    client = api(reviewer)
    assert put_review(api, claim_in_review, sources=[]).status_code == 200

    response = client.post(f"{CLAIMS}{claim.pk}/review/submit/")

    assert_field_error(response, "sources")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW


def test_it_names_every_missing_part_when_submitting_an_empty_review(api, claim_in_review):
    claim, reviewer = claim_in_review
    api(reviewer).put(f"{CLAIMS}{claim.pk}/review/", {}, format="json")

    response = api(reviewer).post(f"{CLAIMS}{claim.pk}/review/submit/")

    assert response.status_code == 400
    assert set(response.json()) == {"rating", "summary", "explanation", "sources"}


def test_it_refuses_to_submit_before_any_review_is_saved(api, claim_in_review):
    claim, reviewer = claim_in_review

    response = api(reviewer).post(f"{CLAIMS}{claim.pk}/review/submit/")

    assert_field_error(response, "review")


# Assigning by hand


def test_it_refuses_to_assign_someone_who_is_not_a_reviewer(api, editor, make_claim):
    claim = make_claim()
    claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")

    # `reviewer` is an id of `GET reviewers/`: a journalist has none, and a username or a huge number is not one.
    for reviewer in [999_999, "rita", 2**63, True]:
        response = api(editor).post(f"{CLAIMS}{claim.pk}/assign/", {"reviewer": reviewer}, format="json")
        assert_field_error(response, "reviewer")


# Authentication and roles


def test_it_answers_401_to_an_anonymous_claim(api, db):
    response = post_claim(api(None))

    assert response.status_code == 401
    assert not Claim.objects.exists()


def test_it_answers_401_to_an_anonymous_list_of_claims(api, db):
    assert api(None).get(CLAIMS).status_code == 401


def test_it_answers_403_to_a_reviewer_submitting_a_claim(api, reviewer):
    response = post_claim(api(reviewer))

    assert response.status_code == 403, response.content
    assert not Claim.objects.exists()


def test_it_answers_403_to_a_journalist_triaging_their_own_claim(api, journalist, make_claim):
    claim = make_claim()

    response = api(journalist).post(f"{CLAIMS}{claim.pk}/triage/", {"decision": "accept"}, format="json")

    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


def test_it_lets_an_editor_submit_a_claim(api, editor):
    assert post_claim(api(editor)).status_code == 201


def test_it_accepts_token_authentication(api, db):
    add_member(username="tess", role=Role.JOURNALIST, password="token-horse-battery")

    token = api(None).post(
        "/api/v1/auth/token/", {"username": "tess", "password": "token-horse-battery"}, format="json"
    )
    client = api(None)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")

    response = post_claim(client)
    assert response.status_code == 201, response.content
    assert response.json()["submitted_by"] == "tess"


# Visibility


def listed_ids(response):
    assert response.status_code == 200, response.content
    return sorted(item["id"] for item in response.json()["results"])


def test_it_lists_only_the_journalists_own_claims(api, journalist, other_journalist, make_claim):
    mine = make_claim()
    theirs = claim_services.submit_claim(user=other_journalist, text="Rail freight will double.", language="en")

    assert listed_ids(api(journalist).get(CLAIMS)) == [mine.pk]
    assert listed_ids(api(other_journalist).get(CLAIMS)) == [theirs.pk]


def test_it_answers_404_for_another_journalists_claim(api, other_journalist, make_claim):
    claim = make_claim()
    client = api(other_journalist)

    assert client.get(f"{CLAIMS}{claim.pk}/").status_code == 404
    assert client.get(f"{CLAIMS}{claim.pk}/review/").status_code == 404
    assert client.get(f"{CLAIMS}{claim.pk + 1000}/").status_code == 404


def test_it_shows_a_reviewer_only_the_claims_assigned_to_them(api, reviewer, other_reviewer, make_claim, desk):
    theirs = make_claim("The talks lasted more than five hours")
    desk.assigned(theirs)  # goes to rita, the lowest id
    unassigned = make_claim("Trade rose by 12% last year")

    assert listed_ids(api(reviewer).get(CLAIMS)) == [theirs.pk]
    assert api(reviewer).get(f"{CLAIMS}{theirs.pk}/").status_code == 200
    assert api(reviewer).get(f"{CLAIMS}{unassigned.pk}/").status_code == 404
    assert listed_ids(api(other_reviewer).get(CLAIMS)) == []
    assert api(other_reviewer).get(f"{CLAIMS}{theirs.pk}/").status_code == 404


def test_it_shows_a_reviewer_who_also_submits_their_own_and_their_assigned_claims(api, make_claim, desk):
    add_member(username="jo", role=Role.JOURNALIST)
    both = add_member(username="jo", role=Role.REVIEWER, languages=["en"], topics=["economy"])
    assigned = make_claim(topics=["economy"])
    assert desk.assigned(assigned).reviewer == both  # the topic expert gets it
    own = claim_services.submit_claim(user=both, text="Rail freight will double.", language="en")
    make_claim("Trade rose by 12% last year")  # neither submitted by nor assigned to jo

    assert listed_ids(api(both).get(CLAIMS)) == sorted([assigned.pk, own.pk])


def test_it_shows_an_editor_every_claim(api, editor, other_journalist, make_claim):
    mine = make_claim()
    theirs = claim_services.submit_claim(user=other_journalist, text="Rail freight will double.", language="en")

    assert listed_ids(api(editor).get(CLAIMS)) == sorted([mine.pk, theirs.pk])
    assert api(editor).get(f"{CLAIMS}{theirs.pk}/").status_code == 200


def test_it_lets_anyone_read_the_published_fact_checks(api, make_claim, desk):
    published = make_claim("The talks lasted more than five hours")
    desk.published(published)
    make_claim("Trade rose by 12% last year")  # not published: not listed

    response = api(None).get("/api/v1/fact-checks/")

    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [r["claim"] for r in results] == ["The talks lasted more than five hours"]
    assert results[0]["rating"]["slug"] == "false"
    detail = api(None).get(f"/api/v1/fact-checks/{results[0]['slug']}/")
    assert detail.status_code == 200
    assert detail.json()["version"] == 1


def test_it_answers_no_such_report_when_citing_another_journalists_report(api, pasted_report, other_journalist):
    from claims.models import Claim

    answer = api(other_journalist).post(
        "/api/v1/claims/",
        {"text": "The talks lasted five hours", "language": "en", "report": pasted_report.pk},
        format="json",
    )

    assert answer.status_code == 400
    assert answer.json() == {"report": ["No such report."]}
    assert not Claim.objects.filter(submitted_by=other_journalist).exists()
