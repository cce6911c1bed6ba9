"""Correcting a published verdict from the desk: the form posts back every field it was filled with, so it must not
undo a correction published since it opened, must not count a browser's line breaks as a change, and must give back
sources whose titles hold a '|' exactly as they were."""

import pytest

from core.errors import IllegalTransition, InvalidInput
from factcheck.record import services as publishing
from factcheck.record.models import FactCheckVersion
from reviews import admin_claim_forms
from tests.admin.desk import CLAIMS, messages_of

pytestmark = pytest.mark.django_db

CORRECT = f"{CLAIMS}actions/correct/"
EXPLANATION = "The official schedule shows the talks ran from 10:00 to 14:00.\n\nThe minister arrived late."


def opened_form(client, claim) -> dict:
    """What the browser posts back from the form as it opened: each field's initial value, line breaks as CRLF."""
    page = client.get(CORRECT, {"ids": claim.pk})
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    for name in ("summary", "explanation", "sources"):
        data[name] = (data[name] or "").replace("\r\n", "\n").replace("\n", "\r\n")
    return {**{k: ("" if v is None else v) for k, v in data.items()}, "ids": claim.pk}


def test_a_form_opened_before_another_correction_is_refused_and_undoes_nothing(
    as_editor, other_editor, make_claim, desk
):
    claim = make_claim()
    fact_check = desk.published(claim)
    stale = opened_form(as_editor, claim)
    assert 'name="based_on"' in as_editor.get(CORRECT, {"ids": claim.pk}).content.decode()
    publishing.correct(claim_id=claim.pk, editor=other_editor, note="Exact hours.", summary="It was 4 hours 10.")

    answer = as_editor.post(CORRECT, {**stale, "note": "Rated again.", "rating": "mostly-false"})

    # The form comes back with the refusal and what this editor typed, to copy before reloading.
    assert answer.status_code == 409
    form = answer.context["form"]
    assert form.non_field_errors() == [
        "The verdict was corrected since you opened this form (now version 2): reload and correct again."
    ]
    assert form["note"].value() == "Rated again." and form["rating"].value() == "mostly-false"
    fact_check.refresh_from_db()
    assert (fact_check.current_version.number, fact_check.current_version.summary) == (2, "It was 4 hours 10.")


def refused_as_changing_nothing(answer, posted: dict, number: int) -> None:
    """The correction came back refused beside everything the editor posted: nothing was published."""
    assert answer.status_code == 400
    form = answer.context["form"]
    assert form.non_field_errors() == [
        f"This correction changes nothing version {number} shows. Send the rating, summary, explanation or sources "
        "that change, with the note saying why; nothing was published."
    ]
    # As the browser sent them: every value as text, line breaks as CRLF.
    assert {name: form[name].value() for name in form.fields} == {name: str(posted[name]) for name in form.fields}


def test_a_form_opened_on_the_current_version_corrects(as_editor, make_claim, desk):
    claim = make_claim()
    fact_check = desk.published(claim)

    answer = as_editor.post(
        CORRECT, {**opened_form(as_editor, claim), "note": "Rated again.", "rating": "mostly-false"}, follow=True
    )

    assert messages_of(answer)[0][0] == "success"
    fact_check.refresh_from_db()
    assert (fact_check.current_version.number, fact_check.current_version.rating.slug) == (2, "mostly-false")


def test_the_service_refuses_a_correction_based_on_an_older_version(editor, other_editor, make_claim, desk):
    claim = make_claim()
    desk.published(claim)
    publishing.correct(claim_id=claim.pk, editor=other_editor, note="Exact hours.", summary="It was 4 hours 10.")

    with pytest.raises(IllegalTransition, match=r"now version 2\): reload and correct again"):
        publishing.correct(claim_id=claim.pk, editor=editor, note="Again.", rating="mostly-false", based_on=1)
    version = publishing.correct(claim_id=claim.pk, editor=editor, note="Again.", rating="mostly-false", based_on=2)
    assert version.number == 3


def test_posting_the_verdict_back_unchanged_changes_nothing_whatever_its_line_breaks(
    as_editor, other_editor, make_claim, desk
):
    claim = make_claim()
    fact_check = desk.published(claim)
    publishing.correct(claim_id=claim.pk, editor=other_editor, note="Two paragraphs.", explanation=EXPLANATION)

    posted = {**opened_form(as_editor, claim), "note": "Nothing, really."}
    assert "\r\n" in posted["explanation"]

    answer = as_editor.post(CORRECT, posted)

    refused_as_changing_nothing(answer, posted, 2)
    fact_check.refresh_from_db()
    assert fact_check.current_version.number == 2
    assert fact_check.versions.count() == 2


def test_a_rating_only_correction_keeps_the_explanation_as_stored(as_editor, other_editor, make_claim, desk):
    claim = make_claim()
    fact_check = desk.published(claim)
    publishing.correct(claim_id=claim.pk, editor=other_editor, note="Two paragraphs.", explanation=EXPLANATION)

    as_editor.post(CORRECT, {**opened_form(as_editor, claim), "note": "Rated again.", "rating": "mostly-false"})

    fact_check.refresh_from_db()
    version = fact_check.current_version
    assert (version.number, version.rating.slug, version.explanation) == (3, "mostly-false", EXPLANATION)


def test_the_service_stores_line_breaks_as_newlines_and_compares_them_so(editor, make_claim, desk):
    claim = make_claim()
    desk.published(claim)

    version = publishing.correct(
        claim_id=claim.pk, editor=editor, note="Line one.\r\nLine two.", explanation=EXPLANATION.replace("\n", "\r\n")
    )
    with pytest.raises(InvalidInput, match="changes nothing"):
        publishing.correct(claim_id=claim.pk, editor=editor, note="Again.", explanation=EXPLANATION.replace("\n", "\r"))

    assert (version.explanation, version.note) == (EXPLANATION, "Line one.\nLine two.")


PIPED_SOURCES = [
    {"url": "https://gov.example.org/budget", "title": "Budget 2025 | Ministry of Finance", "publisher": "Gov | MoF"},
    {"url": "https://gov.example.ae/budget", "title": "الميزانية | وزارة المالية", "publisher": "حكومة | دبي"},
    {"url": "https://gov.example.cn/budget", "title": "预算 | 财政部", "publisher": "政府 | 北京"},
    {"url": "https://gov.example.org/path", "title": r"C:\docs\ and a trailing |", "publisher": ""},
]


def cited(version) -> list[dict]:
    return [{key: source.get(key, "") for key in ("url", "title", "publisher")} for source in version.sources]


def test_sources_with_a_bar_in_title_or_publisher_come_back_unchanged(as_editor, other_editor, make_claim, desk):
    claim = make_claim()
    fact_check = desk.published(claim)
    publishing.correct(claim_id=claim.pk, editor=other_editor, note="Budget sources.", sources=PIPED_SOURCES)

    form = opened_form(as_editor, claim)
    answer = as_editor.post(CORRECT, {**form, "note": "Rated again.", "rating": "mostly-false"}, follow=True)

    assert messages_of(answer)[0][0] == "success"
    fact_check.refresh_from_db()
    assert fact_check.current_version.number == 3
    assert cited(fact_check.current_version) == PIPED_SOURCES


def test_a_new_source_with_an_escaped_bar_is_read_as_one_title(as_editor, make_claim, desk):
    claim = make_claim()
    fact_check = desk.published(claim)
    sources = r"https://gov.example.org/budget | Budget 2025 \| Ministry of Finance | 财政部 \| 北京"

    as_editor.post(CORRECT, {**opened_form(as_editor, claim), "note": "A better source.", "sources": sources})

    fact_check.refresh_from_db()
    title, publisher = "Budget 2025 | Ministry of Finance", "财政部 | 北京"
    assert cited(fact_check.current_version) == [
        {"url": "https://gov.example.org/budget", "title": title, "publisher": publisher}
    ]


def test_a_line_with_more_parts_than_a_source_has_is_refused_not_cut(as_editor, make_claim, desk):
    claim = make_claim()
    fact_check = desk.published(claim)
    sources = "https://gov.example.org/budget | Budget 2025 | Ministry of Finance | Gov | https://archive.example.org/x"

    page = as_editor.post(CORRECT, {**opened_form(as_editor, claim), "note": "A better source.", "sources": sources})

    assert page.status_code == 200
    assert "A source line has at most 4 parts" in page.content.decode()
    fact_check.refresh_from_db()
    assert fact_check.current_version.number == 1


@pytest.mark.parametrize("source", PIPED_SOURCES)
def test_a_source_line_reads_back_as_written(source):
    line = admin_claim_forms._source_line(source)

    parsed = admin_claim_forms._parse_source(line)

    assert {key: parsed[key] for key in ("url", "title", "publisher")} == source


def test_a_verdict_stored_with_crlf_posted_back_unchanged_changes_nothing(as_editor, make_claim, desk):
    claim = make_claim()
    fact_check = desk.published(claim)
    FactCheckVersion.objects.filter(pk=fact_check.current_version_id).update(
        explanation=EXPLANATION.replace("\n", "\r\n")
    )

    posted = {**opened_form(as_editor, claim), "note": "Nothing, really."}

    answer = as_editor.post(CORRECT, posted)

    refused_as_changing_nothing(answer, posted, 1)
    fact_check.refresh_from_db()
    assert fact_check.current_version.number == 1
    assert fact_check.versions.count() == 1
    assert fact_check.current_version.explanation == EXPLANATION.replace("\n", "\r\n")


def test_the_api_refuses_a_correction_written_against_an_older_version(api, other_editor, make_claim, desk):
    claim = make_claim()
    fact_check = desk.published(claim)
    url = f"/api/v1/claims/{claim.pk}/corrections/"
    body = {"note": "Clearer.", "summary": "A clearer summary.", "based_on": 1}
    first = api(other_editor).post(url, body, format="json")
    stale = api(other_editor).post(url, {"note": "Rating.", "rating": "true", "based_on": 1}, format="json")

    assert first.status_code == 201, first.content
    assert stale.status_code == 409 and "now version 2" in stale.json()["detail"]
    assert fact_check.versions.count() == 2


def test_sending_ones_own_correction_again_publishes_it_once_and_refuses_nothing(as_editor, make_claim, desk):
    claim = make_claim()
    fact_check = desk.published(claim)
    sent = {**opened_form(as_editor, claim), "note": "सुधार: सारांश बदला", "summary": "बेरोजगारी बढ़ी।"}
    assert messages_of(as_editor.post(CORRECT, sent, follow=True))[0][0] == "success"

    again = as_editor.post(CORRECT, sent, follow=True)  # the browser's back, then the same form submitted again

    assert [level for level, _ in messages_of(again)] == ["success"]
    assert not any("corrected since" in text for _, text in messages_of(again))
    assert list(fact_check.versions.values_list("number", "summary")) == [
        (1, "It was four hours."),
        (2, "बेरोजगारी बढ़ी।"),
    ]


def test_another_editors_identical_correction_still_counts_as_corrected_since(
    as_editor, other_editor, make_claim, desk
):
    claim = make_claim()
    desk.published(claim)
    sent = {**opened_form(as_editor, claim), "note": "Exact hours.", "summary": "It was 4 hours 10."}
    publishing.correct(claim_id=claim.pk, editor=other_editor, note="Exact hours.", summary="It was 4 hours 10.")

    assert as_editor.post(CORRECT, sent).status_code == 409
