"""Reports in: by URL (fetched by the worker's task through the guarded fetcher), by HTML, or by pasted text; the
report's status over the API; the same URL twice; sentences with offsets and their ranked candidates; a candidate
turned into a claim with one call."""

import importlib
import threading
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.db import connection

from claims import services
from claims.ingest.models import ReportEvent, ReportSentence
from claims.ingest.services import HTML_MAX, TEXT_MAX
from claims.models import Report
from core.errors import InvalidInput
from tests.factcheck.local_http import LocalWeb, route_to_local_web

ARTICLE = (Path(__file__).parent / "fixtures" / "news_en.html").read_text()
PUBLIC_HOST = "news.example.com"

PASTED = (
    "Talks in Geneva\n\n"
    "Good evening and welcome. Unemployment fell to 3.5 percent last year, the lowest in 50 years. "
    "The U.S. delegation arrived at 9 a.m. on Tuesday. We thank our hosts."
)


@pytest.fixture
def web():
    with LocalWeb() as server:
        yield server


@pytest.fixture
def internet(monkeypatch, web):
    """PUBLIC_HOST resolves to a public address that reaches the local server; the address checks run unchanged."""
    route_to_local_web(monkeypatch, PUBLIC_HOST)
    return web


def _public_url(web, path: str) -> str:
    return web.url(path, host=PUBLIC_HOST)


def test_it_fetches_a_report_by_url_and_reads_its_headline_body_and_date(
    api, journalist, internet, django_capture_on_commit_callbacks
):
    internet.serve("/2026/03/geneva", ARTICLE, content_type="text/html; charset=utf-8")
    url = _public_url(internet, "/2026/03/geneva")

    with django_capture_on_commit_callbacks(execute=True):
        answer = api(journalist).post("/api/v1/reports/", {"url": url}, format="json")

    assert answer.status_code == 201, answer.content
    assert answer.json()["status"] == "fetching"
    fetched = api(journalist).get(f"/api/v1/reports/{answer.json()['id']}/").json()
    assert fetched["status"] == "ready", fetched["failure"]
    assert fetched["headline"] and fetched["headline"] in ARTICLE
    assert fetched["published_at"] is not None
    assert fetched["language"] == "en"
    assert len(fetched["body"]) > 200
    report = Report.objects.get(pk=fetched["id"])
    assert [e.to_status for e in ReportEvent.objects.filter(report=report)] == ["fetching", "ready"]
    assert ReportSentence.objects.filter(report=report).exists()


def test_a_url_that_points_inside_the_network_fails_with_the_reason(
    api, journalist, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = api(journalist).post("/api/v1/reports/", {"url": "http://127.0.0.1:9/admin"}, format="json")

    report = api(journalist).get(f"/api/v1/reports/{answer.json()['id']}/").json()
    assert report["status"] == "failed"
    assert "not fetched" in report["failure"]
    candidates = api(journalist).get(f"/api/v1/reports/{report['id']}/candidates/")
    assert candidates.status_code == 409
    assert "could not be read" in candidates.json()["detail"]


def test_a_failed_report_is_fetched_again_by_its_submitter_only(
    api, journalist, other_journalist, editor, internet, django_capture_on_commit_callbacks
):
    url = _public_url(internet, "/gone")  # nothing served there yet: 404
    with django_capture_on_commit_callbacks(execute=True):
        report_id = api(journalist).post("/api/v1/reports/", {"url": url}, format="json").json()["id"]
    assert Report.objects.get(pk=report_id).status == Report.Status.FAILED

    refused = api(other_journalist).post(f"/api/v1/reports/{report_id}/fetch/")
    assert refused.status_code == 403
    internet.serve("/gone", ARTICLE, content_type="text/html")
    with django_capture_on_commit_callbacks(execute=True):
        again = api(journalist).post(f"/api/v1/reports/{report_id}/fetch/")

    assert again.status_code == 200
    assert Report.objects.get(pk=report_id).status == Report.Status.READY


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("ftp://news.example.com/story", "starts with http:// or https://"),
        ("FTPS://news.example.com/a", "starts with http:// or https://"),
        ("file:///etc/passwd", "Enter a valid URL."),
    ],
)
def test_it_refuses_an_address_that_is_not_on_the_web_before_saving_a_report(api, journalist, address, message):
    answer = api(journalist).post("/api/v1/reports/", {"url": address}, format="json")

    assert answer.status_code == 400
    assert message in str(answer.json()["url"])
    assert not Report.objects.exists()


def test_a_report_longer_than_the_desk_takes_is_refused_whoever_submits_it(api, journalist):
    too_long = {"html": "<p>" + "x" * HTML_MAX + "</p>", "url": "https://news.example.com/long"}

    answer = api(journalist).post("/api/v1/reports/", too_long, format="json")

    assert answer.status_code == 400 and "html" in answer.json()
    with pytest.raises(InvalidInput) as refused:
        services.submit_report(user=journalist, body="y" * (TEXT_MAX + 1), headline="Long", language="en")
    assert "body" in refused.value.errors
    assert not Report.objects.exists()


CHINESE_PAGE = (
    "<html><head><title>部长讲话</title></head><body><article><h1>部长讲话</h1>"
    + "<p>部长说去年失业率下降到百分之五。这是十年来的最低水平。官员们在周二证实了这一数字。</p>" * 3
    + "</article></body></html>"
)


def test_a_page_that_does_not_say_its_language_needs_the_submitter_to_say_it(api, journalist):
    url = "/api/v1/reports/"
    page = {"url": "https://news.example.com/zh/99", "html": CHINESE_PAGE}

    unsaid = api(journalist).post(url, page, format="json")
    said = api(journalist).post(url, {**page, "language": "zh-hans"}, format="json")
    declared = api(journalist).post(
        url,
        {"html": CHINESE_PAGE.replace("<html>", '<html lang="zh-Hans">'), "url": "https://news.example.com/zh/100"},
        format="json",
    )

    assert unsaid.status_code == 400 and "language" in unsaid.json()
    assert (said.status_code, said.json()["language"]) == (201, "zh-hans")
    assert (declared.status_code, declared.json()["language"]) == (201, "zh-hans")
    assert Report.objects.count() == 2


def test_the_same_url_twice_finds_the_existing_report(api, journalist, other_journalist):
    first = api(journalist).post(
        "/api/v1/reports/",
        {"url": "https://News.Example.com/story/?utm_source=feed", "body": PASTED, "language": "en"},
        format="json",
    )
    second = api(other_journalist).post("/api/v1/reports/", {"url": "http://news.example.com/story"}, format="json")

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["id"] == first.json()["id"]
    assert Report.objects.count() == 1
    # The article is the newsroom's: the second journalist reads it and takes claims from it.
    assert api(other_journalist).get(f"/api/v1/reports/{first.json()['id']}/candidates/").status_code == 200


@pytest.mark.parametrize(
    "again",
    [
        "https://xn--e1afmkfd.example/%D1%81%D1%82%D0%B0%D1%82%D1%8C%D1%8F",
        "https://пример.example/статья/",
        "https://ПРИМЕР.example/%d1%81%d1%82%d0%b0%d1%82%d1%8c%d1%8f?utm_source=telegram",
    ],
)
def test_an_address_in_another_script_is_found_again_however_it_is_written(api, journalist, again):
    first = api(journalist).post(
        "/api/v1/reports/", {"url": "https://пример.example/статья", "body": PASTED, "language": "ru"}, format="json"
    )
    second = api(journalist).post("/api/v1/reports/", {"url": again}, format="json")

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["id"] == first.json()["id"]
    assert Report.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_submissions_of_one_url_make_one_report(journalist, other_journalist):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    barrier, answers = threading.Barrier(2), []

    def submit(user):
        barrier.wait()
        try:
            report = services.submit_report(
                user=user, url="https://news.example.com/race", body=PASTED, language="en", headline="Race"
            )
            answers.append(report.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(u,)) for u in (journalist, other_journalist)]
    [t.start() for t in threads]
    [t.join() for t in threads]

    assert len(answers) == 2 and answers[0] == answers[1]
    assert Report.objects.filter(url_key="news.example.com/race").count() == 1


def test_pasted_html_is_read_at_once(api, journalist):
    answer = api(journalist).post("/api/v1/reports/", {"html": ARTICLE}, format="json")

    assert answer.status_code == 201, answer.content
    assert answer.json()["status"] == "ready"
    assert answer.json()["headline"]


def test_bad_input_is_a_400_naming_the_field(api, journalist):
    nothing = api(journalist).post("/api/v1/reports/", {"headline": "No text"}, format="json")
    no_language = api(journalist).post("/api/v1/reports/", {"body": PASTED}, format="json")
    empty_page = api(journalist).post("/api/v1/reports/", {"html": "<html><body></body></html>"}, format="json")

    assert nothing.status_code == 400 and "body" in nothing.json()
    assert no_language.status_code == 400 and "language" in no_language.json()
    assert empty_page.status_code == 400 and "html" in empty_page.json()


def test_every_sentence_is_stored_with_offsets_that_hold_its_text(journalist):
    body = "Новости дня. Безработица упала до 3,5%. 会谈持续了五个多小时。وقال الوزير إن المحادثات استمرت. यह सच है।"
    for text, language in ((PASTED, "en"), (body, "ru")):
        report = services.submit_report(user=journalist, body=text, language=language, headline="h")

        sentences = list(ReportSentence.objects.filter(report=report))
        assert len(sentences) >= 3
        assert all(report.body[s.start : s.end] == s.text for s in sentences)
        assert all(0 <= s.score <= 1 for s in sentences)


def test_candidates_are_ranked_with_offsets_and_a_check_worthy_sentence_first(api, journalist):
    report = services.submit_report(user=journalist, body=PASTED, language="en", headline="Talks")

    candidates = api(journalist).get(f"/api/v1/reports/{report.pk}/candidates/").json()

    assert [c["score"] for c in candidates] == sorted((c["score"] for c in candidates), reverse=True)
    assert "Unemployment fell to 3.5 percent" in candidates[0]["text"]
    assert all(report.body[c["start"] : c["end"]] == c["text"] for c in candidates)
    assert "Thank you" not in candidates[0]["text"]


@pytest.mark.parametrize("limit", ["\u00b2", "\u0663", "9" * 5000, "-1", "abc", "0", "1.5", "1001"])
def test_a_limit_that_is_not_a_whole_number_from_1_to_1000_is_refused(api, journalist, limit):
    report = services.submit_report(user=journalist, body=PASTED, language="en", headline="Talks")

    answer = api(journalist).get(f"/api/v1/reports/{report.pk}/candidates/", {"limit": limit})

    assert answer.status_code == 400, answer.content
    assert answer.json() == {"limit": ["Must be a whole number from 1 to 1000."]}


@pytest.mark.parametrize(("limit", "count"), [("1", 1), ("2", 2), ("1000", None), ("", None)])
def test_a_limit_caps_the_candidates_and_none_lists_them_all(api, journalist, limit, count):
    report = services.submit_report(user=journalist, body=PASTED, language="en", headline="Talks")
    every = api(journalist).get(f"/api/v1/reports/{report.pk}/candidates/").json()

    answer = api(journalist).get(f"/api/v1/reports/{report.pk}/candidates/", {"limit": limit})

    assert answer.status_code == 200
    assert len(every) > 2
    assert answer.json() == (every[:count] if count else every)


def test_a_candidate_becomes_a_claim_with_one_call(api, journalist):
    report = services.submit_report(user=journalist, body=PASTED, language="en", headline="Talks")
    best = api(journalist).get(f"/api/v1/reports/{report.pk}/candidates/?limit=1").json()[0]

    answer = api(journalist).post("/api/v1/claims/", {"sentence": best["id"]}, format="json")

    assert answer.status_code == 201, answer.content
    claim = answer.json()
    assert claim["text"] == best["text"] and claim["quote"] == best["text"]
    assert claim["report"] == report.pk and claim["language"] == "en"
    assert claim["checkworthiness"] == pytest.approx(best["score"])
    stored = report.claims.get()
    assert report.body[stored.quote_start : stored.quote_end] == stored.quote


def test_the_same_sentence_again_answers_the_existing_claim_unchanged_with_200(api, journalist):
    report = services.submit_report(user=journalist, body=PASTED, language="en", headline="Talks")
    best = api(journalist).get(f"/api/v1/reports/{report.pk}/candidates/?limit=1").json()[0]
    first = api(journalist).post("/api/v1/claims/", {"sentence": best["id"]}, format="json")

    again = api(journalist).post("/api/v1/claims/", {"sentence": best["id"], "claimant": "Jane Roe"}, format="json")

    assert (first.status_code, again.status_code) == (201, 200), again.content
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["claimant"] is None  # the existing claim is answered as it is: the new claimant is not set
    assert report.claims.get().claimant is None


def test_a_sentence_of_a_report_the_journalist_may_not_cite_is_refused(api, journalist, other_journalist):
    private = services.submit_report(user=journalist, body=PASTED, language="en", headline="Mine")
    sentence = ReportSentence.objects.filter(report=private).first()

    answer = api(other_journalist).post("/api/v1/claims/", {"sentence": sentence.pk}, format="json")

    assert answer.status_code == 400
    assert "sentence" in answer.json()
    assert not private.claims.exists()


def test_the_migration_rewrites_keys_written_before_in_the_new_form_and_merges_nothing(journalist):
    rewrite_keys = importlib.import_module("claims.migrations.0012_report_url_key_any_script").rewrite_keys
    old_form = services.submit_report(user=journalist, url="https://пример.example/статья", body=PASTED, language="ru")
    twin = services.submit_report(user=journalist, url="https://news.example.com/%e2%82%ac", body=PASTED, language="en")
    Report.objects.filter(pk=old_form.pk).update(url_key="пример.example/статья")  # as the old url_key wrote it
    Report.objects.filter(pk=twin.pk).update(url_key="news.example.com/%e2%82%ac")
    clash = services.submit_report(user=journalist, url="https://news.example.com/€", body=PASTED, language="en")

    rewrite_keys(django_apps, None)

    keys = dict(Report.objects.values_list("pk", "url_key"))
    assert keys[old_form.pk] == "xn--e1afmkfd.example/%D1%81%D1%82%D0%B0%D1%82%D1%8C%D1%8F"
    assert keys[clash.pk] == "news.example.com/%E2%82%AC"
    assert keys[twin.pk] == "news.example.com/%e2%82%ac"  # its new form is taken: left as it was, not merged
