"""Marking duplicates on the desk: a confirmation page that suggests the most similar claims, one message per claim
(the service's words for a refusal), the link between a duplicate and its canonical claim on both pages, and the
duplicate following the canonical claim's verdict once it is published."""

import re

from django.contrib.auth.models import Permission
from django.test import Client

from claims.models import Claim, ClaimStatus
from tests.admin.desk import CLAIMS, messages_of

DUPLICATE = f"{CLAIMS}actions/duplicate/"
ORIGINAL = "The talks lasted more than five hours"
REPEAT = "The Geneva talks lasted more than five hours, the minister said"


def test_it_suggests_the_most_similar_claims_and_marks_the_chosen_one(as_editor, make_claim, editor):
    canonical = make_claim(ORIGINAL)
    make_claim("Trade rose by 12% last year", quote="Trade rose by 12% last year.")
    repeat = make_claim(REPEAT)

    page = as_editor.get(DUPLICATE, {"ids": repeat.pk})
    answer = as_editor.post(
        DUPLICATE, {"ids": repeat.pk, "suggested": canonical.pk, "note": "Same speech."}, follow=True
    )

    html = page.content.decode()
    assert page.status_code == 200 and "Mark as duplicate…" in html
    suggestions = page.context["form"].fields["suggested"].choices
    assert suggestions[0][0] == canonical.pk
    assert re.search(rf"#{canonical.pk} {re.escape(ORIGINAL)} \(submitted, (close|possible) match \(\d\.\d\d\)\)", html)
    # The unrelated claim is offered last, named loose without a meaningless 0.00.
    assert suggestions[-1][1].endswith(", loose match)"), suggestions
    assert all(pk != repeat.pk for pk, _ in suggestions)  # never itself
    repeat.refresh_from_db()
    assert (repeat.status, repeat.duplicate_of_id) == (ClaimStatus.REJECTED, canonical.pk)
    assert repeat.events.filter(kind="transition", to_status=ClaimStatus.REJECTED).get().note.endswith("Same speech.")
    assert answer.redirect_chain == [(f"{CLAIMS}{repeat.pk}/change/", 302)]
    ((level, message),) = messages_of(answer)
    assert level == "success"
    assert f'href="{CLAIMS}{repeat.pk}/change/">Claim «{REPEAT}»</a> rejected as a duplicate of' in message
    assert f'href="{CLAIMS}{canonical.pk}/change/">Claim «{ORIGINAL}»</a>' in message


def test_it_takes_the_canonical_claims_id_and_marks_a_selection_in_bulk(as_editor, make_claim):
    canonical = make_claim(ORIGINAL)
    first, second = make_claim(REPEAT), make_claim("Ministers talked for more than five hours in Geneva")

    to_confirm = as_editor.post(CLAIMS, {"action": "duplicate_claims", "_selected_action": [first.pk, second.pk]})
    answer = as_editor.post(
        DUPLICATE, {"ids": [first.pk, second.pk], "canonical": canonical.pk, "back": "list"}, follow=True
    )

    assert to_confirm.status_code == 302 and to_confirm["Location"].startswith(DUPLICATE)
    assert set(Claim.objects.filter(duplicate_of=canonical).values_list("pk", flat=True)) == {first.pk, second.pk}
    levels = [level for level, _ in messages_of(answer)]
    assert levels == ["success", "success", "info"]
    assert messages_of(answer)[-1][1] == "2 done, 0 refused."
    assert answer.redirect_chain == [(CLAIMS, 302)]


def test_it_refuses_a_claim_a_reviewer_has_taken_in_the_services_words(as_editor, make_claim, desk):
    canonical = make_claim(ORIGINAL)
    taken = make_claim(REPEAT)
    desk.in_review(taken)
    fresh = make_claim("Ministers talked for more than five hours in Geneva")

    answer = as_editor.post(DUPLICATE, {"ids": [taken.pk, fresh.pk], "canonical": canonical.pk}, follow=True)

    (refusal, done, summary) = messages_of(answer)
    assert refusal[0] == "error"
    assert refusal[1].endswith("A claim that is in review is already with the desk; duplicates are marked at triage.")
    assert done[0] == "success" and summary == ("warning", "1 done, 1 refused.")
    assert Claim.objects.get(pk=taken.pk).duplicate_of_id is None
    assert Claim.objects.get(pk=fresh.pk).duplicate_of_id == canonical.pk


def test_it_asks_for_a_claim_and_refuses_a_claim_as_its_own_duplicate(as_editor, make_claim):
    claim = make_claim(REPEAT)

    empty = as_editor.post(DUPLICATE, {"ids": claim.pk, "canonical": ""})
    note = "Looks like the same quote."
    itself = as_editor.post(DUPLICATE, {"ids": claim.pk, "canonical": claim.pk, "note": note})

    assert empty.status_code == 200
    assert "Choose one of the similar claims or give the canonical claim&#x27;s id." in empty.content.decode()
    # Refused by the service, beside the field it names, with what the editor typed kept.
    assert itself.status_code == 400
    form = itself.context["form"]
    assert form.errors["canonical"] == ["A claim cannot be a duplicate of itself."]
    assert (form["canonical"].value(), form["note"].value()) == (str(claim.pk), note)
    claim.refresh_from_db()
    assert (claim.status, claim.duplicate_of_id) == (ClaimStatus.SUBMITTED, None)


def test_it_is_refused_to_staff_who_are_not_editors(client, make_claim, journalist, reviewer):
    canonical, claim = make_claim(ORIGINAL), make_claim(REPEAT)
    for user in (journalist, reviewer):
        user.is_staff = True  # let into the admin, yet no editor
        user.save()
        user.user_permissions.add(*Permission.objects.filter(codename__in=["view_claim", "change_claim"]))
        client.force_login(user)

        assert client.get(DUPLICATE, {"ids": claim.pk}).status_code == 403
        assert client.post(DUPLICATE, {"ids": claim.pk, "canonical": canonical.pk}).status_code == 403
    assert Claim.objects.get(pk=claim.pk).duplicate_of_id is None


def test_the_button_shows_at_triage_and_the_pages_link_duplicate_and_canonical(as_editor, make_claim):
    canonical, claim = make_claim(ORIGINAL), make_claim(REPEAT)
    before = as_editor.get(f"{CLAIMS}{claim.pk}/change/").content.decode()

    as_editor.post(DUPLICATE, {"ids": claim.pk, "canonical": canonical.pk})
    duplicate_page = as_editor.get(f"{CLAIMS}{claim.pk}/change/").content.decode()
    canonical_page = as_editor.get(f"{CLAIMS}{canonical.pk}/change/").content.decode()

    assert f'href="{DUPLICATE}?ids={claim.pk}&amp;back=claim" class="desk-action">Mark as duplicate</a>' in before
    assert f'Duplicate of <a href="{CLAIMS}{canonical.pk}/change/">#{canonical.pk}</a>' in duplicate_page
    assert "That claim has no published verdict yet" in duplicate_page
    assert "Duplicates of this claim (1):" in canonical_page
    assert f'<a href="{CLAIMS}{claim.pk}/change/">#{claim.pk}</a>' in canonical_page


def test_the_duplicate_follows_the_canonical_verdict_once_published(
    as_editor, make_claim, desk, api, journalist, editor
):
    canonical, claim = make_claim(ORIGINAL), make_claim(REPEAT)
    as_editor.post(DUPLICATE, {"ids": claim.pk, "canonical": canonical.pk})
    before = api(journalist).get(f"/api/v1/claims/{claim.pk}/").json()

    fact_check = desk.published(canonical)

    one = api(journalist).get(f"/api/v1/claims/{claim.pk}/").json()
    listed = {row["id"]: row for row in api(editor).get("/api/v1/claims/").json()["results"]}
    page = as_editor.get(f"{CLAIMS}{claim.pk}/change/").content.decode()
    assert (before["duplicate_of"], before["verdict"]) == (canonical.pk, None)
    expected = {"slug": fact_check.slug, "url": fact_check.public_url, "rating": "False"}
    assert (one["status"], one["duplicate_of"], one["verdict"]) == ("rejected", canonical.pk, expected)
    assert listed[claim.pk]["verdict"] == expected and listed[canonical.pk]["verdict"] == expected
    assert listed[canonical.pk]["duplicate_of"] is None
    assert "It shows that claim's verdict:" in page
    assert f'<a href="{fact_check.get_absolute_url()}">{fact_check.get_absolute_url()}</a>' in page
    # The journalist who submitted the duplicate is pointed to the verdict it follows.
    as_journalist = Client()
    as_journalist.force_login(journalist)
    mine = as_journalist.get("/workspace/my-claims/").content.decode()
    assert f'<a href="{fact_check.get_absolute_url()}">Read its verdict' in mine


def test_the_claim_form_leaves_the_link_to_the_action(as_editor, make_claim):
    claim = make_claim(REPEAT)

    form = as_editor.get(f"{CLAIMS}{claim.pk}/change/").context["adminform"].form

    assert "duplicate_of" not in form.fields  # shown read-only: only the action, through the service, sets it
