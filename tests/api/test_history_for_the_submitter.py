"""A claim's history as each reader may see it: the desk's own notes (routing, an editor's comments to the reviewer)
never reach the journalist who submitted the claim; triage's answer does."""

import pytest

from reviews.services import verdicts

RETURN_NOTE = "Внутреннее: the second source is weak, find the ministry's own schedule."


def _internal_notes(steps: list[dict]) -> list[str]:
    return [step["note"] for step in steps if step["note"]]


@pytest.fixture
def claim_back_with_reviewer(make_claim, desk, editor):
    claim = make_claim()
    desk.awaiting_approval(claim)
    verdicts.return_review(claim_id=claim.pk, editor=editor, note=RETURN_NOTE)
    return claim


def test_the_submitter_reads_each_step_but_not_the_desks_notes(api, journalist, editor, claim_back_with_reviewer):
    claim = claim_back_with_reviewer
    urls = (f"/api/v1/claims/{claim.pk}/", f"/api/v1/claims/{claim.pk}/history/")

    for url in urls:
        as_editor, as_submitter = api(editor).get(url).json(), api(journalist).get(url).json()
        desk_steps = as_editor["history"] if isinstance(as_editor, dict) else as_editor
        own_steps = as_submitter["history"] if isinstance(as_submitter, dict) else as_submitter

        assert RETURN_NOTE in [step["note"] for step in desk_steps]
        assert [(s["from"], s["to"], s["at"]) for s in own_steps] == [(s["from"], s["to"], s["at"]) for s in desk_steps]
        assert _internal_notes(own_steps) == []
        # Who reviewed it is the desk's to know; who triaged it answers the journalist.
        assert {s["actor"] for s in own_steps if s["to"] in ("in_review", "awaiting_approval")} == {None}
        assert any(s["actor"] == editor.username for s in own_steps if s["to"] == "queued")

    listed = api(journalist).get("/api/v1/claims/").json()["results"]
    assert _internal_notes(next(c for c in listed if c["id"] == claim.pk)["history"]) == []


def test_the_reviewer_reads_the_editors_comments(api, reviewer, claim_back_with_reviewer):
    steps = api(reviewer).get(f"/api/v1/claims/{claim_back_with_reviewer.pk}/history/").json()

    assert RETURN_NOTE in [step["note"] for step in steps]
