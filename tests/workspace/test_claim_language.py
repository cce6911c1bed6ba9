# The report is Russian on purpose: the English quote in it is the claim whose language must not be the report's.
# ruff: noqa: RUF001
"""A claim typed by hand on a report's page takes the language it is written in, not the report's, unless the
journalist picks one; the claim's page shows its language."""

import pytest
from django.urls import reverse

from claims.ingest import services as ingest
from claims.models import Claim

BODY = (
    "Министр заявила журналистам, что переговоры прошли успешно.\n"
    "The talks lasted more than five hours.\n"
    "Оппозиция не согласилась с этой оценкой."
)
ENGLISH = "The talks lasted more than five hours."
RUSSIAN = "Министр заявила журналистам, что переговоры прошли успешно."


@pytest.fixture
def jane(client, journalist):
    client.force_login(journalist)
    return client


@pytest.fixture
def russian(journalist):
    return ingest.submit_report(user=journalist, headline="Переговоры", language="ru", body=BODY)


def report_url(report) -> str:
    return reverse("workspace:report", kwargs={"report_id": report.pk})


def typed(quote: str, **overrides) -> dict:
    return {"quote": quote, "text": quote, "claimant_kind": "Person", "language": ""} | overrides


def test_the_language_menu_starts_on_the_claims_own_language(jane, russian):
    form = jane.get(report_url(russian)).context["form"]

    assert form["language"].value() in ("", None)
    assert form.fields["language"].choices[0] == ("", "As the claim reads (guessed from its script)")
    assert "Russian, like the report" in form.fields["language"].help_text


@pytest.mark.parametrize(("quote", "language"), [(ENGLISH, "en"), (RUSSIAN, "ru")])
def test_a_claim_left_to_its_script_takes_the_language_it_is_written_in(jane, russian, quote, language):
    untouched = jane.get(report_url(russian)).context["form"]["language"].value() or ""  # what the menu sends as is

    answer = jane.post(report_url(russian), typed(quote, language=untouched), follow=True)

    assert answer.status_code == 200
    assert Claim.objects.get().language == language
    name = {"en": "English", "ru": "Russian"}[language]
    assert f"The claim is submitted, in {name}: an editor will triage it." in [
        str(message) for message in answer.context["messages"]
    ]


def test_a_language_the_journalist_picks_wins(jane, russian):
    jane.post(report_url(russian), typed(ENGLISH, language="de"))

    assert Claim.objects.get().language == "de"


def test_the_claims_page_shows_its_language_and_the_edit_keeps_it_required(jane, russian):
    jane.post(report_url(russian), typed(ENGLISH))
    claim = Claim.objects.get()

    page = jane.get(reverse("workspace:claim", kwargs={"claim_id": claim.pk})).content.decode()
    edit = jane.get(reverse("workspace:edit-claim", kwargs={"claim_id": claim.pk})).context["form"]

    assert "<dt>Language</dt><dd>English" in page
    assert edit["language"].value() == "en" and edit.fields["language"].required


def test_a_typed_claim_that_repeats_a_verdict_is_warned_about_at_once(jane, russian, make_claim, desk):
    desk.published(make_claim("The talks lasted more than five hours"))

    answer = jane.post(report_url(russian), typed(ENGLISH), follow=True)

    shown = [str(message) for message in answer.context["messages"]]
    assert any(message.startswith("Already fact-checked:") for message in shown), shown
