"""A source button pressed in a second tab after the first tab removed that source: the reviewer is told, and the
text typed in the second tab is saved, never lost to a 404."""

from reviews.models import Review
from tests.workspace import test_reviewer
from tests.workspace.test_reviewer import form_url, messages_of, review_fields

# The reviewer's fixtures, shared with the workspace's main tests.
offer, accepted, rita = test_reviewer.offer, test_reviewer.accepted, test_reviewer.rita

ALREADY_REMOVED = ("warning", "That source was already removed. Your draft was saved.")


def _two_sources(rita, claim):
    for url, title in (("https://gov.example.org/schedule", "Schedule"), ("https://pool.example.org/n", "Notes")):
        rita.post(form_url(claim), review_fields(add_source="1", **{"source-url": url, "source-title": title}))
    return Review.objects.get(claim=claim)


def test_removing_a_source_another_tab_removed_says_so_and_saves_the_typed_text(rita, make_claim, accepted):
    claim = make_claim()
    accepted(claim)
    review = _two_sources(rita, claim)
    notes = review.sources.get(title="Notes")
    rita.post(form_url(claim), review_fields(remove=str(notes.pk)))  # the first tab

    response = rita.post(form_url(claim), review_fields(summary="Typed in tab two.", remove=str(notes.pk)), follow=True)

    assert response.status_code == 200
    assert ALREADY_REMOVED in messages_of(response)
    review.refresh_from_db()
    assert review.summary == "Typed in tab two."
    assert [s.title for s in review.sources.all()] == ["Schedule"]
    assert "Typed in tab two." in response.content.decode()


def test_moving_a_source_another_tab_removed_says_so_and_saves_the_typed_text(rita, make_claim, accepted):
    claim = make_claim()
    accepted(claim)
    review = _two_sources(rita, claim)
    notes = review.sources.get(title="Notes")
    rita.post(form_url(claim), review_fields(remove=str(notes.pk)))

    response = rita.post(
        form_url(claim), review_fields(summary="Moved in tab two.", move_up=str(notes.pk)), follow=True
    )

    assert response.status_code == 200
    assert ALREADY_REMOVED in messages_of(response)
    review.refresh_from_db()
    assert review.summary == "Moved in tab two."
    assert [s.title for s in review.sources.all()] == ["Schedule"]


def test_a_source_button_with_no_source_number_is_taken_as_a_removed_source(rita, make_claim, accepted):
    claim = make_claim()
    accepted(claim)
    _two_sources(rita, claim)

    response = rita.post(form_url(claim), review_fields(summary="Still kept.", remove="x"), follow=True)

    assert ALREADY_REMOVED in messages_of(response)
    assert Review.objects.get(claim=claim).summary == "Still kept."
