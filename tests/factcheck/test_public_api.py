"""API v1 for the published record: public fact-checks and ratings, editors' corrections and retractions."""

from django.conf import settings
from django.utils import timezone

from tests.factcheck.conftest import EXPLANATION, SUMMARY

DEFAULT_SCALE = [
    ("true", "True", 5),
    ("mostly-true", "Mostly true", 4),
    ("half-true", "Half true", 3),
    ("mostly-false", "Mostly false", 2),
    ("false", "False", 1),
    ("misleading", "Misleading", None),
    ("unverifiable", "Unverifiable", None),
]


def test_it_lists_fact_checks_to_anyone_newest_first(api, make_claim, publish):
    older = publish(make_claim("The talks lasted more than five hours"))
    newer = publish(make_claim("Trade rose by 12% last year"))

    answer = api().get("/api/v1/fact-checks/")

    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"next", "previous", "results"}
    assert body["next"] is None
    assert body["previous"] is None
    assert [f["slug"] for f in body["results"]] == [newer.slug, older.slug]


def test_it_pages_the_public_list_with_a_cursor(api, make_claim, publish):
    slugs = [publish(make_claim(f"Claim number {n} is true")).slug for n in range(3)]
    client = api()

    first = client.get("/api/v1/fact-checks/", {"page_size": 2}).json()
    assert "cursor=" in first["next"]
    assert first["previous"] is None
    second = client.get(first["next"]).json()

    assert second["next"] is None
    assert "cursor=" in second["previous"]
    assert [f["slug"] for f in first["results"] + second["results"]] == slugs[::-1]


def test_it_lists_only_published_claims(api, make_claim, publish, desk):
    published = publish(make_claim("The talks lasted more than five hours"))
    desk.awaiting_approval(make_claim("Exports doubled in a year"))
    make_claim("Imports fell by half")

    results = api().get("/api/v1/fact-checks/").json()["results"]

    assert [f["slug"] for f in results] == [published.slug]


def test_it_shows_a_fact_check_by_slug_to_anyone(api, make_claim, publish):
    fact_check = publish(make_claim())
    today = timezone.now().date().isoformat()

    answer = api().get(f"/api/v1/fact-checks/{fact_check.slug}/")

    assert answer.status_code == 200
    body = answer.json()
    assert body["slug"] == fact_check.slug
    assert body["url"] == f"{settings.SITE_URL}/fact-checks/{fact_check.slug}/"
    assert body["claim"] == "The talks lasted more than five hours"
    assert body["claimant"] == "Minister Jane Roe"
    assert body["rating"] == {
        "slug": "false",
        "label": "False",
        "value": 1,
        "best": 5,
        "worst": 1,
        "definition": "The claim is not accurate.",
    }
    assert body["summary"] == SUMMARY
    assert body["explanation"] == EXPLANATION
    assert body["sources"] == [
        {
            "url": "https://gov.example.org/schedule",
            "title": "Official schedule",
            "publisher": "Government Press Office",
            "archive_url": "",
            "accessed_at": today,
        }
    ]
    assert body["published_at"].startswith(today)
    assert body["updated_at"].startswith(today)
    assert body["version"] == 1
    assert body["corrections"] == []
    assert body["retracted"] is None
    assert body["claim_review"]["@type"] == "ClaimReview"
    assert body["claim_review"]["url"] == body["url"]
    assert body["claim_review"]["reviewRating"]["alternateName"] == "False"


def test_it_answers_404_for_an_unknown_slug(api, db):
    assert api().get("/api/v1/fact-checks/no-such-fact-check-1/").status_code == 404


def test_it_lets_an_editor_correct_a_verdict(api, make_claim, publish, other_editor):
    fact_check = publish(make_claim())

    answer = api(other_editor).post(
        f"/api/v1/claims/{fact_check.claim_id}/corrections/",
        {
            "note": "We misread the schedule.",
            "rating": "mostly-false",
            "summary": "It was four and a half hours.",
        },
        format="json",
    )

    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["version"] == 2
    assert body["rating"]["slug"] == "mostly-false"
    assert body["summary"] == "It was four and a half hours."
    assert body["explanation"] == EXPLANATION
    assert [(c["version"], c["note"]) for c in body["corrections"]] == [(2, "We misread the schedule.")]
    assert body["claim_review"]["reviewRating"]["alternateName"] == "Mostly false"

    public = api().get(f"/api/v1/fact-checks/{fact_check.slug}/").json()
    assert public["version"] == 2
    assert public["rating"]["slug"] == "mostly-false"
    assert api(other_editor).get(f"/api/v1/claims/{fact_check.claim_id}/").json()["status"] == "published"


def test_it_stamps_corrected_sources_with_todays_date(api, make_claim, publish, editor):
    fact_check = publish(make_claim())

    answer = api(editor).post(
        f"/api/v1/claims/{fact_check.claim_id}/corrections/",
        {
            "note": "Added the minutes.",
            "sources": [{"url": "https://gov.example.org/minutes", "title": "Minutes"}],
        },
        format="json",
    )

    assert answer.status_code == 201, answer.content
    assert answer.json()["sources"] == [
        {
            "url": "https://gov.example.org/minutes",
            "title": "Minutes",
            "publisher": "",
            "archive_url": "",
            "accessed_at": timezone.localdate().isoformat(),
        }
    ]


def test_it_refuses_a_correction_from_a_journalist(api, make_claim, publish):
    fact_check = publish(make_claim())
    journalist = fact_check.claim.submitted_by

    answer = api(journalist).post(
        f"/api/v1/claims/{fact_check.claim_id}/corrections/", {"note": "I prefer true."}, format="json"
    )

    assert answer.status_code in (403, 404)
    assert api().get(f"/api/v1/fact-checks/{fact_check.slug}/").json()["version"] == 1


def test_it_refuses_a_correction_from_anyone_anonymous(api, make_claim, publish):
    fact_check = publish(make_claim())

    answer = api().post(f"/api/v1/claims/{fact_check.claim_id}/corrections/", {"note": "x"}, format="json")

    assert answer.status_code == 401


def test_it_wants_a_note_for_a_correction(api, make_claim, publish, editor):
    fact_check = publish(make_claim())
    url = f"/api/v1/claims/{fact_check.claim_id}/corrections/"

    missing = api(editor).post(url, {"summary": "Changed."}, format="json")
    blank = api(editor).post(url, {"note": "   ", "summary": "Changed."}, format="json")

    assert missing.status_code == 400
    assert "note" in missing.json()
    assert blank.status_code == 400
    assert "note" in blank.json()
    assert api().get(f"/api/v1/fact-checks/{fact_check.slug}/").json()["version"] == 1


def test_it_refuses_a_rating_off_the_default_scale(api, make_claim, publish, editor):
    fact_check = publish(make_claim())

    answer = api(editor).post(
        f"/api/v1/claims/{fact_check.claim_id}/corrections/",
        {"note": "Recheck.", "rating": "pants-on-fire"},
        format="json",
    )

    assert answer.status_code == 400
    assert "rating" in answer.json()


def test_it_has_nothing_to_correct_before_publication(api, make_claim, desk, editor):
    claim = make_claim()
    desk.awaiting_approval(claim)

    answer = api(editor).post(f"/api/v1/claims/{claim.pk}/corrections/", {"note": "Too early."}, format="json")

    assert answer.status_code == 409


def test_it_lets_an_editor_retract_a_verdict_once(api, make_claim, publish, editor):
    fact_check = publish(make_claim())
    url = f"/api/v1/claims/{fact_check.claim_id}/retract/"

    first = api(editor).post(url, {"reason": "The schedule was forged."}, format="json")
    second = api(editor).post(url, {"reason": "Again."}, format="json")

    assert first.status_code == 200, first.content
    assert first.json()["status"] == "retracted"
    assert first.json()["history"][-1]["note"] == "The schedule was forged."
    assert first.json()["history"][-1]["actor"] == "eddie"
    assert second.status_code == 409


def test_it_keeps_a_retracted_verdict_public_without_claim_review(api, make_claim, publish, editor):
    fact_check = publish(make_claim())
    api(editor).post(f"/api/v1/claims/{fact_check.claim_id}/retract/", {"reason": "Forged source."}, format="json")

    body = api().get(f"/api/v1/fact-checks/{fact_check.slug}/").json()

    assert body["retracted"]["reason"] == "Forged source."
    assert body["retracted"]["at"]
    # The page embeds no JSON-LD for a tombstone, so the API (the same object) has none either: the tombstone shape
    # leaves the key out (tests/factcheck/test_retracted_api.py holds the whole shape).
    assert "claim_review" not in body


def test_it_refuses_to_correct_a_retracted_verdict(api, make_claim, publish, editor):
    fact_check = publish(make_claim())
    api(editor).post(f"/api/v1/claims/{fact_check.claim_id}/retract/", {"reason": "Forged source."}, format="json")

    answer = api(editor).post(f"/api/v1/claims/{fact_check.claim_id}/corrections/", {"note": "x"}, format="json")

    assert answer.status_code == 409


def test_it_refuses_a_retraction_without_reason_or_by_a_journalist(api, make_claim, publish, editor, journalist):
    fact_check = publish(make_claim())
    url = f"/api/v1/claims/{fact_check.claim_id}/retract/"

    assert api(editor).post(url, {}, format="json").status_code == 400
    assert api(editor).post(url, {"reason": "  "}, format="json").status_code == 400
    assert api(journalist).post(url, {"reason": "I disagree."}, format="json").status_code in (403, 404)
    assert api(editor).get(f"/api/v1/claims/{fact_check.claim_id}/").json()["status"] == "published"


def test_it_lists_the_default_rating_scale(api, db):
    answer = api().get("/api/v1/ratings/")

    assert answer.status_code == 200
    (scale,) = answer.json()["results"]
    assert scale["slug"] == "accuracy"
    assert scale["is_default"] is True
    assert (scale["best"], scale["worst"]) == (5, 1)
    assert [(r["slug"], r["label"], r["value"]) for r in scale["ratings"]] == DEFAULT_SCALE
    assert all(r["definition"] for r in scale["ratings"])
