"""Re-importing imported fact-checks from the desk queues every distinct page of the selection, ten to a task, and
names the pages it could not queue."""

import pytest

from core import dispatch
from core.names import Task
from factcheck.integrations.models import ExternalFactCheck

pytestmark = pytest.mark.django_db

LIST = "/admin/factcheck/externalfactcheck/"


def page(number: int) -> str:
    return f"https://checkers.example.org/page-{number}"


@pytest.fixture
def fourteen_pages() -> list[int]:
    """Fourteen reviews on fourteen pages, and two more on pages already among them."""
    rows = [
        ExternalFactCheck(url=f"{page(n)}#review", source_page=page(n), claim_reviewed=f"Claim {n}", raw={})
        for n in range(1, 15)
    ]
    rows += [
        ExternalFactCheck(url=f"{page(n)}#second", source_page=page(n), claim_reviewed=f"Claim {n}b", raw={})
        for n in (6, 9)
    ]
    return [row.pk for row in ExternalFactCheck.objects.bulk_create(rows)]


def reimport(client, editor, ids: list[int]) -> list[str]:
    client.force_login(editor)
    answer = client.post(LIST, {"action": "reimport", "_selected_action": ids}, follow=True)
    return [str(m) for m in answer.context["messages"]]


def test_it_queues_every_distinct_page_ten_to_a_task(client, editor, monkeypatch, fourteen_pages):
    editor.email = "eddie@example.org"
    editor.save()
    sent = []
    monkeypatch.setattr(dispatch, "send", lambda name, *args: sent.append((name, *args)) or True)

    messages = reimport(client, editor, fourteen_pages)

    assert [name for name, *_ in sent] == [Task.IMPORT_CLAIMREVIEW] * 2
    assert [len(urls) for _, urls, _ in sent] == [10, 4]
    assert sorted(url for _, urls, _ in sent for url in urls) == sorted(page(n) for n in range(1, 15))
    assert messages == [
        "Import of 14 page(s) queued: the reviews appear in this list as they are read, and the outcome is emailed "
        "to eddie@example.org in 2 reports of up to 10 pages each."
    ]


def test_it_names_the_pages_it_could_not_queue(client, editor, monkeypatch, fourteen_pages):
    answers = iter([True, False])
    monkeypatch.setattr(dispatch, "send", lambda name, *args: next(answers))

    messages = reimport(client, editor, fourteen_pages)

    not_queued = sorted(page(n) for n in range(1, 15))[10:]
    assert messages[0].startswith("Import of 10 page(s) queued")
    assert messages[1] == (
        "4 of the 14 pages could not be queued (the task queue is down); try these again: " + ", ".join(not_queued)
    )
