"""After a publication the list may show the previous filter choices while one request recounts them (at a million
claims that takes 1.5 s); such a page lists the new verdict but is not cached, so the lag ends with the recount."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import freshness
from factcheck.site.cache import _release


def read(client, url: str = "/fact-checks/") -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(url)
    assert answer.status_code == 200
    return answer.content.decode(), len(queries)


def test_a_list_built_with_lagging_choices_shows_the_new_verdict_and_is_not_kept(
    client, make_claim, publish, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish(make_claim("Exports grew by 4 percent"))
    read(client)  # counts the choices and keeps the page
    assert read(client)[1] == 0
    choices_key = f"factcheck:filter-choices:{_release()}"
    assert freshness.claim_computation(choices_key, freshness.REFRESHING)  # another request is recounting them

    with django_capture_on_commit_callbacks(execute=True):
        publish(make_claim("Imports fell by 9 percent"))
    first, _ = read(client)
    second, queries = read(client)

    assert "Imports fell by 9 percent" in first and "Imports fell by 9 percent" in second
    assert queries > 0  # built again: the page with the lagging choices was not kept
    freshness.release_computation(choices_key, freshness.REFRESHING)
    read(client)  # recounts the choices and keeps the page
    assert read(client)[1] == 0
