"""Search and the claimant field of the public list, in every script: words inside Chinese sentences, Hindi,
Arabic and Cyrillic text, prefixes, and a claimant typed in part instead of chosen from thousands."""

import importlib
import re

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection

from core.roles import Role
from factcheck.models import FactCheck
from factcheck.record.selectors import public_filter_choices
from reviews.services.members import add_member


@pytest.fixture(autouse=True)
def multilingual_reviewer(reviewer):
    """The desk needs a reviewer who reads each claim's language before it can publish the verdict."""
    return add_member(username=reviewer.username, role=Role.REVIEWER, languages=["en", "zh-hans", "hi", "ar", "ru"])


def listed(client, url: str) -> list[str]:
    answer = client.get(url)
    assert answer.status_code == 200, url
    return re.findall(
        r'<h[23]><a href="/fact-checks/[^"]+/" lang="[^"]+" dir="auto">([^<]+)</a></h[23]>', answer.content.decode()
    )


@pytest.fixture
def world(make_claim, publish):
    """Verdicts in five scripts, with claimants named in theirs."""
    claims = [
        ("据报道中国经济增长很快", "习近平", "zh-hans", "数据显示增长放缓。"),
        ("सरकार ने कहा कि महंगाई घटी है", "नरेंद्र मोदी", "hi", "महंगाई बढ़ी है।"),
        ("قالت الوزارة إن التضخم انخفض", "وزير المالية", "ar", "التضخم ارتفع."),
        ("Путин сказал, что экономика выросла", "Владимир Путин", "ru", "Экономика сократилась."),
        ("Inflation fell to 12% in March", "Ann Alpha", "en", "It rose to 14%."),
    ]
    for text, claimant, language, summary in claims:
        publish(make_claim(text, claimant=claimant, language=language, quote=""), summary=summary)
    return claims


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("经济增长", "据报道中国经济增长很快"),  # a word inside a sentence without spaces
        ("经济", "据报道中国经济增长很快"),
        ("增长很快", "据报道中国经济增长很快"),
        ("中", "据报道中国经济增长很快"),  # one character
        ("放缓", "据报道中国经济增长很快"),  # in the summary
        ("महंगाई", "सरकार ने कहा कि महंगाई घटी है"),
        ("मोदी", "सरकार ने कहा कि महंगाई घटी है"),  # the claimant
        ("التضخم", "قالت الوزارة إن التضخم انخفض"),
        ("المالية", "قالت الوزارة إن التضخم انخفض"),
        ("экономика", "Путин сказал, что экономика выросла"),
        ("Путин экономика", "Путин сказал, что экономика выросла"),
        ("infla", "Inflation fell to 12% in March"),  # the start of a word
        ("ы", "Путин сказал, что экономика выросла"),  # one letter, anywhere in a word
        ("12% march", "Inflation fell to 12% in March"),
        ("经济 growth", None),  # every word must match
        ("美国", None),
        ("наука", None),
    ],
)
def test_it_finds_words_in_every_script(client, world, query, found):
    assert listed(client, f"/fact-checks/?q={query}") == ([found] if found else [])


def test_it_ignores_case_in_cyrillic_words(client, world):
    assert listed(client, "/fact-checks/?q=ПУТИН") == ["Путин сказал, что экономика выросла"]
    assert listed(client, "/fact-checks/?claimant=путин") == ["Путин сказал, что экономика выросла"]


@pytest.mark.parametrize("query", ["it's", "a\\b", "'", "&|!", "(x", ":*", "<->", "%"])
def test_it_answers_any_search_text_without_an_error(client, world, query):
    assert client.get("/fact-checks/", {"q": query}).status_code == 200
    assert client.get("/api/v1/fact-checks/", {"query": query}).status_code == 200


def test_the_aggregators_search_finds_a_chinese_word_inside_a_sentence(client, world):
    found = client.get("/api/v1/fact-checks/", {"query": "经济增长"}).json()["claims"]

    assert [claim["text"] for claim in found] == ["据报道中国经济增长很快"]


# The claimant field


def test_it_offers_a_text_field_for_the_claimant_with_frequent_names_to_pick(client, world):
    html = client.get("/fact-checks/").content.decode()

    field = re.search(r"<input[^>]*name=\"claimant\"[^>]*>", html).group(0)
    assert 'type="text"' in field and 'list="claimant-names"' in field
    assert '<select name="claimant"' not in html
    assert '<form class="filters" method="get" action="/fact-checks/"' in html  # no script needed
    for name in ["习近平", "नरेंद्र मोदी", "وزير المالية", "Владимир Путин", "Ann Alpha"]:
        assert f'<option value="{name}"></option>' in html


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("习近", "据报道中国经济增长很快"),
        ("मोदी", "सरकार ने कहा कि महंगाई घटी है"),
        ("المالية", "قالت الوزارة إن التضخم انخفض"),
        ("Путин", "Путин сказал, что экономика выросла"),
        ("Alpha", "Inflation fell to 12% in March"),
        ("ann-alpha", "Inflation fell to 12% in March"),  # a claimant's slug, as links made before the field had
        ("Nobody", None),
    ],
)
def test_it_filters_by_part_of_a_claimants_name_or_their_slug(client, world, typed, found):
    html = client.get("/fact-checks/", {"claimant": typed}).content.decode()

    assert listed(client, f"/fact-checks/?claimant={typed}") == ([found] if found else [])
    assert f'value="{typed}"' in html


def test_it_suggests_the_most_checked_claimants_first_up_to_a_cap(make_claim, publish):
    for n, name in enumerate(
        ["Rare One", "Often Twice", "Often Twice", "Лидер Трижды", "Лидер Трижды", "Лидер Трижды"]
    ):
        publish(make_claim(f"Claim {n}", claimant=name, quote=""))

    assert public_filter_choices(frequent_claimants=2).claimants == sorted(["Лидер Трижды", "Often Twice"])
    assert "Rare One" in public_filter_choices().claimants


def test_the_migration_fills_the_search_document_of_fact_checks_published_before_it(client, world):
    migration = importlib.import_module("factcheck.migrations.0009_public_search")
    FactCheck.objects.update(search_document="")
    if connection.vendor == "postgresql":  # PostgreSQL finds by the document alone; SQLite reads the rows
        assert listed(client, "/fact-checks/?q=经济增长") == []
        cache.clear()

    migration.fill_search_documents(apps, schema_editor=None)

    cache.clear()
    assert listed(client, "/fact-checks/?q=经济增长") == ["据报道中国经济增长很快"]
    assert "经济 济增 增长" in FactCheck.objects.get(claim__language="zh-hans").search_document
