"""A desk action over a large selection ("select all" over a thousand claims): the selection reaches the confirmation
page and its form without one address or form field per claim, and a selection too large to act on in one request
is refused before the editor types anything."""

import pytest
from django.conf import settings

from claims.models import Claim, ClaimEvent, ClaimStatus
from reviews import admin_claim_actions
from tests.admin.desk import CLAIMS

pytestmark = pytest.mark.django_db

REJECT = f"{CLAIMS}actions/reject/"
MANY = 1050


@pytest.fixture
def many_claims(journalist) -> list[int]:
    Claim.objects.bulk_create(
        Claim(text=f"Claim number {number}", language="en", submitted_by=journalist) for number in range(MANY)
    )
    return list(Claim.objects.order_by("pk").values_list("pk", flat=True))


def select_all(client, action_name: str, claim_ids: list[int]):
    """The list's "select all N claims" and then an action, as the browser posts it: the first page's boxes ticked."""
    first_page = claim_ids[-100:]
    data = {"action": action_name, "select_across": "1", "index": "0", "_selected_action": first_page}
    return client.post(CLAIMS, data)


def test_select_all_over_a_thousand_claims_then_reject_rejects_each(as_editor, many_claims):
    assert MANY > settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    to_confirm = select_all(as_editor, "reject_claims", many_claims)
    assert to_confirm.status_code == 302 and len(to_confirm.url) < 200

    page = as_editor.get(to_confirm.url)
    html = page.content.decode()
    assert page.status_code == 200
    assert f"The {MANY} claims" in html and html.count('name="ids"') == 0
    selection = page.context["selection"]
    answer = as_editor.post(REJECT, {"selection": selection, "reason": "Spam.", "back": "list"}, follow=True)

    assert answer.redirect_chain == [(CLAIMS, 302)]
    assert Claim.objects.filter(status=ClaimStatus.REJECTED).count() == MANY
    assert ClaimEvent.objects.filter(to_status=ClaimStatus.REJECTED, note="Spam.").count() == MANY
    assert str(list(answer.context["messages"])[-1]) == f"{MANY} done, 0 refused."


def test_a_form_that_does_not_validate_keeps_the_selection(as_editor, many_claims):
    page = as_editor.get(select_all(as_editor, "reject_claims", many_claims).url)

    again = as_editor.post(REJECT, {"selection": page.context["selection"], "reason": "", "back": "list"})

    assert again.status_code == 200 and f"The {MANY} claims" in again.content.decode()
    assert f'name="selection" value="{page.context["selection"]}"' in again.content.decode()


def test_a_selection_beyond_the_limit_is_refused_before_the_form(as_editor, many_claims, monkeypatch):
    monkeypatch.setattr(admin_claim_actions, "SELECTION_LIMIT", 1000)

    answer = select_all(as_editor, "reject_claims", many_claims)
    listed = as_editor.get(CLAIMS)

    assert answer.status_code == 302 and answer.url.startswith(CLAIMS) and "actions" not in answer.url
    (message,) = [str(m) for m in listed.context["messages"]]
    assert message == "Select at most 1,000 claims for one action; narrow the list with its filters."
    assert not Claim.objects.filter(status=ClaimStatus.REJECTED).exists()


def test_a_small_selection_still_names_its_claims_in_the_address(as_editor, many_claims):
    to_confirm = as_editor.post(CLAIMS, {"action": "reject_claims", "_selected_action": many_claims[:3]})

    assert "ids=" in to_confirm.url and "selection=" not in to_confirm.url
