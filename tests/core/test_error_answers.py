"""Failures outside a view's own handling answer JSON under /api/ and a plain page elsewhere; an API address without
its trailing slash answers 308, which a client follows with the same method and body."""

import pytest
from django.test import Client
from django.urls import path

from config import urls as root_urls
from core.roles import Role
from reviews.services.members import add_member


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("api/v1/broken/", broken),
    path("broken/", broken),
    *root_urls.urlpatterns,
]
handler500 = root_urls.handler500
handler404 = root_urls.handler404


@pytest.fixture
def crashing(settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    return Client(raise_request_exception=False)


def test_an_api_crash_answers_json_and_a_page_crash_a_plain_page(crashing):
    api, page = crashing.get("/api/v1/broken/"), crashing.get("/broken/")

    assert (api.status_code, api["Content-Type"]) == (500, "application/json")
    assert api.json() == {"detail": "Something went wrong on our side. It has been logged; please try again later."}
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")
    assert "<h1>Server error</h1>" in page.content.decode() and "a bug" not in page.content.decode()


def test_an_api_body_too_large_to_read_is_json(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    answer = client.post("/api/v1/auth/token/", {"username": "x" * 200, "password": "y"})

    assert answer.status_code in (400, 413)
    assert answer["Content-Type"] == "application/json"


@pytest.mark.parametrize("method", ["post", "patch", "delete", "get"])
def test_an_api_address_without_its_slash_answers_308_to_it(client, method):
    answer = getattr(client, method)("/api/v1/claims?status=queued")

    assert answer.status_code == 308
    assert answer["Location"] == "/api/v1/claims/?status=queued"
    assert answer.json()["detail"].startswith("API addresses end with a slash")


def test_a_post_that_follows_the_308_is_still_a_post(api, db):
    journalist = add_member(username="ана", role=Role.JOURNALIST)
    client = api(journalist)
    body = {"text": "Переговоры длились более пяти часов", "language": "ru"}

    first = client.post("/api/v1/claims", body, format="json")
    again = client.post(first["Location"], body, format="json")

    assert first.status_code == 308 and again.status_code == 201, again.content
    assert again.json()["text"] == body["text"]


def test_the_slash_is_added_to_an_address_in_another_script(client):
    answer = client.get("/api/v1/topics/экономика")

    assert answer.status_code == 308
    assert answer["Location"] == "/api/v1/topics/%D1%8D%D0%BA%D0%BE%D0%BD%D0%BE%D0%BC%D0%B8%D0%BA%D0%B0/"


def test_a_page_form_posted_without_its_csrf_token_says_what_to_do(db):
    strict = Client(enforce_csrf_checks=True)
    answer = strict.post("/workspace/sign-in/", {"username": "x", "password": "y"})

    assert answer.status_code == 403
    assert "reload the page" in answer.content.decode()
