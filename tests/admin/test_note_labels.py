"""A note the journalist will read is labelled so: triage and publication answer the journalist who sent the claim,
and their notes show in the journalist's workspace."""

import pytest
from django.test import Client

from reviews.admin_claim_forms import SUBMITTER_READS
from tests.admin.desk import action

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["accept", "duplicate"])
def test_the_note_of_a_step_that_answers_the_journalist_says_who_reads_it(as_editor, make_claim, name):
    claim = make_claim()

    page = as_editor.get(action(name), {"ids": claim.pk}).content.decode()

    assert SUBMITTER_READS in page
    assert "Note for the history" not in page


def test_an_accept_note_reaches_the_journalist_as_its_label_says(as_editor, make_claim, journalist):
    claim = make_claim(user=journalist)
    as_editor.post(action("accept"), {"ids": claim.pk, "priority": "normal", "reason": "عاجل — مهم"})
    reader = Client()
    reader.force_login(journalist)

    assert "عاجل — مهم" in reader.get("/workspace/my-claims/").content.decode()
