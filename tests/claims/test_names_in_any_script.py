"""Claimants, topics and fact-checks named in any script get unique, readable slugs; submission never answers 500."""

import pytest

from claims.models import Claim, Claimant
from core.roles import Role
from reviews.services.members import add_member

CLAIMS = "/api/v1/claims/"
CLAIMANTS = "/api/v1/claimants/"
TOPICS = "/api/v1/topics/"

# "Vladimir" in full-width letters, as East Asian keyboards type it.
FULL_WIDTH = "\uff36\uff4c\uff41\uff44\uff49\uff4d\uff49\uff52"
NAMES_AND_SLUGS = [
    ("Володимир Зеленський", "volodimir-zelenskiy"),  # Cyrillic (Ukrainian)
    ("Владимир Путин", "vladimir-putin"),  # Cyrillic (Russian), the second Cyrillic name was a 500
    ("习近平", "xijinping"),  # Chinese
    ("محمد بن سلمان", "mhmd-bn-slmn"),  # Arabic
    ("नरेंद्र मोदी", "nremdr-modi"),  # Devanagari (Hindi)
    ("Κυριάκος Μητσοτάκης", "kyriakos-mitsotakis"),  # Greek
    ("José Núñez", "jose-nunez"),  # Latin with diacritics
]


def post_claim(client, claimant: str, text: str = "The talks lasted more than five hours."):
    return client.post(CLAIMS, {"text": text, "language": "en", "claimant": claimant}, format="json")


def slug_of(name: str) -> str:
    return Claimant.objects.get(name=name).slug


def test_it_gives_claimants_in_five_scripts_their_own_readable_slugs(api, journalist):
    client = api(journalist)

    codes = [post_claim(client, name).status_code for name, _ in NAMES_AND_SLUGS]

    assert codes == [201] * len(NAMES_AND_SLUGS)
    listed = {row["name"]: row["slug"] for row in client.get(CLAIMANTS, {"page_size": 100}).json()["results"]}
    assert listed == dict(NAMES_AND_SLUGS)


def test_it_gives_names_with_the_same_slug_distinct_slugs(api, journalist):
    client = api(journalist)

    codes = [post_claim(client, name).status_code for name in ("Jane Roe", "Jane-Roe", "Jane Roe!", "Jané Roe")]

    assert codes == [201, 201, 201, 201]
    slugs = [slug_of(name) for name in ("Jane Roe", "Jane-Roe", "Jane Roe!", "Jané Roe")]
    assert slugs == ["jane-roe", "jane-roe-2", "jane-roe-3", "jane-roe-4"]


def test_it_gives_a_latin_and_a_cyrillic_spelling_of_one_name_distinct_slugs(api, journalist):
    client = api(journalist)

    assert post_claim(client, "Vladimir Putin").status_code == 201
    assert post_claim(client, "Владимир Путин").status_code == 201

    assert [slug_of("Vladimir Putin"), slug_of("Владимир Путин")] == ["vladimir-putin", "vladimir-putin-2"]


def test_it_gives_names_with_nothing_to_transliterate_distinct_stable_slugs(api, journalist):
    client = api(journalist)

    assert post_claim(client, "★★★").status_code == 201
    assert post_claim(client, "☆☆☆").status_code == 201

    first, second = slug_of("★★★"), slug_of("☆☆☆")
    assert first.startswith("claimant-") and second.startswith("claimant-")
    assert first != second


@pytest.mark.parametrize(
    "spelling",
    ["Владимир Путин", "ВЛАДИМИР ПУТИН", "  владимир   путин ", "Владимир Путин\u200b", FULL_WIDTH],
    ids=["same", "upper case", "spacing", "zero-width space", "full-width"],
)
def test_it_files_claims_naming_one_claimant_under_one_claimant(api, journalist, spelling):
    client = api(journalist)
    first_name = "Vladimir" if spelling == FULL_WIDTH else "Владимир Путин"
    post_claim(client, first_name)

    answer = post_claim(client, spelling, text="The talks lasted six hours.")

    assert answer.status_code == 201, answer.content
    assert answer.json()["claimant"] == first_name
    assert Claimant.objects.count() == 1
    assert set(Claim.objects.values_list("claimant__name", flat=True)) == {first_name}


def test_it_matches_a_decomposed_accent_to_the_composed_name(api, journalist):
    client = api(journalist)
    post_claim(client, "José Núñez")

    answer = post_claim(client, "Jose\u0301 Nu\u0301n\u0303ez", text="The talks lasted six hours.")

    assert answer.json()["claimant"] == "José Núñez"
    assert Claimant.objects.count() == 1


def test_it_refuses_to_rename_a_claimant_to_another_claimants_name_in_another_case(api, journalist, editor):
    post_claim(api(journalist), "Владимир Путин")
    post_claim(api(journalist), "Vladimir Putin")
    latin = Claimant.objects.get(name="Vladimir Putin")

    answer = api(editor).patch(f"{CLAIMANTS}{latin.pk}/", {"name": "ВЛАДИМИР  ПУТИН"}, format="json")

    assert answer.status_code == 400, answer.content
    assert "Another claimant" in answer.json()["name"][0]
    latin.refresh_from_db()
    assert latin.name == "Vladimir Putin"


def test_it_keeps_the_slug_of_a_renamed_claimant_and_matches_its_new_name(api, journalist, editor):
    post_claim(api(journalist), "Владимир Путин")
    claimant = Claimant.objects.get()

    renamed = api(editor).patch(f"{CLAIMANTS}{claimant.pk}/", {"name": "Vladimir Putin"}, format="json")
    answer = post_claim(api(journalist), "VLADIMIR PUTIN", text="The talks lasted six hours.")

    assert renamed.json()["slug"] == "vladimir-putin"
    assert answer.json()["claimant"] == "Vladimir Putin"
    assert Claimant.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Здоровье", "zdorove"), ("经济", "jingji"), ("Οικονομία", "oikonomia"), ("Économie", "economie")],
)
def test_it_makes_a_topic_slug_from_a_name_in_any_script(api, editor, name, slug):
    answer = api(editor).post(TOPICS, {"name": name}, format="json")

    assert answer.status_code == 201, answer.content
    assert answer.json() == {"slug": slug, "name": name}


def test_it_gives_two_topics_of_one_slug_distinct_slugs_and_keeps_an_editors_slug(api, editor):
    client = api(editor)

    first = client.post(TOPICS, {"name": "Здоровье"}, format="json")
    second = client.post(TOPICS, {"name": "Здоровье!"}, format="json")
    chosen = client.post(TOPICS, {"name": "Здравоохранение", "slug": "health"}, format="json")
    taken = client.post(TOPICS, {"name": "Health", "slug": "health"}, format="json")
    repeated = client.post(TOPICS, {"name": "здоровье", "slug": "health-2"}, format="json")

    assert [first.json()["slug"], second.json()["slug"], chosen.json()["slug"]] == ["zdorove", "zdorove-2", "health"]
    assert taken.status_code == 400
    assert taken.json() == {"slug": ["A topic 'health' exists already."]}
    assert repeated.status_code == 400
    assert repeated.json() == {"name": ["The topic 'Здоровье' exists already, as 'zdorove'."]}


def test_it_publishes_a_cyrillic_claim_at_a_readable_address(client, make_claim, desk):
    add_member(username="rada", role=Role.REVIEWER, password="correct-horse-battery", languages=["ru"], capacity=3)
    claim = make_claim("Переговоры длились более пяти часов", language="ru", claimant="Владимир Путин", quote="")

    fact_check = desk.published(claim)

    assert fact_check.slug == f"peregovory-dlilis-bolee-pyati-chasov-{claim.pk}"
    assert client.get(f"/fact-checks/{fact_check.slug}/").status_code == 200
    assert client.get("/claimants/vladimir-putin/").status_code == 200
