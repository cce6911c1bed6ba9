"""Right-to-left text on the reviewer's pages: every element that holds a user's words takes its direction from
them (dir="auto" or <bdi>), so Arabic reads right to left inside the English workspace."""

import re

import pytest
from django.urls import reverse

from claims import services as claim_services
from reviews.services import assignments as desk_services
from reviews.services import verdicts

CLAIM = "ارتفعت البطالة بنسبة ١٢ بالمئة في عام ٢٠٢٥."
CLAIMANT = "وزير المالية"
HEADLINE = "البطالة ترتفع في المدن الكبرى"
OUTLET = "صحيفة المثال"
BODY = "قال الوزير إن " + CLAIM + " وأضاف أن الحكومة تعمل على خطة جديدة."
SUMMARY = "البطالة ارتفعت بنسبة ثمانية بالمئة فقط."
EXPLANATION = "### التحليل\n\nتظهر الأرقام الرسمية نسبة أقل."  # noqa: RUF001 (Arabic on purpose)
SOURCE_TITLE = "النشرة الإحصائية الرسمية"
PUBLISHER = "المكتب الوطني للإحصاء"
RETURN_NOTE = "أضف مصدرا ثانيا من الوزارة."


def element_holding(html: str, text: str) -> str:
    """The opening tag of the innermost element whose own text starts with `text` (escaped as Django does)."""
    found = re.search(r"(<[a-z0-9]+\b[^>]*>)\s*" + re.escape(text), html)
    assert found, f"{text!r} is not on the page"
    return found.group(1)


def takes_direction_from_its_text(html: str, text: str) -> bool:
    tag = element_holding(html, text)
    return tag.startswith("<bdi") or 'dir="auto"' in tag


@pytest.fixture
def arabic_claim(journalist, editor, reviewer):
    report = claim_services.submit_report(
        user=journalist,
        headline=HEADLINE,
        language="ar",
        url="https://news.example.org/ar/unemployment",
        outlet=OUTLET,
        body=BODY,
    )
    claim = claim_services.submit_claim(
        user=journalist, text=CLAIM, report=report.pk, language="ar", claimant=CLAIMANT, quote=CLAIM
    )
    claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")
    offer = desk_services.assign_by_hand(claim_id=claim.pk, editor=editor, reviewer_id=reviewer.pk)
    return claim, offer


@pytest.fixture
def in_review(arabic_claim, reviewer):
    claim, offer = arabic_claim
    desk_services.accept_assignment(assignment_id=offer.pk, reviewer=reviewer)
    verdicts.save_review(
        claim_id=claim.pk,
        reviewer=reviewer,
        rating="false",
        summary=SUMMARY,
        explanation=EXPLANATION,
        sources=[verdicts.SourceInput(url="https://stats.example.org/ar", title=SOURCE_TITLE, publisher=PUBLISHER)],
    )
    return claim


@pytest.fixture
def rita(client, reviewer):
    client.force_login(reviewer)
    return client


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_claim_page_lets_arabic_claim_claimant_report_and_review_run_right_to_left(rita, in_review):
    html = page(rita, reverse("workspace:review-claim", kwargs={"claim_id": in_review.pk}))

    for text in (CLAIM, CLAIMANT, OUTLET, SUMMARY, SOURCE_TITLE, PUBLISHER):
        assert takes_direction_from_its_text(html, text), text
    assert re.search(r'<p lang="ar" dir="auto"><strong>' + re.escape(HEADLINE), html)
    assert re.search(r'<div class="report-text" lang="ar" dir="auto"', html)


@pytest.mark.django_db
def test_the_review_form_lets_arabic_claim_and_sources_run_right_to_left(rita, in_review):
    html = page(rita, reverse("workspace:review-form", kwargs={"claim_id": in_review.pk}))

    for text in (CLAIM, SOURCE_TITLE, PUBLISHER):
        assert takes_direction_from_its_text(html, text), text
    # What the reviewer writes: "### التحليل" must not read "التحليل ###" while it is typed.
    for name in ("summary", "explanation"):
        assert re.search(rf'<textarea name="{name}"[^>]*dir="auto"', html), name
    for name in ("title", "publisher"):
        assert re.search(rf'<input type="text" name="source-{name}"[^>]*dir="auto"', html), name


@pytest.mark.django_db
def test_the_queue_and_the_decline_reason_take_their_direction_from_the_text(rita, arabic_claim):
    html = page(rita, reverse("workspace:queue"))

    assert re.search(r'<h2 lang="ar" dir="auto"><a [^>]*>' + re.escape(CLAIM[:20]), html)
    assert re.search(r'<textarea name="reason" [^>]*dir="auto"', html)


@pytest.mark.django_db
def test_an_editors_arabic_comments_run_right_to_left(rita, in_review, editor, reviewer):
    verdicts.submit_review(claim_id=in_review.pk, reviewer=reviewer)
    verdicts.return_review(claim_id=in_review.pk, editor=editor, note=RETURN_NOTE)

    html = page(rita, reverse("workspace:review-claim", kwargs={"claim_id": in_review.pk}))

    assert re.search(r'<blockquote class="return-note" dir="auto">\s*<p>' + re.escape(RETURN_NOTE), html)
