"""A review submitted for approval met its reviewer's deadline: past its due time it is not overdue anywhere (the
editors' overdue lists, the API's `overdue` filter, the reviewer's queue) and the sweep does not escalate it."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse

from reviews.models import Assignment
from reviews.services import sla


def test_a_review_awaiting_approval_is_not_overdue_nor_escalated(
    clock, make_claim, desk, api, editor, editors_with_email, django_capture_on_commit_callbacks
):
    waiting, writing = make_claim("The talks lasted more than five hours"), make_claim("The bridge cost 40 million")
    submitted, late = desk.awaiting_approval(waiting), desk.in_review(writing)
    after_both = max(submitted.due_at, late.due_at) + timedelta(hours=1)
    clock.move_to(after_both)

    with django_capture_on_commit_callbacks(execute=True):
        assert sla.sweep().escalated == 1

    submitted.refresh_from_db()
    assert submitted.escalated_at is None
    assert len(mail.outbox) == 1 and writing.text in mail.outbox[0].body
    assert [a.pk for a in Assignment.objects.overdue_at(after_both)] == [late.pk]
    assert submitted.is_overdue(after_both) is False and late.is_overdue(after_both) is True
    listed = api(editor).get("/api/v1/assignments/", {"overdue": "true"}).json()["results"]
    assert [row["id"] for row in listed] == [late.pk]


def test_the_reviewers_queue_does_not_flag_a_review_with_the_editors(clock, make_claim, desk, client, reviewer):
    submitted = desk.awaiting_approval(make_claim())
    clock.move_to(submitted.due_at + timedelta(hours=1))
    client.force_login(reviewer)

    rows = client.get(reverse("workspace:queue")).context["work"]

    assert [(row["assignment"].pk, row["overdue"]) for row in rows] == [(submitted.pk, False)]


def test_the_desks_assignment_list_does_not_flag_a_review_with_the_editors(clock, make_claim, desk, client, editor):
    waiting, writing = make_claim("The talks lasted more than five hours"), make_claim("The bridge cost 40 million")
    submitted, late = desk.awaiting_approval(waiting), desk.in_review(writing)
    clock.move_to(max(submitted.due_at, late.due_at) + timedelta(hours=1))
    client.force_login(editor)

    page = client.get(reverse("admin:reviews_assignment_changelist")).content.decode()

    rows = [row.split("</tr>")[0] for row in page.split("<tr")[1:]]
    flagged = [row for row in rows if "overdue" in row]
    assert len(flagged) == 1 and "The bridge cost 40 million" in flagged[0]
    assert any("The talks lasted more than five hours" in row for row in rows)
