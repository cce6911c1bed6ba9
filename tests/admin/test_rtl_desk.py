"""Right-to-left text in the editors' desk: the claim's heading, its text and quote fields, the claims list's cells and
the actions' notes take their direction from their own words, so Arabic reads right to left in the English desk."""

import re

import pytest

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
