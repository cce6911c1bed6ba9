"""Two editors with the same desk page open: the second save, from the page opened before the first, must not write
the old text back over the first editor's. It is refused, the form comes back with what was typed and says why; a
normal save, and the same save sent twice, still go through."""

import pytest
from django import forms
from django.contrib.admin.models import LogEntry
from django.test import Client

from claims import services as claim_services
from claims.models import Claimant, ClaimEvent, Topic
from factcheck.record.models import Rating, RatingScale
from reviews.models import ReviewerProfile
from reviews.services import profiles
from tests.admin.desk import CLAIMS
from tests.factcheck.test_admin_edits_refresh_pages import form_values

pytestmark = pytest.mark.django_db

EDITED_SINCE = "since you opened the page, so your changes were not saved: reload to see their change"
KEPT = "your text is kept below"


@pytest.fixture
def as_other_editor(other_editor):
    client = Client()
    client.force_login(other_editor)
    return client


def opened(client, url: str) -> dict:
    """What the browser posts back from the page as it opened, Save pressed: each field as shown, a textarea's line
    breaks as CRLF."""
    page = client.get(url)
    assert page.status_code == 200
    data = {}
    for field in page.context["adminform"].form:
        value, widget = field.value(), field.field.widget
        if isinstance(widget, forms.MultiWidget):
            parts = widget.decompress(value)
            data.update({f"{field.html_name}_{i}": "" if p is None else str(p) for i, p in enumerate(parts)})
        elif isinstance(value, list):
            data[field.html_name] = value
        elif isinstance(value, bool):
            if value:
                data[field.html_name] = "on"
        else:
            data[field.html_name] = "" if value is None else str(value).replace("\r\n", "\n").replace("\n", "\r\n")
    return {**data, "_save": "Save"}


def carries_what_it_loaded(page: dict) -> bool:
    """The page holds a fingerprint of its fields as loaded, which its save is checked against."""
    return bool(page.get("loaded_as"))


def refusal_of(answer) -> str:
    return " ".join(answer.context["adminform"].form.non_field_errors())


def claim_page(claim) -> str:
    return f"{CLAIMS}{claim.pk}/change/"


def edits_by(claim, user) -> list[ClaimEvent]:
    return list(claim.events.filter(kind=ClaimEvent.Kind.EDIT, actor=user))


# The claim


def test_a_page_opened_before_another_editors_save_does_not_revert_their_text(
    as_editor, as_other_editor, editor, make_claim
):
    claim = make_claim()
    stale = opened(as_editor, claim_page(claim))
    theirs = opened(as_other_editor, claim_page(claim))
    as_other_editor.post(claim_page(claim), {**theirs, "text": "The talks lasted six hours"})

    answer = as_editor.post(claim_page(claim), {**stale, "priority": "high"})

    claim.refresh_from_db()
    assert (claim.text, claim.priority) == ("The talks lasted six hours", "normal")
    assert edits_by(claim, editor) == []
    assert answer.status_code == 409
    assert EDITED_SINCE in refusal_of(answer) and KEPT in refusal_of(answer)
    form = answer.context["adminform"].form
    assert (form["priority"].value(), form["text"].value()) == ("high", "The talks lasted more than five hours")


def test_the_refused_page_is_refused_again_until_reloaded(as_editor, as_other_editor, make_claim):
    claim = make_claim()
    stale = opened(as_editor, claim_page(claim))
    theirs = opened(as_other_editor, claim_page(claim))
    as_other_editor.post(claim_page(claim), {**theirs, "text": "The talks lasted six hours"})
    as_editor.post(claim_page(claim), {**stale, "priority": "high"})

    again = as_editor.post(claim_page(claim), {**stale, "priority": "high"})
    reloaded = as_editor.post(claim_page(claim), {**opened(as_editor, claim_page(claim)), "priority": "high"})

    assert again.status_code == 409
    assert reloaded.status_code == 302
    claim.refresh_from_db()
    assert (claim.text, claim.priority) == ("The talks lasted six hours", "high")


def test_a_page_opened_on_the_current_claim_saves_as_before(as_editor, editor, make_claim):
    claim = make_claim()
    page = opened(as_editor, claim_page(claim))
    assert carries_what_it_loaded(page)

    answer = as_editor.post(claim_page(claim), {**page, "priority": "high"})

    assert answer.status_code == 302
    claim.refresh_from_db()
    assert claim.priority == "high"
    assert [event.changes["priority"] for event in edits_by(claim, editor)] == [["normal", "high"]]


def test_save_sent_twice_from_one_page_is_not_taken_for_someone_elses_change(as_editor, editor, make_claim):
    claim = make_claim()
    page = {**opened(as_editor, claim_page(claim)), "text": "The talks lasted\r\nsix hours", "priority": "high"}
    assert carries_what_it_loaded(page)

    first = as_editor.post(claim_page(claim), page)
    second = as_editor.post(claim_page(claim), page)

    assert (first.status_code, second.status_code) == (302, 302)
    claim.refresh_from_db()
    assert (claim.text, claim.priority) == ("The talks lasted\nsix hours", "high")
    assert len(edits_by(claim, editor)) == 1


def test_save_and_continue_twice_saves_both_edits(as_editor, editor, make_claim):
    claim = make_claim()
    url = claim_page(claim)
    first = opened(as_editor, url)
    assert carries_what_it_loaded(first)

    as_editor.post(url, {**first, "priority": "high", "_continue": "Save and continue"})
    answer = as_editor.post(url, {**opened(as_editor, url), "text": "The talks lasted six hours"})

    assert answer.status_code == 302
    claim.refresh_from_db()
    assert (claim.text, claim.priority) == ("The talks lasted six hours", "high")
    assert len(edits_by(claim, editor)) == 2


def test_a_claim_rejected_while_being_edited_gives_back_the_typed_text(as_editor, other_editor, make_claim):
    claim = make_claim()
    page = opened(as_editor, claim_page(claim))
    claim_services.triage_claim(claim_id=claim.pk, editor=other_editor, decision="reject", reason="An opinion.")

    answer = as_editor.post(claim_page(claim), {**page, "text": "The talks lasted six long hours"})

    claim.refresh_from_db()
    assert (claim.status, claim.text) == ("rejected", "The talks lasted more than five hours")
    assert answer.status_code == 409
    assert refusal_of(answer) == "A claim that is rejected can no longer be edited. Your text is kept below."
    assert answer.context["adminform"].form["text"].value() == "The talks lasted six long hours"
    assert not claim.events.filter(kind=ClaimEvent.Kind.EDIT).exists()


# The claimant, topic and report pages


def claimant_page(make_claim, report) -> tuple[str, Claimant, dict, dict]:
    make_claim()
    claimant = Claimant.objects.get(name="Minister Jane Roe")
    return f"/admin/claims/claimant/{claimant.pk}/change/", claimant, {"name": "Jane Roe"}, {"description": "Mayor"}


def topic_page(make_claim, report) -> tuple[str, Topic, dict, dict]:
    topic = Topic.objects.create(name="Economy", slug="economy")
    return f"/admin/claims/topic/{topic.pk}/change/", topic, {"name": "The economy"}, {"slug": "money"}


def report_page(make_claim, report) -> tuple[str, object, dict, dict]:
    return f"/admin/claims/report/{report.pk}/change/", report, {"headline": "Talks in Geneva"}, {"outlet": "Ex"}


PAGES = [claimant_page, topic_page, report_page]


@pytest.mark.parametrize("page", PAGES)
def test_a_stale_page_keeps_the_other_editors_change(page, as_editor, as_other_editor, editor, make_claim, report):
    url, row, theirs, mine = page(make_claim, report)
    stale = opened(as_editor, url)
    assert as_other_editor.post(url, {**opened(as_other_editor, url), **theirs}).status_code == 302

    answer = as_editor.post(url, {**stale, **mine})

    row.refresh_from_db()
    assert {name: getattr(row, name) for name in theirs} == theirs
    assert all(getattr(row, name) != value for name, value in mine.items())
    assert answer.status_code == 409
    assert EDITED_SINCE in refusal_of(answer) and KEPT in refusal_of(answer)
    form = answer.context["adminform"].form
    assert {name: form[name].value() for name in mine} == mine
    assert not LogEntry.objects.filter(user=editor).exists()


@pytest.mark.parametrize("page", PAGES)
def test_a_current_page_saves_and_the_same_save_twice_is_no_conflict(page, as_editor, make_claim, report):
    url, row, _, mine = page(make_claim, report)
    data = {**opened(as_editor, url), **mine}
    assert carries_what_it_loaded(data)

    first, second = as_editor.post(url, data), as_editor.post(url, data)

    assert (first.status_code, second.status_code) == (302, 302)
    row.refresh_from_db()
    assert {name: getattr(row, name) for name in mine} == mine


# A reviewer's profile: a stale page would take back another editor's deactivation


def test_a_stale_profile_page_does_not_reactivate_a_reviewer(as_editor, other_editor, reviewer):
    profile = ReviewerProfile.objects.get(user=reviewer)
    url = f"/admin/reviews/reviewerprofile/{profile.pk}/change/"
    stale = opened(as_editor, url)
    profiles.update_profile(profile_id=profile.pk, actor=other_editor, active=False)

    answer = as_editor.post(url, {**stale, "capacity": "5"})

    profile.refresh_from_db()
    assert (profile.active, profile.capacity) == (False, 3)
    assert answer.status_code == 409 and EDITED_SINCE in refusal_of(answer)


# A rating on its scale's page: each inline row is checked against its own row


def test_a_stale_scale_page_does_not_revert_a_ratings_definition(admin_client, admin_user):
    scale = RatingScale.objects.get(is_default=True)
    url = f"/admin/factcheck/ratingscale/{scale.pk}/change/"

    def as_opened() -> tuple[dict, dict[str, str]]:
        page = admin_client.get(url)
        data = form_values(page.context["adminform"].form)
        names = {}
        for inline in page.context["inline_admin_formsets"]:
            data |= form_values(inline.formset.management_form)
            for form in inline.formset.forms:
                data |= form_values(form)
                names[form.instance.slug] = form.add_prefix("definition")
        return data, names

    stale, names = as_opened()
    assert carries_what_it_loaded(stale)
    theirs, _ = as_opened()
    admin_client.post(url, {**theirs, names["half-true"]: "Partly accurate; important details are missing."})

    answer = admin_client.post(url, {**stale, names["half-true"]: "Some of it is accurate."})

    rating = Rating.objects.get(scale=scale, slug="half-true")
    assert rating.definition == "Partly accurate; important details are missing."
    assert answer.status_code == 409  # the page again, the refused rating with its error and typed text
    assert EDITED_SINCE in answer.content.decode()
    assert "Some of it is accurate." in answer.content.decode()
