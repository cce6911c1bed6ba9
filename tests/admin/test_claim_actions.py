"""The desk's actions on claims in the admin: each through its confirmation page and the real service, with a
message per claim that says what happened (or the service's refusal)."""

import pytest
from django.contrib.auth.models import Permission

from claims.models import Claim
from core.roles import Role
from factcheck.record.models import FactCheck
from reviews.services import assignments as desk_services
from reviews.services import verdicts
from reviews.services.members import add_member
from tests.admin.desk import CLAIMS, action, messages_of

pytestmark = pytest.mark.django_db


def test_it_asks_before_accepting_then_accepts_with_the_chosen_priority(as_editor, make_claim):
    claim = make_claim()

    page = as_editor.get(action("accept"), {"ids": claim.pk})
    answer = as_editor.post(action("accept"), {"ids": claim.pk, "priority": "high", "reason": ""}, follow=True)

    html = page.content.decode()
    assert page.status_code == 200
    assert "The talks lasted more than five hours" in html and 'name="priority"' in html
    assert answer.redirect_chain == [(f"{CLAIMS}{claim.pk}/change/", 302)]
    claim.refresh_from_db()
    assert (claim.status, claim.priority) == ("queued", "high")
    assert claim.events.last().actor.username == "eddie"
    (message,) = messages_of(answer)
    assert message[0] == "success"
    assert f'<a href="{CLAIMS}{claim.pk}/change/">Claim «The talks lasted more than five hours»</a>' in message[1]
    assert "accepted into the queue (High priority)" in message[1]


def test_it_rejects_only_with_a_reason_in_any_script(as_editor, make_claim):
    claim = make_claim("Переговоры длились более пяти часов")

    without = as_editor.post(action("reject"), {"ids": claim.pk, "reason": "  "})
    claim.refresh_from_db()
    assert without.status_code == 200 and claim.status == "submitted"
    assert "This field is required." in without.content.decode()

    answer = as_editor.post(action("reject"), {"ids": claim.pk, "reason": "Это мнение, не факт."}, follow=True)

    claim.refresh_from_db()
    assert claim.status == "rejected"
    assert claim.events.last().note == "Это мнение, не факт."
    assert messages_of(answer) == [
        ("success", f'<a href="{CLAIMS}{claim.pk}/change/">Claim «Переговоры длились более пяти часов»</a> rejected.')
    ]


def test_it_routes_a_queued_claim_now_and_names_the_reviewer(as_editor, make_claim, desk, reviewer):
    claim = make_claim()
    claim_id = claim.pk
    Claim.objects.filter(pk=claim_id).update(status="queued")

    answer = as_editor.post(action("route"), {"ids": claim_id}, follow=True)

    assert Claim.objects.get(pk=claim_id).status == "assigned"
    ((level, text),) = messages_of(answer)
    assert level == "success" and "offered to rita (due " in text


def test_it_says_why_routing_found_nobody(as_editor, make_claim):
    claim = make_claim()
    Claim.objects.filter(pk=claim.pk).update(status="queued")

    answer = as_editor.post(action("route"), {"ids": claim.pk}, follow=True)

    assert Claim.objects.get(pk=claim.pk).status == "queued"
    ((level, text),) = messages_of(answer)
    assert level == "error" and "It stays queued: no available reviewer works in English (en)" in text


def test_accepting_a_claim_no_reviewer_can_take_says_so_at_once(as_editor, make_claim, reviewer):
    claim = make_claim("Die Gespräche dauerten fünf Stunden", language="de")  # rita works in German, not in Hindi
    Claim.objects.filter(pk=claim.pk).update(language="hi")

    answer = as_editor.post(action("accept"), {"ids": claim.pk, "priority": "normal"}, follow=True)

    ((level, text),) = messages_of(answer)
    assert level == "success" and "it stays queued: no available reviewer works in Hindi (hi)." in text
    assert "routing will offer it" not in text


def test_it_lists_eligible_reviewers_first_with_their_load(as_editor, make_claim, desk, reviewer, other_reviewer):
    german = make_claim("Die Gespräche dauerten fünf Stunden", language="de")
    desk.queue(german)  # routed to rita, the only reviewer who works in German
    claim = make_claim(language="de")
    Claim.objects.filter(pk=claim.pk).update(status="queued")

    html = as_editor.get(action("assign"), {"ids": claim.pk}).content.decode()

    eligible, others = html.split('<optgroup label="Eligible">')[1].split("<optgroup label=")[:2]
    assert "rita (1/3)" in eligible and "rolf" not in eligible
    assert "rolf (0/3)" in others


def test_it_assigns_then_reassigns_through_the_service(as_editor, make_claim, desk, reviewer, other_reviewer):
    claim = make_claim()
    Claim.objects.filter(pk=claim.pk).update(status="queued")

    first = as_editor.post(action("assign"), {"ids": claim.pk, "reviewer": reviewer.pk, "note": ""}, follow=True)
    again = as_editor.post(action("assign"), {"ids": claim.pk, "reviewer": reviewer.pk, "note": ""}, follow=True)
    to_rolf = {"ids": claim.pk, "reviewer": other_reviewer.pk, "note": "Rolf knows it"}
    moved = as_editor.post(action("assign"), to_rolf, follow=True)

    ((level, text),) = messages_of(first)
    assert level == "success" and "assigned to rita (due " in text
    # The same assignment sent again is already done, said as information, not refused.
    link = f'<a href="{CLAIMS}{claim.pk}/change/">Claim «The talks lasted more than five hours»</a>'
    assert messages_of(again) == [("info", f"{link} is already assigned to rita.")]
    assert "assigned to rolf (due " in messages_of(moved)[0][1]
    states = list(claim.assignments.order_by("pk").values_list("reviewer__username", "state", "reason"))
    assert states == [("rita", "released", "Rolf knows it"), ("rolf", "offered", "")]


def test_it_returns_a_review_with_comments_to_its_reviewer(as_editor, make_claim, desk):
    claim = make_claim()
    desk.awaiting_approval(claim)

    answer = as_editor.post(action("return"), {"ids": claim.pk, "note": "Cite the agenda, please."}, follow=True)

    claim.refresh_from_db()
    assert claim.status == "in_review"
    assert claim.events.last().note == "Cite the agenda, please."
    assert "returned to rita with your comments." in messages_of(answer)[0][1]


def test_it_approves_and_links_the_public_page(client, other_editor, make_claim, desk):
    claim = make_claim()
    desk.awaiting_approval(claim)
    client.force_login(other_editor)

    answer = client.post(action("approve"), {"ids": claim.pk, "note": ""}, follow=True)

    fact_check = FactCheck.objects.get(claim=claim)
    url = fact_check.get_absolute_url()
    assert Claim.objects.get(pk=claim.pk).status == "published"
    ((level, text),) = messages_of(answer)
    assert level == "success"
    assert text.endswith(f'Claim «The talks lasted more than five hours»</a> published: <a href="{url}">{url}</a>')


def test_it_corrects_from_the_current_verdict_and_refuses_a_correction_that_changes_nothing(
    as_editor, make_claim, desk
):
    claim = make_claim()
    fact_check = desk.published(claim)
    form = as_editor.get(action("correct"), {"ids": claim.pk}).content.decode()
    assert "It was four hours." in form and "https://gov.example.org/schedule | Official schedule" in form
    data = {
        "ids": claim.pk,
        "note": "We misread the schedule.",
        "rating": "mostly-false",
        "summary": "It was four hours.",
        "explanation": "The official schedule shows the talks ran from 10:00 to 14:00.",
        "sources": "https://gov.example.org/schedule | Official schedule",
    }

    first = as_editor.post(action("correct"), data, follow=True)
    second = as_editor.post(action("correct"), data)

    fact_check.refresh_from_db()
    assert fact_check.current_version.number == 2
    assert fact_check.versions.count() == 2
    assert fact_check.current_version.rating.slug == "mostly-false"
    assert f'corrected: <a href="{fact_check.get_absolute_url()}">' in messages_of(first)[0][1]
    # Refused, the form comes back with what was typed and the service's words, not the claim's page without them.
    assert second.status_code == 400
    refused = second.context["form"]
    assert refused.non_field_errors() == [
        "This correction changes nothing version 2 shows. Send the rating, summary, explanation or sources that "
        "change, with the note saying why; nothing was published."
    ]
    assert {name: refused[name].value() for name in data if name != "ids"} == {
        name: value for name, value in data.items() if name != "ids"
    }


def test_it_retracts_only_with_a_reason(as_editor, make_claim, desk):
    claim = make_claim()
    desk.published(claim)

    without = as_editor.post(action("retract"), {"ids": claim.pk, "reason": ""})
    answer = as_editor.post(action("retract"), {"ids": claim.pk, "reason": "The video was edited."}, follow=True)

    assert without.status_code == 200
    claim.refresh_from_db()
    assert claim.status == "retracted"
    assert claim.fact_check.retraction_reason == "The video was edited."
    assert "retracted; its page is now a tombstone" in messages_of(answer)[0][1]


def test_it_reports_each_claim_of_a_bulk_accept(as_editor, make_claim, desk):
    claims = [make_claim("First claim"), make_claim("Second claim"), make_claim("Third claim")]
    desk.queue(claims[1])

    to_confirm = as_editor.post(CLAIMS, {"action": "accept_claims", "_selected_action": [c.pk for c in claims]})
    page = as_editor.get(to_confirm.url)
    data = {"ids": [c.pk for c in claims], "priority": "normal", "back": "list"}
    answer = as_editor.post(action("accept"), data, follow=True)

    assert to_confirm.status_code == 302 and to_confirm.url.startswith(action("accept"))
    assert all(text in page.content.decode() for text in ["First claim", "Second claim", "Third claim"])
    assert answer.redirect_chain == [(CLAIMS, 302)]
    found = messages_of(answer)
    assert [level for level, _ in found] == ["success", "info", "success", "info"]
    # Accepted before and offered to a reviewer by routing since, the second claim has had the action already.
    second = f'<a href="{CLAIMS}{claims[1].pk}/change/">Claim «Second claim»</a>'
    assert found[1][1] == f"{second} is already accepted (now assigned to rita)."
    assert found[3][1] == "2 done, 1 already done, 0 refused."
    assert [Claim.objects.get(pk=c.pk).status for c in claims] == ["queued", "assigned", "queued"]
    assert [c.events.filter(to_status="queued").count() for c in claims] == [1, 1, 1]


def test_it_answers_a_repeated_confirmation_with_already_done(as_editor, make_claim):
    claim = make_claim()
    data = {"ids": claim.pk, "priority": "normal"}

    as_editor.post(action("accept"), data, follow=True)
    again = as_editor.post(action("accept"), data, follow=True)

    ((level, text),) = messages_of(again)
    assert level == "info" and text.endswith("</a> is already queued.")
    assert "cannot become" not in again.content.decode()
    assert claim.events.filter(to_status="queued").count() == 1


def test_it_refuses_an_editor_approving_their_own_review(client, editor, make_claim):
    both = add_member(username="sam", role=Role.EDITOR, password="x")
    both = add_member(username="sam", role=Role.REVIEWER, languages=["en"])
    claim = make_claim()
    Claim.objects.filter(pk=claim.pk).update(status="queued")
    offer = desk_services.assign_by_hand(claim_id=claim.pk, editor=editor, reviewer_id=both.pk)
    desk_services.accept_assignment(assignment_id=offer.pk, reviewer=both)
    verdicts.save_review(
        claim_id=claim.pk,
        reviewer=both,
        rating="false",
        summary="Four hours.",
        explanation="The schedule says so.",
        sources=[verdicts.SourceInput(url="https://gov.example.org/schedule", title="Schedule")],
    )
    verdicts.submit_review(claim_id=claim.pk, reviewer=both)
    client.force_login(both)

    answer = client.post(action("approve"), {"ids": claim.pk, "note": "Thanks for the sources."})

    assert answer.status_code == 403
    form = answer.context["form"]
    assert form.non_field_errors() == ["The reviewer of a claim may not approve it."]
    assert form["note"].value() == "Thanks for the sources."
    assert Claim.objects.get(pk=claim.pk).status == "awaiting_approval"
    assert not FactCheck.objects.exists()


def test_it_refuses_to_approve_a_claim_not_awaiting_approval(as_editor, make_claim, desk):
    claim = make_claim()
    desk.queue(claim)

    answer = as_editor.post(action("approve"), {"ids": claim.pk, "note": "Well sourced."})

    assert answer.status_code == 409
    form = answer.context["form"]
    assert form.non_field_errors() == ["A claim that is assigned cannot be approved."]
    assert form["note"].value() == "Well sourced."
    assert Claim.objects.get(pk=claim.pk).status == "assigned"
    assert not FactCheck.objects.exists()


@pytest.mark.parametrize("name", ["accept", "assign", "approve", "retract"])
def test_it_forbids_every_action_to_staff_who_are_not_editors(client, make_claim, reviewer, journalist, name):
    claim = make_claim()
    for user in (journalist, reviewer):
        user.is_staff = True  # let into the admin, yet no editor
        user.save()
        user.user_permissions.add(*Permission.objects.filter(codename__in=["view_claim", "change_claim"]))
        client.force_login(user)

        assert client.get(action(name), {"ids": claim.pk}).status_code == 403
        assert client.post(action(name), {"ids": claim.pk, "reason": "x", "note": "x"}).status_code == 403
    assert Claim.objects.get(pk=claim.pk).status == "submitted"


def test_it_needs_the_csrf_token_to_act(make_claim, editor):
    from django.test import Client

    claim = make_claim()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)

    assert browser.post(action("accept"), {"ids": claim.pk, "priority": "normal"}).status_code == 403
    assert Claim.objects.get(pk=claim.pk).status == "submitted"


@pytest.mark.parametrize("text", ["Переговоры длились пять часов", "استمرت المحادثات خمس ساعات"])
def test_it_keeps_non_latin_claims_intact_in_messages(as_editor, make_claim, text):
    claim = make_claim(text)

    answer = as_editor.post(action("accept"), {"ids": claim.pk, "priority": "low"}, follow=True)

    assert f"Claim «{text}»</a> accepted into the queue (Low priority)" in answer.content.decode()


def test_it_escapes_claim_text_in_messages(as_editor, make_claim):
    claim = make_claim("<b>Bold</b> claims & more")

    answer = as_editor.post(action("accept"), {"ids": claim.pk, "priority": "normal"}, follow=True)

    assert "Claim «&lt;b&gt;Bold&lt;/b&gt; claims &amp; more»" in messages_of(answer)[0][1]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_names_the_reviewer_routing_offered_the_accepted_claim_to(client, editor, reviewer, make_claim):
    """In-process routing runs as the triage commits, so the editor hears at once who got the claim."""
    claim = make_claim()
    client.force_login(editor)

    answer = client.post(action("accept"), {"ids": claim.pk, "priority": "high"}, follow=True)

    (message,) = messages_of(answer)
    assert "accepted into the queue (High priority) and offered to rita (due " in message[1]
    assert claim.assignments.get().reviewer == reviewer
