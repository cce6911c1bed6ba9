"""Right-to-left text in the editors' desk: the claim's heading, its text and quote fields, the claims list's cells and
the actions' notes take their direction from their own words, so Arabic reads right to left in the English desk."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from core.admin_display import truncated
from tests.admin.desk import CLAIMS, action

CLAIM = (
    "ارتفعت البطالة بنسبة ١٢ بالمئة في عام ٢٠٢٥، وهذا أعلى رقم منذ عقد كامل من الزمن حسب ما قاله الوزير في مؤتمر صحفي."
)
CLAIMANT = "وزير المالية"


@pytest.fixture
def arabic_claim(make_claim):
    return make_claim(CLAIM, language="ar", claimant=CLAIMANT, quote=CLAIM)


def opening_tag(html: str, pattern: str) -> str:
    found = re.search(pattern, html)
    assert found, pattern
    return found.group(0)


@pytest.mark.django_db
def test_the_claim_page_heading_and_its_text_and_quote_fields_take_their_direction_from_the_claim(
    as_editor, arabic_claim
):
    html = as_editor.get(f"{CLAIMS}{arabic_claim.pk}/change/").content.decode()

    assert re.search(r'<h2 dir="auto">' + re.escape(CLAIM[:40]), html)
    assert 'dir="auto"' in opening_tag(html, r'<textarea name="text"[^>]*>')
    assert 'dir="auto"' in opening_tag(html, r'<textarea name="quote"[^>]*>')


@pytest.mark.django_db
def test_the_claims_list_isolates_the_claims_text_and_claimant(as_editor, arabic_claim):
    html = as_editor.get(CLAIMS).content.decode()

    shown = re.search(r'<span class="desk-text" dir="auto" title="[^"]+">([^<]+)</span>', html)
    assert shown and shown.group(1).startswith(CLAIM[:20]) and shown.group(1).endswith("…")
    assert f'<span class="desk-claimant" dir="auto" title="{CLAIMANT}">{CLAIMANT}</span>' in html


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["accept", "reject"])
def test_an_actions_note_or_reason_is_typed_in_its_own_direction(as_editor, arabic_claim, name):
    html = as_editor.get(action(name), {"ids": arabic_claim.pk}).content.decode()

    assert 'dir="auto"' in opening_tag(html, r'<textarea name="reason"[^>]*>')


def test_every_desk_lists_truncated_text_takes_its_direction_from_the_text():
    cell = truncated("قال الوزير إن المحادثات استمرت أكثر من خمس ساعات في جنيف يوم الجمعة", 20)

    assert 'dir="auto"' in cell and cell.endswith("…</span>")


@pytest.mark.django_db
def test_past_triage_the_claims_page_isolates_the_reports_headline_and_the_sources_titles(
    as_editor, make_claim, desk, report
):
    claim = make_claim()  # English, so that a reviewer takes it; the newsroom's report and sources are Arabic
    type(report).objects.filter(pk=report.pk).update(headline="محادثات جنيف", outlet="الأخبار")
    desk.reviewed(claim)
    claim.review.sources.update(title="تقرير وزارة المالية", publisher="وزارة المالية")
    type(claim).objects.filter(pk=claim.pk).update(text=CLAIM)

    html = as_editor.get(f"{CLAIMS}{claim.pk}/change/").content.decode()

    assert "<bdi>تقرير وزارة المالية</bdi>" in html and "<bdi>وزارة المالية</bdi>" in html
    assert "<bdi>محادثات جنيف</bdi> — <bdi>الأخبار</bdi>" in html
    # Past triage the claim's text is read-only: the page's stylesheet gives read-only fields their own direction.
    assert re.search(r'<div class="readonly">\s*' + re.escape(CLAIM[:10]), html)
    assert any("desk/claim.css" in link for link in re.findall(r'<link [^>]*href="([^"]+)"', html))
    stylesheet = Path(finders.find("desk/claim.css")).read_text()
    assert ".readonly { unicode-bidi: plaintext;" in stylesheet
