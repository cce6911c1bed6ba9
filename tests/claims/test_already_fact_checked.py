"""Has it been checked already? A new claim close to one of our verdicts is answered "already fact-checked" with the
link and the rating; the index follows publications, corrections and retractions; a report that repeats a verdict's
claim is recorded; a duplicate follows its canonical claim's verdict."""

import pytest

from claims import duplicates, services
from claims.ingest import tracking
from claims.ingest.models import ClaimAppearance
from claims.ingest.tracking import track_report
from claims.matching.models import MatchDocument
from claims.models import ClaimStatus
from core.errors import IllegalTransition, InvalidInput
from factcheck.record import services as publishing
from factcheck.record.followed import verdict_of

CHECKED = "The talks lasted more than five hours"  # the verdict of the `published` fixture (conftest)
PARAPHRASE = "Talks went on for over five hours"
REPEATED = "Once more, the talks lasted more than five hours"  # a report repeating the claim nearly word for word
UNRELATED = "The city zoo bought two new penguins for its winter exhibit"


def _submit(api, user, text, **extra):
    return api(user).post("/api/v1/claims/", {"text": text, "language": "en", **extra}, format="json")


def test_a_new_claim_close_to_a_verdict_is_already_fact_checked(api, journalist, published):
    answer = _submit(api, journalist, PARAPHRASE)

    assert answer.status_code == 201, answer.content
    warning = answer.json()["already_fact_checked"]
    assert warning is not None, answer.json()["similar"]
    assert warning["kind"] == "fact_check" and warning["id"] == published.pk
    assert warning["fact_check"]["url"].endswith(published.fact_check.get_absolute_url())
    assert warning["fact_check"]["rating"] == published.fact_check.current_version.rating_label
    assert answer.json()["similar"][0]["id"] == published.pk


def test_an_unrelated_claim_is_not_announced_as_checked(api, journalist, published):
    answer = _submit(api, journalist, UNRELATED)

    assert answer.json()["already_fact_checked"] is None
    assert all(item["score"] < 0.75 for item in answer.json()["similar"])


def test_similar_answers_on_demand_and_for_free_text(api, journalist, editor, published):
    mine = _submit(api, journalist, PARAPHRASE).json()

    by_claim = api(journalist).get(f"/api/v1/claims/{mine['id']}/similar/")
    by_text = api(journalist).post("/api/v1/claims/similar/", {"text": PARAPHRASE, "language": "en"}, format="json")

    assert by_claim.status_code == 200 and by_text.status_code == 200
    assert by_claim.json()[0]["id"] == published.pk
    assert mine["id"] not in [item["id"] for item in by_claim.json() if item["kind"] == "claim"]
    verdicts = [item for item in by_text.json() if item["fact_check"]]
    assert verdicts[0]["fact_check"]["slug"] == published.fact_check.slug
    assert api(journalist).post("/api/v1/claims/similar/", {"text": ""}, format="json").status_code == 400


def test_journalists_never_see_each_others_unpublished_claims_among_the_similar(
    api, journalist, other_journalist, editor
):
    _submit(api, journalist, "The bridge cost 40 million euros to build")

    theirs = api(other_journalist).post(
        "/api/v1/claims/similar/", {"text": "The bridge cost 40 million euros", "language": "en"}, format="json"
    )
    editors = api(editor).post(
        "/api/v1/claims/similar/", {"text": "The bridge cost 40 million euros", "language": "en"}, format="json"
    )

    assert [item for item in theirs.json() if item["kind"] == "claim"] == []
    assert editors.json()[0]["kind"] == "claim"


def test_a_reports_candidates_show_another_journalists_claim_only_to_editors(api, journalist, other_journalist, editor):
    bridge = "The bridge cost 40 million euros to build"
    mine = _submit(api, journalist, bridge).json()
    theirs = services.submit_report(
        user=other_journalist, headline="Bridge", language="en", body=f"Officials spoke. {bridge}, they said."
    )
    track_report(report_id=theirs.pk)
    url = f"/api/v1/reports/{theirs.pk}/candidates/"

    matched = [c["match"] for c in api(editor).get(url).json() if c["match"]]
    shown_to_them = [c["match"] for c in api(other_journalist).get(url).json() if c["match"]]

    assert [m["id"] for m in matched if m["kind"] == "claim"] == [mine["id"]]
    assert shown_to_them == []


def test_a_verdict_is_listed_by_its_claim_not_by_the_text_it_was_matched_on(api, client, journalist, make_claim, desk):
    quoted = "The talks, the minister said, lasted more than five hours"
    claim = make_claim(CHECKED, quote=quoted)
    desk.published(claim)

    items = api(journalist).post("/api/v1/claims/similar/", {"text": PARAPHRASE, "language": "en"}, format="json")
    mine = _submit(api, journalist, PARAPHRASE).json()
    client.force_login(journalist)
    page = client.get(f"/workspace/claims/{mine['id']}/").content.decode()

    verdict = next(item for item in items.json() if item["kind"] == "fact_check")
    assert verdict["text"] == CHECKED
    assert f">{CHECKED}</a>" in page and quoted not in page


def test_languages_are_kept_apart(api, journalist, published):
    answer = api(journalist).post("/api/v1/claims/similar/", {"text": CHECKED, "language": "fr"}, format="json")

    assert answer.json() == []


def test_a_correction_updates_the_rating_shown_and_a_retraction_withdraws_the_verdict(
    api, journalist, editor, published
):
    publishing.correct(claim_id=published.pk, editor=editor, note="Rating changed.", rating="true")
    corrected = api(journalist).post("/api/v1/claims/similar/", {"text": CHECKED, "language": "en"}, format="json")
    assert corrected.json()[0]["fact_check"]["rating"] == published.fact_check.versions.last().rating_label

    publishing.retract(claim_id=published.pk, editor=editor, reason="The source was forged.")
    retracted = api(journalist).post("/api/v1/claims/similar/", {"text": CHECKED, "language": "en"}, format="json")
    assert all(item["kind"] != "fact_check" for item in retracted.json())


def test_a_report_repeating_a_verdicts_claim_is_recorded(journalist, published):
    later = services.submit_report(
        user=journalist,
        headline="Summit recap",
        language="en",
        body=f"The minister spoke again on Friday. {REPEATED}, she told reporters. Markets were calm.",
    )

    assert track_report(report_id=later.pk) == 1
    assert track_report(report_id=later.pk) == 0  # a second run records nothing new

    appearance = ClaimAppearance.objects.get()
    assert appearance.claim_id == published.pk and appearance.report_id == later.pk
    assert later.body[appearance.start : appearance.end] == appearance.quote
    assert REPEATED in appearance.quote
    assert appearance.appeared_on == later.created_at.date()
    sentence = later.sentences.get(start=appearance.start)
    assert sentence.match.ref_id == published.pk and sentence.match_score >= 0.75


def test_a_long_report_is_matched_in_batches_and_every_sentence_keeps_its_own_match(journalist, published, monkeypatch):
    monkeypatch.setattr(tracking, "MATCH_BATCH", 2)  # five sentences: three batches, the repetition in the last
    later = services.submit_report(
        user=journalist,
        headline="Week in review",
        language="en",
        body=f"{UNRELATED}. Markets were calm. The minister spoke on Friday. Rain is due. {REPEATED}.",
    )

    assert track_report(report_id=later.pk) == 1

    sentences = list(later.sentences.order_by("position"))
    assert len(sentences) == 5
    assert sentences[-1].match.ref_id == published.pk and sentences[-1].match_score >= 0.75
    assert all(s.match_score is None or s.match_score < 0.75 for s in sentences[:-1])
    assert ClaimAppearance.objects.get().start == sentences[-1].start


def test_a_claim_submitted_from_a_repeating_report_names_the_claimant(api, journalist, published):
    later = services.submit_report(
        user=journalist, headline="Recap", language="en", body=f"{PARAPHRASE}. Nothing else happened."
    )
    sentence = later.sentences.get(position=0)

    answer = api(journalist).post(
        "/api/v1/claims/", {"sentence": sentence.pk, "claimant": "Senator Ana Ruiz"}, format="json"
    )

    assert answer.json()["already_fact_checked"]["id"] == published.pk
    appearance = ClaimAppearance.objects.get(report=later)
    assert appearance.claimant.name == "Senator Ana Ruiz"


def test_the_report_a_claim_came_from_is_not_a_repetition(published):
    assert track_report(report_id=published.report_id) == 0


def test_a_duplicate_follows_its_canonical_claims_verdict(make_claim, desk, editor):
    canonical = make_claim(CHECKED)
    duplicate = make_claim(PARAPHRASE)

    duplicates.mark_duplicate(claim_id=duplicate.pk, canonical_id=canonical.pk, editor=editor)
    duplicate.refresh_from_db()
    assert duplicate.status == ClaimStatus.REJECTED and duplicate.duplicate_of_id == canonical.pk
    assert verdict_of(duplicate) is None

    desk.published(canonical)
    assert verdict_of(duplicate) == canonical.fact_check
    assert duplicate.events.last().changes == {"duplicate_of": [None, canonical.pk]}


def test_only_claims_at_triage_are_marked_duplicates(make_claim, desk, editor, journalist):
    canonical, queued = make_claim(CHECKED), make_claim(PARAPHRASE)
    desk.queue(queued)

    with pytest.raises(IllegalTransition, match="duplicates are marked at triage"):
        duplicates.mark_duplicate(claim_id=queued.pk, canonical_id=canonical.pk, editor=editor)
    with pytest.raises(Exception, match="editor"):
        duplicates.mark_duplicate(claim_id=canonical.pk, canonical_id=queued.pk, editor=journalist)


@pytest.mark.parametrize("indexed_with_path", [True, False])
def test_the_link_to_our_verdict_follows_the_sites_address_of_today(
    api, journalist, published, settings, indexed_with_path
):
    # The verdict was indexed under the default address; the site has moved to its own domain and name since.
    if not indexed_with_path:  # a verdict indexed before the payload kept its page's path
        document = MatchDocument.objects.get(kind=MatchDocument.Kind.FACT_CHECK, ref_id=published.pk)
        document.payload.pop("path")
        document.save(update_fields=["payload"])
    settings.SITE_URL, settings.FACTCHECK_PUBLISHER_NAME = "https://checks.example.org", "Проверка фактов"

    answer = api(journalist).post("/api/v1/claims/similar/", {"text": PARAPHRASE, "language": "en"}, format="json")

    (ours,) = [item for item in answer.json() if item["kind"] == "fact_check"]
    page = published.fact_check.get_absolute_url()
    assert ours["fact_check"]["url"] == f"https://checks.example.org{page}"
    assert ours["fact_check"]["publisher"] == "Проверка фактов"


def test_marking_a_claim_a_duplicate_of_its_own_duplicate_says_which_way_round_they_are(make_claim, editor):
    canonical, repeat = make_claim(CHECKED), make_claim(PARAPHRASE)
    duplicates.mark_duplicate(claim_id=repeat.pk, canonical_id=canonical.pk, editor=editor)

    with pytest.raises(InvalidInput) as refused:
        duplicates.mark_duplicate(claim_id=canonical.pk, canonical_id=repeat.pk, editor=editor)

    assert refused.value.errors == {
        "canonical": [f"Claim {repeat.pk} is a duplicate of this one: this claim is the canonical claim."]
    }
    canonical.refresh_from_db()
    assert canonical.status == ClaimStatus.SUBMITTED and canonical.duplicate_of_id is None
