"""After a publication a task counts the list's filter choices again (at a million claims that takes 1.5 s); until it
has, the list shows the new verdict with the previous choices, and the page cache keeps that page only until the
recount lands."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import freshness
from factcheck.site.cache import _release
from factcheck.site.choices import refresh_filter_choices
from factcheck.tasks import refresh_public_values

CHOICES_KEY = f"factcheck:filter-choices:{_release()}"


def read(client, url: str = "/fact-checks/") -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(url)
    assert answer.status_code == 200
    return answer.content.decode(), len(queries)


def test_each_publication_has_the_choices_counted_again_before_any_reader_asks(
    client, make_claim, publish, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish(make_claim("Exports grew by 4 percent", claimant="Amara Okafor"))
    read(client)
    with django_capture_on_commit_callbacks(execute=True):
        publish(make_claim("Imports fell by 9 percent", claimant="Олена Коваль"))

    page, _ = read(client)  # within the grace a reader does not count them: the publication's task did

    assert 'value="Олена Коваль"' in page
    assert refresh_public_values() == 0  # nothing left to count


def test_a_page_built_before_the_recount_is_kept_until_the_recount_lands(
    client, make_claim, publish, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish(make_claim("Exports grew by 4 percent", claimant="Amara Okafor"))
    read(client)
    assert freshness.claim_computation(CHOICES_KEY, freshness.REFRESHING)  # a slow recount is under way
    with django_capture_on_commit_callbacks(execute=True):
        publish(make_claim("Imports fell by 9 percent", claimant="Олена Коваль"))

    first, _ = read(client)
    second, queries = read(client)

    assert "Imports fell by 9 percent" in first and 'value="Олена Коваль"' not in first  # the choices lag
    assert (second, queries) == (first, 0)  # kept meanwhile: readers do not all render it again
    freshness.release_computation(CHOICES_KEY, freshness.REFRESHING)
    assert refresh_filter_choices() == 1  # the recount lands
    third, queries = read(client)
    assert queries > 0 and 'value="Олена Коваль"' in third  # built again, with the new choices
    assert read(client) == (third, 0)
