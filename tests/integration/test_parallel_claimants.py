"""Claims naming claimants, posted in parallel on PostgreSQL: every request succeeds, one claimant per name.

Each request runs in its own thread with its own connection, as gunicorn workers would; a barrier releases them
together so their look-ups all miss and their inserts meet at the unique constraints.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from rest_framework.test import APIClient

from claims.models import Claim, Claimant

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CLAIMS = "/api/v1/claims/"
THREADS = 10
# Ten names that are not the same name, yet all slugify to "vladimir-putin".
COLLIDING = [
    "Vladimir Putin",
    "Владимир Путин",
    "Vladimir-Putin",
    "Vladimir Putin!",
    "(Vladimir Putin)",
    "Vladimir, Putin",
    "Vladimír Putin",
    "Vladimir Pútin",
    "Vladimir \u2013 Putin",
    "Vladimir: Putin",
]


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the race needs PostgreSQL's concurrent inserts: set DATABASE_URL")


def post_all(user, claimants: list[str]) -> list:
    barrier = threading.Barrier(len(claimants))

    def post(claimant: str):
        try:
            client = APIClient()
            client.force_authenticate(user)
            barrier.wait(timeout=10)
            body = {"text": "The talks lasted more than five hours.", "language": "en", "claimant": claimant}
            return client.post(CLAIMS, body, format="json")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(claimants)) as pool:
        return list(pool.map(post, claimants))


def test_it_creates_one_claimant_when_ten_claims_name_the_same_new_claimant_at_once(journalist):
    answers = post_all(journalist, ["Сергей Лавров"] * THREADS)

    assert [a.status_code for a in answers] == [201] * THREADS, [a.content for a in answers]
    claimant = Claimant.objects.get()
    assert (claimant.name, claimant.slug) == ("Сергей Лавров", "sergey-lavrov")
    assert Claim.objects.filter(claimant=claimant).count() == THREADS


def test_it_creates_one_claimant_when_ten_spellings_of_one_name_arrive_at_once(journalist):
    spellings = ["Сергей Лавров", "СЕРГЕЙ ЛАВРОВ", "сергей  лавров", "Сергей Лавров\u200b", " Сергей Лавров "] * 2

    answers = post_all(journalist, spellings)

    assert [a.status_code for a in answers] == [201] * THREADS, [a.content for a in answers]
    assert Claimant.objects.count() == 1
    assert Claim.objects.filter(claimant=Claimant.objects.get()).count() == THREADS


def test_it_gives_ten_names_with_one_slug_ten_claimants_with_distinct_slugs_at_once(journalist):
    answers = post_all(journalist, COLLIDING)

    assert [a.status_code for a in answers] == [201] * THREADS, [a.content for a in answers]
    assert sorted(a.json()["claimant"] for a in answers) == sorted(COLLIDING)
    slugs = list(Claimant.objects.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) == THREADS
    assert all(slug.startswith("vladimir-putin") for slug in slugs), slugs
