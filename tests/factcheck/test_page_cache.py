"""Speed: a constant number of queries per page, none for a cached page, and a fresh page as soon as a verdict
is published, corrected or retracted (after its transaction commits)."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Topic
from factcheck.record import services as publishing
from factcheck.tasks import refresh_public_values
from reviews.services import verdicts


def queries_for(client, url: str) -> int:
    """SQL queries of one uncached rendering of the page."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_it_renders_the_list_with_the_same_queries_for_1_or_20_fact_checks(client, make_claim, publish):
    Topic.objects.create(slug="economy", name="Economy")
    publish(make_claim("Claim number 0", topics=["economy"]))
    one = queries_for(client, "/fact-checks/")
    searched_one = queries_for(client, "/fact-checks/?topic=economy&q=claim")
    for n in range(1, 20):
        publish(make_claim(f"Claim number {n}", claimant=f"Claimant {n}", topics=["economy"]))

    twenty = queries_for(client, "/fact-checks/")

    assert twenty == one
    assert queries_for(client, "/fact-checks/?topic=economy&q=claim") == searched_one
    # On PostgreSQL a search first reads whether the table has statistics for an estimate
    # (core.pagination.estimated_matches); a fresh test database has none, so it then counts, as the list does.
    assert searched_one == one + (1 if connection.vendor == "postgresql" else 0)


def test_it_renders_a_verdict_with_the_same_queries_for_1_or_20_sources_and_versions(
    client, make_claim, publish, other_editor, django_capture_on_commit_callbacks
):
    for topic in ("economy", "health"):
        Topic.objects.create(slug=topic, name=topic.title())
    small = publish(make_claim("Taxes fell", topics=["economy"]))
    once = publish(make_claim("Rents rose", topics=["health"]))
    sources = [verdicts.SourceInput(url=f"https://example.org/{n}", title=f"Source {n}") for n in range(20)]
    large = publish(make_claim("Clinics closed", topics=["economy", "health"]), sources=sources)
    with django_capture_on_commit_callbacks(execute=True):
        publishing.correct(claim_id=once.claim_id, editor=other_editor, note="The only correction.", summary="S.")
        for n in range(19):
            publishing.correct(claim_id=large.claim_id, editor=other_editor, note=f"Correction {n}", summary=f"S{n}.")

    assert queries_for(client, large.get_absolute_url()) == queries_for(client, once.get_absolute_url())
    old_large, old_once = f"{large.get_absolute_url()}v3/", f"{once.get_absolute_url()}v1/"
    assert queries_for(client, old_large) == queries_for(client, old_once)
    # A fact-check never corrected has one version, its current one: its versions are not read again.
    assert queries_for(client, small.get_absolute_url()) == queries_for(client, once.get_absolute_url()) - 1
    assert queries_for(client, f"{small.get_absolute_url()}v1/") == queries_for(client, old_once) - 1


def test_it_renders_the_other_pages_with_constant_queries(
    client, make_claim, publish, editor, other_editor, django_capture_on_commit_callbacks
):
    Topic.objects.create(slug="economy", name="Economy")
    corrected = publish(make_claim("Claim number 0", topics=["economy"]))
    # Both ratings the later verdicts use, from the start: the ratings sheet reads one lookup per distinct colour
    # (selectors.badge_colours), a count the scale bounds, not the number of verdicts.
    retracted = publish(make_claim("Claim number 1", topics=["economy"]), rating="mostly-true")
    with django_capture_on_commit_callbacks(execute=True):
        publishing.correct(claim_id=corrected.claim_id, editor=other_editor, note="First note.", summary="Fixed.")
        publishing.retract(claim_id=retracted.claim_id, editor=editor, reason="First reason.")
    pages = ["/claimants/minister-jane-roe/", "/topics/", "/topics/economy/", "/corrections/", "/methodology/"]
    before = {url: queries_for(client, url) for url in pages}
    for n in range(2, 20):
        fact_check = publish(make_claim(f"Claim number {n}", topics=["economy"]), rating="mostly-true")
        with django_capture_on_commit_callbacks(execute=True):
            publishing.correct(claim_id=fact_check.claim_id, editor=other_editor, note=f"Note {n}.", summary="Fixed.")
            if n % 2:
                publishing.retract(claim_id=fact_check.claim_id, editor=editor, reason=f"Reason {n}.")

    assert {url: queries_for(client, url) for url in pages} == before


def test_it_serves_a_cached_verdict_without_any_sql_query(client, make_claim, publish, django_assert_num_queries):
    fact_check = publish(make_claim())
    first = client.get(fact_check.get_absolute_url())

    with django_assert_num_queries(0):
        again = client.get(fact_check.get_absolute_url())

    assert again.status_code == 200
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]


def test_it_serves_every_cached_page_without_sql(client, make_claim, publish, django_assert_num_queries):
    publish(make_claim())
    pages = [
        "/fact-checks/",
        "/fact-checks/?rating=false",
        "/claimants/minister-jane-roe/",
        "/topics/",
        "/methodology/",
        "/corrections/",
    ]
    for url in pages:
        client.get(url)

    with django_assert_num_queries(0):
        for url in pages:
            assert client.get(url).status_code == 200


def test_it_shows_a_correction_once_it_is_committed(
    client, make_claim, publish, other_editor, django_capture_on_commit_callbacks
):
    fact_check = publish(make_claim(), rating="false")
    url = fact_check.get_absolute_url()
    assert '<span class="rating badge badge-8b1a1a">False</span>' in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=False) as on_commit:
        publishing.correct(
            claim_id=fact_check.claim_id,
            editor=other_editor,
            note="We misread the schedule.",
            rating="mostly-false",
        )
        # Not committed yet: readers may still get the page as it was.
        assert '<span class="rating badge badge-8b1a1a">False</span>' in client.get(url).content.decode()
    for callback in on_commit:
        callback()

    html = client.get(url).content.decode()
    assert '<span class="rating badge badge-9a4a0c">Mostly false</span>' in html
    assert "We misread the schedule." in html
    assert "We misread the schedule." in client.get("/corrections/").content.decode()


def test_it_shows_the_tombstone_as_soon_as_a_retraction_commits(
    client, make_claim, publish, editor, django_capture_on_commit_callbacks
):
    fact_check = publish(make_claim())
    url = fact_check.get_absolute_url()
    client.get(url), client.get("/fact-checks/")

    with django_capture_on_commit_callbacks(execute=True):
        publishing.retract(claim_id=fact_check.claim_id, editor=editor, reason="The schedule was forged.")

    html = client.get(url).content.decode()
    assert "This fact-check was retracted" in html
    assert "The schedule was forged." in html
    assert "<strong>Retracted</strong>" in client.get("/fact-checks/").content.decode()


def test_it_lists_a_new_verdict_as_soon_as_it_is_published(
    client, make_claim, publish, django_capture_on_commit_callbacks
):
    publish(make_claim("The talks lasted more than five hours"))
    assert "Trade rose by 12% last year" not in client.get("/fact-checks/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        publish(make_claim("Trade rose by 12% last year"))

    assert "Trade rose by 12% last year" in client.get("/fact-checks/").content.decode()


def test_it_answers_304_to_a_reader_who_has_the_page(client, make_claim, publish, django_assert_num_queries):
    fact_check = publish(make_claim())
    url = fact_check.get_absolute_url()
    first = client.get(url)

    with django_assert_num_queries(0):
        by_etag = client.get(url, headers={"If-None-Match": first["ETag"]})
        by_date = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})

    assert by_etag.status_code == 304
    assert by_date.status_code == 304
    assert by_etag["ETag"] == first["ETag"]
    assert "max-age=0" in first["Cache-Control"] and "public" in first["Cache-Control"]
    assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_it_sends_a_new_etag_after_a_correction(
    client, make_claim, publish, other_editor, django_capture_on_commit_callbacks
):
    fact_check = publish(make_claim())
    url = fact_check.get_absolute_url()
    before = client.get(url)

    with django_capture_on_commit_callbacks(execute=True):
        publishing.correct(claim_id=fact_check.claim_id, editor=other_editor, note="Fixed a typo.", summary="Fixed.")
    after = client.get(url, headers={"If-None-Match": before["ETag"]})

    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert "Fixed a typo." in after.content.decode()


def test_it_keeps_pages_of_different_queries_apart(client, make_claim, publish):
    publish(make_claim("Taxes fell"), rating="false")
    publish(make_claim("Taxes rose"), rating="true")

    searched_for_the_ampersand = client.get("/fact-checks/?q=taxes%26rating%3Dtrue").content.decode()
    filtered = client.get("/fact-checks/?q=taxes&rating=true").content.decode()
    in_another_order = client.get("/fact-checks/?rating=true&q=taxes").content.decode()

    assert "No fact-checks match these filters." in searched_for_the_ampersand
    assert "Taxes rose" in filtered and "Taxes fell" not in filtered
    assert in_another_order == filtered


def test_it_caches_no_missing_page(client, make_claim, publish, django_capture_on_commit_callbacks):
    assert client.get("/fact-checks/not-yet-1/").status_code == 404
    fact_check = publish(make_claim())

    assert client.get(f"{fact_check.get_absolute_url()}v2/").status_code == 404
    assert client.get(fact_check.get_absolute_url()).status_code == 200


def test_it_still_answers_when_the_cache_is_down(client, make_claim, publish, settings):
    fact_check = publish(make_claim())
    settings.CACHES = {
        "default": {
            "BACKEND": "core.redis_cache.SharedClientRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }

    answer = client.get(fact_check.get_absolute_url())

    assert answer.status_code == 200
    assert '<span class="rating badge badge-8b1a1a">False</span>' in answer.content.decode()


def test_a_publication_commits_and_the_list_answers_when_the_cache_is_down(
    client, make_claim, publish, settings, django_capture_on_commit_callbacks
):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.redis_cache.SharedClientRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    with django_capture_on_commit_callbacks(execute=True):  # the stamp's bump and the recount's task both fail
        publish(make_claim("Exports grew by 4 percent"))

    assert refresh_public_values() == 0  # nothing kept, nothing raised
    answer = client.get("/fact-checks/")
    assert answer.status_code == 200 and "Exports grew by 4 percent" in answer.content.decode()


def test_it_refuses_to_change_a_page(client, make_claim, publish):
    fact_check = publish(make_claim())

    assert client.post(fact_check.get_absolute_url()).status_code == 405
    assert client.head(fact_check.get_absolute_url()).status_code == 200


def test_it_keys_pages_by_the_templates_and_static_files_they_are_rendered_from(tmp_path, settings):
    """A deploy that changes a template must not serve pages rendered by the old one."""
    from factcheck.site import cache as page_cache

    settings.DEBUG = True  # the digest is computed afresh, as it is under a development server
    before = page_cache._release()
    template = next(page_cache._APP_DIR.joinpath("templates").rglob("list.html"))
    original = template.read_bytes()
    try:
        template.write_bytes(original + b"\n")
        assert page_cache._release() != before
    finally:
        template.write_bytes(original)
    assert page_cache._release() == before


def test_it_answers_the_apis_public_list_from_the_cache_until_a_publication_commits(
    api, make_claim, publish, django_assert_num_queries, django_capture_on_commit_callbacks
):
    reader = api()
    publish(make_claim("The talks lasted more than five hours"))
    first = reader.get("/api/v1/fact-checks/")

    with django_assert_num_queries(0):
        again = reader.get("/api/v1/fact-checks/")
    assert again.content == first.content
    assert again["Content-Type"] == "application/json"

    with django_capture_on_commit_callbacks(execute=True):
        publish(make_claim("Trade rose by 12% last year"))
    claims = [row["claim"] for row in reader.get("/api/v1/fact-checks/").json()["results"]]
    assert claims == ["Trade rose by 12% last year", "The talks lasted more than five hours"]


def test_it_keeps_filtered_pages_and_the_browsable_api_apart_in_the_cache(api, make_claim, publish):
    reader = api()
    publish(make_claim("The talks lasted more than five hours", language="en"))
    assert len(reader.get("/api/v1/fact-checks/").json()["results"]) == 1

    assert reader.get("/api/v1/fact-checks/", {"language": "fr"}).json()["results"] == []
    assert reader.get("/api/v1/fact-checks/", HTTP_ACCEPT="text/html")["Content-Type"].startswith("text/html")
    assert reader.get("/api/v1/fact-checks/")["Content-Type"] == "application/json"


def test_it_answers_304_to_an_api_reader_who_has_the_list(api, make_claim, publish, django_assert_num_queries):
    reader = api()
    publish(make_claim("The talks lasted more than five hours"))
    first = reader.get("/api/v1/fact-checks/")
    assert first["ETag"]

    with django_assert_num_queries(0):
        again = reader.get("/api/v1/fact-checks/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_it_links_each_host_to_its_own_pages_of_the_api_list(api, make_claim, publish, settings):
    settings.ALLOWED_HOSTS = ["desk.example", "mirror.example"]
    reader = api()
    publish(make_claim("The talks lasted more than five hours"))
    publish(make_claim("Trade rose by 12% last year"))

    on_desk = reader.get("/api/v1/fact-checks/?page_size=1", HTTP_HOST="desk.example").json()
    on_mirror = reader.get("/api/v1/fact-checks/?page_size=1", HTTP_HOST="mirror.example").json()

    assert on_desk["next"].startswith("http://desk.example/")
    assert on_mirror["next"].startswith("http://mirror.example/")
