"""Text that shows nothing (whitespace, zero-width and other invisible characters) is empty: refused where text is
required, stored as "" where it is optional. Text is stored trimmed and in NFC."""

import unicodedata

import pytest

from claims import services as claim_services
from claims.models import Claim, Claimant, Report
from core.errors import InvalidInput
from core.text import is_blank, normalise_text

CLAIMS = "/api/v1/claims/"
TIPS = "/api/v1/tips/"

INVISIBLE = {
    "spaces": "   ",
    "zero-width space": "\u200b",
    "zero-width joiners": "\u200b\u200c\u200d",
    "word joiner and byte-order mark": "\u2060\ufeff",
    "mixed blanks": " \u00a0\u3000\u200b\u2060 \n\t",
    "soft hyphen": "\u00ad\u00ad",
    "hangul filler": "\u3164",
    "braille blank": "\u2800\u2800",
    "combining marks with nothing under them": "\u0301\u0301\u0301",
    "variation selectors": "\ufe0f\ufe0f",
    "a vowel sign and a combining grapheme joiner after a space": " \u093f\u034f",
}
BLANKS = pytest.mark.parametrize("blank", INVISIBLE.values(), ids=INVISIBLE.keys())


@pytest.fixture
def submitted(journalist):
    return claim_services.submit_claim(user=journalist, text="Trade rose by 12% last year.", language="en")


@BLANKS
def test_it_refuses_claim_text_that_shows_nothing(api, journalist, blank):
    answer = api(journalist).post(CLAIMS, {"text": blank, "language": "en"}, format="json")

    assert answer.status_code == 400, answer.content
    assert "text" in answer.json()
    assert not Claim.objects.exists()


@BLANKS
def test_it_refuses_an_edit_that_blanks_the_claim_text(api, journalist, submitted, blank):
    answer = api(journalist).patch(f"{CLAIMS}{submitted.pk}/", {"text": blank}, format="json")

    assert answer.status_code == 400, answer.content
    assert "text" in answer.json()
    submitted.refresh_from_db()
    assert submitted.text == "Trade rose by 12% last year."


def test_it_refuses_blank_text_in_the_service_too(journalist):
    with pytest.raises(InvalidInput) as refused:
        claim_services.submit_claim(user=journalist, text="\u200b\ufeff", language="en")

    assert "text" in refused.value.errors
    assert not Claim.objects.exists()


@pytest.mark.parametrize("text", ["\u0301\u0301\u0301", "\ufe0f\ufe0f", "\u200b\u0301"])
def test_marks_and_variation_selectors_alone_show_nothing(text):
    assert is_blank(text)
    assert normalise_text(f" {text} ") == ""


@pytest.mark.parametrize(
    "text", ["\u2764\ufe0f", "\u0928\u092e\u0938\u094d\u0924\u0947", "e\u0301", "\u00b7", "\ue000"]
)
def test_a_mark_on_a_character_keeps_its_character_and_itself(text):
    assert not is_blank(text)
    assert normalise_text(f"\u200b{text}\u200b") == unicodedata.normalize("NFC", text)


def test_it_stores_claim_text_trimmed_and_composed(api, journalist):
    answer = api(journalist).post(
        CLAIMS, {"text": "\ufeff\u200b  Cafe\u0301 prices rose by 12%.\u00a0\u200b ", "language": "en"}, format="json"
    )

    assert answer.status_code == 201, answer.content
    assert answer.json()["text"] == "Caf\u00e9 prices rose by 12%."
    assert Claim.objects.get().text == "Caf\u00e9 prices rose by 12%."


def test_it_keeps_joiners_that_shape_words_inside_the_text(api, journalist):
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # "I want", a ZWNJ after its prefix
    text = f"क्\u200dष and the \U0001f468\u200d\U0001f469\u200d\U0001f467 family; {persian}"

    answer = api(journalist).post(CLAIMS, {"text": text, "language": "en"}, format="json")

    assert answer.status_code == 201, answer.content
    assert Claim.objects.get().text == text


def test_it_stores_an_invisible_claimant_and_quote_as_none(api, journalist):
    body = {"text": "Trade rose by 12% last year.", "language": "en", "claimant": "\u200b\u2060", "quote": "\ufeff "}

    answer = api(journalist).post(CLAIMS, body, format="json")

    assert answer.status_code == 201, answer.content
    assert (answer.json()["claimant"], answer.json()["quote"]) == (None, "")
    assert not Claimant.objects.exists()


@pytest.mark.parametrize("name", ["\u0301\u0301", "\ufe0f\ufe0f"])
def test_it_stores_a_claimant_of_marks_alone_as_none(api, journalist, name):
    body = {"text": "Trade rose by 12% last year.", "language": "en", "claimant": name}

    answer = api(journalist).post(CLAIMS, body, format="json")

    assert answer.status_code == 201, answer.content
    assert answer.json()["claimant"] is None
    assert not Claimant.objects.exists()


def test_it_trims_and_collapses_a_claimant_name(api, journalist):
    body = {"text": "Trade rose by 12% last year.", "language": "en", "claimant": "\u200b Jane \u00a0 Roe\ufeff"}

    answer = api(journalist).post(CLAIMS, body, format="json")

    assert answer.json()["claimant"] == "Jane Roe"
    assert Claimant.objects.get().name == "Jane Roe"


def test_it_refuses_to_rename_a_claimant_to_nothing(api, journalist, editor):
    claim_services.submit_claim(user=journalist, text="Trade rose.", language="en", claimant="Jane Roe")
    claimant = Claimant.objects.get()

    answer = api(editor).patch(f"/api/v1/claimants/{claimant.pk}/", {"name": "\u200b\u200b"}, format="json")

    assert answer.status_code == 400, answer.content
    claimant.refresh_from_db()
    assert claimant.name == "Jane Roe"


def test_it_refuses_a_topic_and_a_report_headline_that_show_nothing(api, editor, journalist):
    topic = api(editor).post("/api/v1/topics/", {"name": "\u200b", "slug": "empty"}, format="json")
    report = api(journalist).post(
        "/api/v1/reports/", {"headline": "\u2060\u200b", "language": "en", "body": "Text."}, format="json"
    )

    assert (topic.status_code, report.status_code) == (400, 400)
    assert "name" in topic.json() and "headline" in report.json()


@pytest.mark.parametrize("blank", ["\ufe0f\ufe0f", "\u0301\u0301"])
def test_it_refuses_a_report_headline_or_body_of_marks_alone(api, journalist, blank):
    reports = "/api/v1/reports/"
    headline = api(journalist).post(reports, {"headline": blank, "language": "en", "body": "Text."}, format="json")
    body = api(journalist).post(reports, {"headline": "Summit", "language": "en", "body": blank * 20}, format="json")

    assert (headline.status_code, body.status_code) == (400, 400)
    assert "headline" in headline.json() and "body" in body.json()
    assert not Report.objects.exists()


def test_it_refuses_a_reader_tip_of_invisible_characters(api, db):
    answer = api().post(TIPS, {"text": "\u200b" * 40, "language": "en"}, format="json")

    assert answer.status_code == 400, answer.content
    assert "text" in answer.json()
    assert not Claim.objects.exists()
