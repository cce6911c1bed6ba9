"""The journalist's workspace through Django's test client: sign in, submit a report and its claims, follow them, edit
one while it is still submitted; what others may not open, and the refusals the services give."""

import pytest
from django.urls import reverse

from claims import services
from claims import services as claim_services
from claims.models import Claim, Claimant, ClaimEvent, Report, Topic
from factcheck.site.csp import HEADER, POLICY
from reviews.services import verdicts
from tests.conftest import PASSWORD

ARABIC_BODY = "قال الوزير إن المحادثات استمرت أكثر من خمس ساعات. وارتفعت التجارة بنسبة 12٪ العام الماضي."
ARABIC_QUOTE = "وارتفعت التجارة بنسبة 12٪ العام الماضي"
HINDI_CLAIMANT = "वित्त मंत्रालय"

MY_CLAIMS = reverse("workspace:my-claims")
SUBMIT_REPORT = reverse("workspace:submit-report")


def report_url(report) -> str:
    return reverse("workspace:report", kwargs={"report_id": report.pk})


def edit_url(claim) -> str:
    return reverse("workspace:edit-claim", kwargs={"claim_id": claim.pk})


@pytest.fixture
def jane(client, journalist):
    client.force_login(journalist)
    return client


def claim_form(**overrides) -> dict:
    fields = {
        "quote": "Trade rose by 12% last year",
        "text": "Trade grew by 12% in 2025",
        "claimant": "Ministry of Trade",
        "claimant_kind": "Organization",
        "claim_date": "2026-03-14",
        "language": "en",
    }
    return fields | overrides


def test_it_signs_a_journalist_in_and_refuses_a_wrong_password(client, journalist):
    page = client.get(reverse("workspace:sign-in"))
    assert page.status_code == 200 and b"Sign in" in page.content

    wrong = client.post(reverse("workspace:sign-in"), {"username": "jane", "password": "not-it"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    assert b'role="alert"' in wrong.content

    right = client.post(reverse("workspace:sign-in"), {"username": "jane", "password": PASSWORD}, follow=True)
    assert right.redirect_chain[-1][0] == MY_CLAIMS
    assert b"My claims" in right.content


def test_it_submits_a_report_and_a_claim_with_the_quote_at_its_offsets(jane, journalist):
    topic = Topic.objects.create(slug="economy", name="Economy")
    answer = jane.post(
        SUBMIT_REPORT,
        {
            "headline": "Trade figures out",
            "outlet": "Example News",
            "url": "",
            "published": "2026-03-14",
            "language": "en",
            "body": "The minister spoke.\r\nTrade rose by 12% last year, she said.",
        },
    )
    report = Report.objects.get()
    assert answer.status_code == 302 and answer["Location"] == report_url(report)
    assert (report.submitted_by, report.published_at.date().isoformat()) == (journalist, "2026-03-14")

    answer = jane.post(report_url(report), claim_form(topics=["economy"]))

    assert answer.status_code == 302
    claim = Claim.objects.get()
    assert report.body[claim.quote_start : claim.quote_end] == claim.quote == "Trade rose by 12% last year"
    assert (claim.status, claim.submitted_by, claim.report) == ("submitted", journalist, report)
    assert (claim.claimant.name, claim.claimant.kind) == ("Ministry of Trade", "Organization")
    assert list(claim.topics.all()) == [topic]
    assert claim.events.get().to_status == "submitted"  # the service's audit row
    page = jane.get(report_url(report))
    assert '<mark class="quote">Trade rose by 12% last year</mark>' in page.content.decode()


def test_it_takes_arabic_text_and_a_hindi_claimant(jane, journalist):
    jane.post(SUBMIT_REPORT, {"headline": "المحادثات في جنيف", "language": "ar", "body": ARABIC_BODY})
    report = Report.objects.get()

    jane.post(report_url(report), claim_form(quote=ARABIC_QUOTE, text="ارتفعت التجارة", claimant=HINDI_CLAIMANT))

    claim = Claim.objects.get()
    assert report.body[claim.quote_start : claim.quote_end] == ARABIC_QUOTE
    assert claim.claimant.name == HINDI_CLAIMANT
    html = jane.get(MY_CLAIMS).content.decode()
    assert "ارتفعت التجارة" in html and HINDI_CLAIMANT in html
    assert f'<mark class="quote">{ARABIC_QUOTE}</mark>' in jane.get(report_url(report)).content.decode()


def test_it_refuses_a_quote_that_is_not_in_the_text(jane, report):
    answer = jane.post(report_url(report), claim_form(quote="Trade fell by 12%"))

    assert answer.status_code == 400
    assert answer.context["form"].errors["quote"] == [
        "The report's text does not contain these words: copy them exactly as written."
    ]
    assert not Claim.objects.exists()


@pytest.mark.parametrize(("hint", "stored"), [("second", "second"), ("", "first"), ("1e9", "first"), ("-5", "first")])
def test_the_quote_pickers_offset_chooses_which_occurrence_is_stored(jane, journalist, hint, stored):
    body = "Prices rose by 5%, he said. The opposition said prices rose by 5% too."
    twice = services.submit_report(user=journalist, headline="Prices", language="en", body=body)
    places = {"first": body.index("rose by 5%"), "second": body.rindex("rose by 5%")}

    answer = jane.post(report_url(twice), claim_form(quote="rose by 5%", quote_start=places.get(hint, hint)))

    assert answer.status_code == 302, answer.context and answer.context["form"].errors
    claim = Claim.objects.get()
    assert (claim.quote_start, claim.quote_end) == (places[stored], places[stored] + len("rose by 5%"))
    edited = jane.post(edit_url(claim), claim_form(quote="rose by 5%", quote_start=places["first"]))
    assert edited.status_code == 302
    claim.refresh_from_db()
    assert claim.quote_start == places["first"]


def test_it_refuses_a_claim_dated_after_today(jane, report):
    answer = jane.post(report_url(report), claim_form(claim_date="2999-01-01"))

    assert answer.status_code == 400
    assert answer.context["form"].errors["claim_date"] == ["A claim cannot have been made after today."]
    assert not Claim.objects.exists()


def test_it_shows_field_errors_for_missing_input(jane):
    answer = jane.post(SUBMIT_REPORT, {"headline": " \u200b", "language": "en", "body": ""})

    assert answer.status_code == 400
    assert set(answer.context["form"].errors) == {"headline", "body"}
    assert not Report.objects.exists()


def test_it_lists_my_claims_newest_first_with_notes_and_the_verdict(jane, make_claim, desk, editor):
    rejected = make_claim("An opinion")
    services.triage_claim(claim_id=rejected.pk, editor=editor, decision="reject", reason="An opinion, not a fact.")
    published = make_claim("The talks lasted more than five hours")
    fact_check = desk.published(published)

    html = jane.get(MY_CLAIMS).content.decode()

    assert html.index("The talks lasted more than five hours") < html.index("An opinion")
    assert "An opinion, not a fact." in html
    assert 'data-status="rejected"' in html and 'data-status="published"' in html
    assert f'href="{fact_check.get_absolute_url()}"' in html
    assert edit_url(rejected) not in html


def test_the_claims_page_gives_the_reason_it_was_rejected(jane, make_claim, editor):
    rejected = make_claim()
    reason = "Ein Meinungsbeitrag, keine überprüfbare Tatsachenbehauptung."
    claim_services.triage_claim(claim_id=rejected.pk, editor=editor, decision="reject", reason=reason)

    page = jane.get(reverse("workspace:claim", kwargs={"claim_id": rejected.pk})).content.decode()

    assert "The desk's answer" in page and reason in page


def test_it_pages_my_claims(jane, make_claim):
    for n in range(21):
        make_claim(f"Claim number {n}")

    first, second = jane.get(MY_CLAIMS).content.decode(), jane.get(MY_CLAIMS, {"page": 2}).content.decode()

    assert "Claim number 20<" in first and "Claim number 1<" in first and "Claim number 0<" not in first
    assert "Claim number 0<" in second and "Claim number 1<" not in second
    assert "Page 2 of 2" in second


def test_it_edits_a_submitted_claim_and_writes_the_audit_row(jane, make_claim, journalist):
    claim = make_claim()
    assert edit_url(claim) in jane.get(MY_CLAIMS).content.decode()
    form = jane.get(edit_url(claim)).context["form"]
    assert (form["text"].value(), form["claimant"].value()) == (claim.text, "Minister Jane Roe")

    answer = jane.post(edit_url(claim), claim_form(quote="the minister said", text="The minister said so"))

    assert answer.status_code == 302
    claim.refresh_from_db()
    assert (claim.text, claim.report.body[claim.quote_start : claim.quote_end]) == (
        "The minister said so",
        "the minister said",
    )
    edit = claim.events.get(kind=ClaimEvent.Kind.EDIT)
    assert edit.actor == journalist
    assert edit.changes["text"] == ["The talks lasted more than five hours", "The minister said so"]


def test_it_refuses_to_edit_a_queued_claim(jane, make_claim, editor):
    claim = make_claim()
    services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")  # routing waits for a commit
    assert edit_url(claim) not in jane.get(MY_CLAIMS).content.decode()
    assert edit_url(claim) not in jane.get(report_url(claim.report)).content.decode()

    assert jane.get(edit_url(claim)).status_code == 409
    answer = jane.post(edit_url(claim), claim_form(text="Something else"))

    assert answer.status_code == 409
    assert "A claim that is queued can no longer be edited." in answer.content.decode()
    # The edit is refused, but what was typed is shown back to copy (test_journalist_refused_edits).
    assert answer.templates[0].name == "workspace/journalist/not_saved.html"
    assert "Something else" in answer.content.decode()
    claim.refresh_from_db()
    assert claim.text == "The talks lasted more than five hours"
    assert not claim.events.filter(kind=ClaimEvent.Kind.EDIT).exists()


def test_it_answers_another_journalists_claim_and_report_with_a_styled_404(client, journalist, other_journalist):
    # Pasted text without a URL stays its submitter's (an article submitted by URL is the whole newsroom's).
    pasted = claim_services.submit_report(
        user=journalist, headline="Talks", language="en", body="The talks lasted more than five hours, she said."
    )
    claim = claim_services.submit_claim(
        user=journalist,
        text="The talks lasted more than five hours",
        language="en",
        report=pasted.pk,
        quote="The talks lasted more than five hours",
    )
    client.force_login(other_journalist)

    for url in (edit_url(claim), report_url(claim.report)):
        answer = client.get(url)
        assert answer.status_code == 404
        assert answer.templates[0].name == "workspace/error.html"
    assert client.post(edit_url(claim), claim_form(text="Hijacked")).status_code == 404
    assert client.post(report_url(claim.report), claim_form()).status_code == 404
    claim.refresh_from_db()
    assert claim.text == "The talks lasted more than five hours"
    assert Claim.objects.count() == 1
    assert "The talks lasted" not in client.get(MY_CLAIMS).content.decode()


@pytest.mark.parametrize("url", [MY_CLAIMS, SUBMIT_REPORT])
def test_it_sends_anonymous_visitors_to_the_sign_in_page(client, url):
    answer = client.get(url)

    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("workspace:sign-in") + "?next=")


@pytest.mark.parametrize("url", [MY_CLAIMS, SUBMIT_REPORT])
def test_it_refuses_a_reviewer_with_a_styled_403(client, reviewer, url):
    client.force_login(reviewer)

    answer = client.get(url)

    assert answer.status_code == 403
    assert answer.templates[0].name == "workspace/error.html"
    assert "journalist role" in answer.content.decode()


def test_it_keeps_a_known_claimants_kind(jane, report):
    Claimant.objects.create(name="Ministry of Trade", kind="Person")

    jane.post(report_url(report), claim_form(claimant_kind="Organization"))

    assert Claimant.objects.get().kind == "Person"


@pytest.mark.parametrize("page", ["my-claims", "submit-report", "report"])
def test_its_pages_carry_the_sites_content_security_policy(jane, report, page):
    url = report_url(report) if page == "report" else reverse(f"workspace:{page}")

    answer = jane.get(url)

    assert answer.status_code == 200
    assert answer[HEADER] == POLICY
    assert "style=" not in answer.content.decode()
    assert "<script>" not in answer.content.decode()


def test_it_keeps_the_desks_internal_notes_from_the_journalist(jane, make_claim, desk, editor, reviewer):
    """Who was offered the claim and what the editor told the reviewer stay on the desk; the verdict is public."""
    claim = make_claim("The talks lasted more than five hours")
    desk.awaiting_approval(claim)
    verdicts.return_review(claim_id=claim.pk, editor=editor, note="Say which schedule you used.")

    html = jane.get(MY_CLAIMS).content.decode()

    assert "Say which schedule you used." not in html
    assert reviewer.get_username() not in html
    assert claim.events.filter(note="Say which schedule you used.").exists()
