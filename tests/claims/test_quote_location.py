# The Russian text is the point: its quote is the one a journalist pasted with the source's spacing.
# ruff: noqa: RUF001
"""A quote is found in the report's stored text although the text was cleaned (runs of spaces made one, a
zero-width space kept): the claim stores the text's own words at offsets that hold them. Of a phrase that stands
twice, the occurrence the journalist selected (the `quote_start` hint) is stored."""

import pytest

from claims import services
from claims.ingest import services as ingest
from claims.quotes import locate_quote
from core.errors import InvalidInput

TWICE = "Prices rose. The minister said so.\nPrices rose. The opposition said so.\nPrices rose."
RUSSIAN = "Переговоры шли пять часов.   Сказал  министр:  «Налоги не вырастут».\nОппозиция   не согласилась."


def pasted(user, body: str, language: str = "en"):
    return ingest.submit_report(user=user, headline="Talks", language=language, body=body)


def claim_on(user, report, quote: str, **extra):
    return services.submit_claim(
        user=user, text="A claim", language="en", report=report.pk, quote=quote, quote_from_text=True, **extra
    )


def test_a_quote_pasted_with_the_sources_spacing_is_found_in_the_cleaned_text(journalist):
    report = pasted(journalist, RUSSIAN, "ru")
    assert "Сказал министр:" in report.body  # the stored text collapsed the two spaces

    claim = claim_on(journalist, report, "Сказал  министр:")

    assert claim.quote == "Сказал министр:"
    assert report.body[claim.quote_start : claim.quote_end] == claim.quote


def test_a_quote_across_a_line_break_or_with_a_tab_is_found(journalist):
    report = pasted(journalist, RUSSIAN, "ru")

    claim = claim_on(journalist, report, "«Налоги не вырастут».  \t Оппозиция не")

    assert claim.quote == "«Налоги не вырастут».\nОппозиция не"
    assert report.body[claim.quote_start : claim.quote_end] == claim.quote


def test_a_zero_width_space_the_text_kept_does_not_hide_the_quote(journalist):
    report = pasted(journalist, "The talks\u200b lasted more than five\u2060 hours, he said.")

    claim = claim_on(journalist, report, "The talks lasted more than five hours")

    assert claim.quote == "The talks\u200b lasted more than five\u2060 hours"
    assert report.body[claim.quote_start : claim.quote_end] == claim.quote


@pytest.mark.parametrize("quote", ["сказал министр:", "Сказалминистр:", "Переговоры шли шесть часов."])
def test_other_letters_or_words_run_together_are_still_refused(journalist, quote):
    report = pasted(journalist, RUSSIAN, "ru")

    with pytest.raises(InvalidInput) as refused:
        claim_on(journalist, report, quote)

    assert "quote" in refused.value.errors
    assert not report.claims.exists()


def test_an_edit_finds_the_quote_the_same_way(journalist):
    report = pasted(journalist, RUSSIAN, "ru")
    claim = claim_on(journalist, report, "Переговоры шли пять часов.")

    edited = services.edit_claim(claim_id=claim.pk, user=journalist, quote="Сказал  министр:", quote_from_text=True)

    assert edited.quote == "Сказал министр:"
    assert report.body[edited.quote_start : edited.quote_end] == edited.quote


def test_the_api_places_a_quote_with_other_spacing(api, journalist):
    report = pasted(journalist, RUSSIAN, "ru")
    body = {"text": "Налоги не вырастут", "language": "ru", "report": report.pk, "quote": "Сказал  министр:"}

    answer = api(journalist).post("/api/v1/claims/", body, format="json")

    assert answer.status_code == 201, answer.content
    assert answer.json()["quote"] == "Сказал министр:"
    claim = report.claims.get()
    assert report.body[claim.quote_start : claim.quote_end] == "Сказал министр:"


def test_spacing_and_invisible_characters_may_differ_on_either_side():
    body = "Сказал министр: да.\nСказал\u00a0 министр: нет."

    assert locate_quote(body, "Сказал  министр:") == (0, len("Сказал министр:"))
    assert locate_quote(body, "Сказал \u200bминистр: да") == (0, len("Сказал министр: да"))
    assert locate_quote(body, "да. Сказал министр") == (body.index("да."), body.index(" министр: нет") + 8)
    assert locate_quote(body, "\u200b") is None
    assert locate_quote(body, "Сказал министр: может") is None


# The occurrence selected.


def test_the_occurrence_at_the_selected_offset_is_stored(journalist):
    report = pasted(journalist, TWICE)
    second = report.body.index("Prices rose.", 1)

    claim = claim_on(journalist, report, "Prices rose.", quote_start=second)

    assert (claim.quote_start, claim.quote_end) == (second, second + len("Prices rose."))


def test_without_a_hint_the_first_occurrence_is_stored_and_a_rough_hint_picks_the_nearest(journalist):
    report = pasted(journalist, TWICE)
    last = report.body.rindex("Prices rose.")

    first = claim_on(journalist, report, "Prices rose.")
    near_the_end = claim_on(journalist, report, "Prices rose.", quote_start=last - 3)
    beyond = claim_on(journalist, report, "Prices rose.", quote_start=10_000)

    assert first.quote_start == 0
    assert near_the_end.quote_start == beyond.quote_start == last


def test_an_edit_keeps_the_selected_occurrence(journalist):
    report = pasted(journalist, TWICE)
    claim = claim_on(journalist, report, "The minister said so.")
    second = report.body.index("Prices rose.", 1)

    edited = services.edit_claim(
        claim_id=claim.pk, user=journalist, quote="Prices rose.", quote_start=second, quote_from_text=True
    )

    assert edited.quote_start == second


def test_the_hint_works_with_other_spacing_too():
    body = "Сказал министр: да.\nСказал министр: нет."
    second = body.index("Сказал", 1)

    assert locate_quote(body, "Сказал  министр:", near=second) == (second, second + len("Сказал министр:"))


def test_the_api_takes_the_selected_offset_on_submission_and_edit(api, journalist):
    report = pasted(journalist, TWICE)
    second, last = report.body.index("Prices rose.", 1), report.body.rindex("Prices rose.")
    body = {
        "text": "Prices rose",
        "language": "en",
        "report": report.pk,
        "quote": "Prices rose.",
        "quote_start": second,
    }

    made = api(journalist).post("/api/v1/claims/", body, format="json")
    edited = api(journalist).patch(
        f"/api/v1/claims/{made.json()['id']}/", {"quote": "Prices rose.", "quote_start": last}, format="json"
    )
    negative = api(journalist).post("/api/v1/claims/", {**body, "quote_start": -1}, format="json")

    assert made.status_code == 201, made.content
    assert made.json()["quote_start"] == second
    assert edited.status_code == 200, edited.content
    assert edited.json()["quote_start"] == last
    assert negative.status_code == 400 and "quote_start" in negative.json()


def test_an_edit_that_sends_the_same_quote_back_keeps_its_place(api, journalist):
    report = pasted(journalist, TWICE)
    second = report.body.index("Prices rose.", 1)
    claim = claim_on(journalist, report, "Prices rose.", quote_start=second)

    services.edit_claim(claim_id=claim.pk, user=journalist, text="Prices went up", quote="Prices rose.")
    api(journalist).patch(f"/api/v1/claims/{claim.pk}/", {"quote": "Prices rose."}, format="json")

    claim.refresh_from_db()
    assert claim.quote_start == second


def test_a_place_alone_moves_the_quote_and_the_history_says_so(api, journalist):
    report = pasted(journalist, TWICE)
    claim = claim_on(journalist, report, "Prices rose.")
    last = report.body.rindex("Prices rose.")

    moved = api(journalist).patch(f"/api/v1/claims/{claim.pk}/", {"quote_start": last}, format="json")

    assert moved.status_code == 200, moved.content
    assert moved.json()["quote_start"] == last
    assert claim.events.last().changes == {"quote_start": [0, last]}


def test_a_place_without_a_quote_is_refused_on_submission(api, journalist):
    report = pasted(journalist, TWICE)

    answer = api(journalist).post(
        "/api/v1/claims/", {"text": "Prices rose", "report": report.pk, "quote_start": 5}, format="json"
    )

    assert answer.status_code == 400
    assert "quote_start" in answer.json()
