"""The desk's reviews list: approving goes through the claims' confirmation page, and each review's stage is where
it really stands (a returned review is back with its reviewer, not still submitted)."""

import pytest
from django.contrib.admin import site

from claims.models import Claim
from factcheck.record.models import FactCheck
from reviews.models import Review
from reviews.services import verdicts

pytestmark = pytest.mark.django_db

REVIEWS = "/admin/reviews/review/"
CLAIMS = "/admin/claims/claim/"


@pytest.fixture
def as_other_editor(client, other_editor):
    client.force_login(other_editor)
    return client


def stage_cell(client, review: Review) -> str:
    html = client.get(REVIEWS).content.decode()
    row = html.split(f'value="{review.pk}"', 1)[1].split("</tr>", 1)[0]
    return row.split('class="field-stage">', 1)[1].split("</td>", 1)[0]


def test_it_asks_before_approving_from_the_reviews_list_then_says_published_with_the_link(
    as_other_editor, make_claim, desk
):
    claim = make_claim()
    desk.awaiting_approval(claim)
    review = Review.objects.get(claim=claim)

    asked = as_other_editor.post(REVIEWS, {"action": "approve_reviews", "_selected_action": [review.pk]})

    assert asked.status_code == 302
    assert asked["Location"] == f"{CLAIMS}actions/approve/?ids={claim.pk}&back=list"
    assert Claim.objects.get(pk=claim.pk).status == "awaiting_approval"
    page = as_other_editor.get(asked["Location"])
    assert page.status_code == 200 and "Approve and publish" in page.content.decode()

    answer = as_other_editor.post(
        f"{CLAIMS}actions/approve/", {"ids": claim.pk, "back": "list", "note": ""}, follow=True
    )

    url = FactCheck.objects.get(claim=claim).get_absolute_url()
    assert Claim.objects.get(pk=claim.pk).status == "published"
    (message,) = [str(m) for m in answer.context["messages"]]
    assert message.endswith(f'Claim «The talks lasted more than five hours»</a> published: <a href="{url}">{url}</a>')


def test_it_offers_approval_on_the_reviews_list_to_editors_only(rf, editor, reviewer, make_claim, desk):
    desk.reviewed(make_claim())
    review_admin = site._registry[Review]

    def actions_for(user) -> dict:
        request = rf.get(REVIEWS)
        request.user = user
        return review_admin.get_actions(request)

    assert "approve_reviews" in actions_for(editor)
    assert "approve_reviews" not in actions_for(reviewer)


def test_it_shows_a_returned_review_as_returned_then_submitted_again(client, editor, make_claim, desk):
    claim = make_claim()
    assignment = desk.awaiting_approval(claim)
    review = Review.objects.get(claim=claim)
    client.force_login(editor)
    assert "submitted" in stage_cell(client, review)

    verdicts.return_review(claim_id=claim.pk, editor=editor, note="Cite the agenda, please.")

    assert "returned" in stage_cell(client, review)
    claim_page = client.get(f"{CLAIMS}{claim.pk}/change/").content.decode()
    assert "By rita, returned with comments (last submitted" in claim_page
    assert "By rita, submitted" not in claim_page

    verdicts.submit_review(claim_id=claim.pk, reviewer=assignment.reviewer)

    assert "submitted" in stage_cell(client, review)
    assert "By rita, submitted" in client.get(f"{CLAIMS}{claim.pk}/change/").content.decode()


def test_it_shows_a_draft_and_an_approved_review_as_such(client, editor, other_editor, make_claim, desk):
    drafted, published = make_claim(), make_claim("Trade rose by 12% last year", quote="Trade rose by 12% last year")
    desk.reviewed(drafted)
    desk.awaiting_approval(published)
    verdicts.approve_claim(claim_id=published.pk, editor=other_editor)
    client.force_login(editor)

    assert "draft" in stage_cell(client, Review.objects.get(claim=drafted))
    assert "approved" in stage_cell(client, Review.objects.get(claim=published))
