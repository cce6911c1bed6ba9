"""A report quotes in another language: an Arabic article that repeats an English post word for word. The quote is
matched, recorded and made a claim in its own language; the rest of the report stays in the report's."""

import pytest
from django.db import connection

from claims import citing, services
from claims.ingest.languages import dominant_script, language_script, sentence_language, sentence_readings
from claims.ingest.models import ClaimAppearance
from claims.ingest.tracking import track_report

CHECKED = "The talks lasted more than five hours"  # the verdict of the `published` fixture (conftest)
QUOTED = "Once more, the talks lasted more than five hours"
ARABIC_REPORT = f"قال الوزير إن المحادثات كانت صعبة للغاية. وكتب المتحدث باسمه: {QUOTED}. ولم يعلق أحد على ذلك."


def _arabic_report(journalist):
    return services.submit_report(user=journalist, headline="المحادثات", language="ar", body=ARABIC_REPORT)


def _english_sentence(report):
    return next(sentence for sentence in report.sentences.all() if QUOTED in sentence.text)


def test_an_english_quote_in_an_arabic_report_is_recorded_as_a_repetition(journalist, published):
    report = _arabic_report(journalist)

    assert track_report(report_id=report.pk) == 1

    appearance = ClaimAppearance.objects.get()
    assert appearance.claim_id == published.pk and appearance.report_id == report.pk
    assert QUOTED in appearance.quote
    assert _english_sentence(report).match.ref_id == published.pk


def test_a_quote_inside_a_longer_sentence_of_the_reports_language_is_matched_on_its_own_words(journalist, published):
    # More Arabic letters than English ones: the sentence is Arabic, and the English quote inside it is read too.
    sentence = 'وكتب وزير الخارجية في منشور على فيسبوك مساء الجمعة: "The talks lasted more than five hours."'
    report = services.submit_report(user=journalist, headline="المحادثات", language="ar", body=sentence)

    assert track_report(report_id=report.pk) == 1
    assert ClaimAppearance.objects.get().claim_id == published.pk
    assert report.sentences.get().match.ref_id == published.pk


def test_the_punctuation_around_a_cut_out_quote_does_not_blur_its_match(journalist, published):
    sentence = 'وقال وزير الخارجية في مؤتمر صحفي إن "The talks lasted more than five hours" بحسب تعبيره.'
    report = services.submit_report(user=journalist, headline="المحادثات", language="ar", body=sentence)

    assert sentence_readings(sentence, "ar", held={})[1] == ("en", "The talks lasted more than five hours")
    assert track_report(report_id=report.pk) == 1


def test_a_claim_made_from_that_quote_is_english_and_already_fact_checked(api, journalist, published):
    report = _arabic_report(journalist)
    sentence = _english_sentence(report)

    answer = api(journalist).post("/api/v1/claims/", {"sentence": sentence.pk}, format="json")

    assert answer.status_code == 201, answer.content
    assert answer.json()["language"] == "en"
    assert answer.json()["already_fact_checked"]["id"] == published.pk


def test_the_reports_own_sentences_keep_its_language(api, journalist, published):
    report = _arabic_report(journalist)
    arabic = report.sentences.get(position=0)

    answer = api(journalist).post("/api/v1/claims/", {"sentence": arabic.pk}, format="json")

    assert answer.json()["language"] == "ar"


def test_a_language_the_journalist_names_wins_over_the_guess(api, journalist, published):
    sentence = _english_sentence(_arabic_report(journalist))

    answer = api(journalist).post("/api/v1/claims/", {"sentence": sentence.pk, "language": "ar"}, format="json")

    assert answer.json()["language"] == "ar"


@pytest.mark.parametrize(
    ("text", "report_language", "expected"),
    [
        ("The talks lasted more than five hours, the minister said.", "ar", "en"),
        ("استمرت المحادثات أكثر من خمس ساعات", "en", "ar"),
        ("Переговоры длились более пяти часов, сказал министр.", "en", "ru"),
        ("会谈持续了五个多小时", "en", "zh-hans"),
        ("交渉は5時間以上続いた", "en", "ja"),
        ("회담은 다섯 시간 이상 계속되었다", "en", "ko"),
        ("Die Gespräche dauerten mehr als fünf Stunden.", "en", "en"),  # the same script: the report's language
        ("CNN said so", "ar", "ar"),  # too few letters to overrule the report
        ("قال Donald Trump إن المحادثات استمرت طويلا", "en", "ar"),  # a Latin name inside an Arabic sentence
        ("", "en", "en"),
        # Vowel signs and viramas are marks, not letters: they must not vote for the quote's language.
        ("मंत्री ने लिखा: The talks lasted more than five hours.", "hi", "en"),
        ("মন্ত্রী লিখেছেন: The talks lasted more than five hours.", "bn", "en"),
        ("அமைச்சர் எழுதினார்: The talks lasted more than five hours.", "ta", "en"),
        ("كَتَبَ الوَزِيرُ: The talks lasted more than five hours.", "ar", "en"),
        # Django names Kannada, Khmer, Mongolian and Punjabi in English: their script is still not Latin.
        ("ಸಚಿವರು ಬರೆದರು: The talks lasted more than five hours.", "kn", "en"),
        ("The talks lasted more than five hours.", "pa", "en"),
    ],
)
def test_a_sentence_keeps_its_reports_language_unless_written_in_another_script(text, report_language, expected):
    assert sentence_language(text, report_language, held={}) == expected


def test_the_guess_leans_towards_the_languages_the_desk_holds():
    # Short and English, but the identifier alone calls it Spanish.
    text = "Vaccines cause infertility, claims a viral post."

    assert sentence_language(text, "ar", held={"en": 120, "es": 0}) == "en"
    assert sentence_language("會談持續了五個多小時", "en", held={"zh-hant": 40}) == "zh-hant"


def test_scripts_are_read_off_letters_and_each_languages_own_name():
    assert dominant_script("हिन्दी में एक वाक्य") == ("DEVANAGARI", 9)
    assert dominant_script("12, 13!") == (None, 0)
    codes = ("en", "ar", "ru", "hi", "ja", "zh-hant", "sr", "sr-latn", "kn", "mn")
    assert [language_script(code) for code in codes] == [
        "LATIN",
        "ARABIC",
        "CYRILLIC",
        "DEVANAGARI",
        "CJK",
        "CJK",
        "CYRILLIC",
        "LATIN",
        "KANNADA",
        "CYRILLIC",
    ]


def test_a_sentence_is_read_in_the_reports_language_and_in_each_quoted_script():
    sentence = 'وكتب الوزير في منشور طويل على فيسبوك: "The talks lasted more than five hours."'

    assert sentence_readings(sentence, "ar", held={}) == [
        ("ar", sentence),
        ("en", "The talks lasted more than five hours"),
    ]
    assert sentence_readings("The talks lasted more than five hours.", "ar", held={}) == [
        ("en", "The talks lasted more than five hours.")
    ]
    assert sentence_readings("قال CNN", "ar", held={}) == [("ar", "قال CNN")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("cited", ["report", "sentence"])
def test_the_language_is_guessed_before_the_submissions_transaction_opens(monkeypatch, journalist, cited):
    # The guess may load the identifier's model (about 0.2 s): no database connection should sit idle in a
    # transaction meanwhile.
    in_transaction = []

    def guess(text, report_language, **kwargs):
        in_transaction.append(connection.in_atomic_block)
        return sentence_language(text, report_language, **kwargs)

    monkeypatch.setattr(citing, "sentence_language", guess)
    report = _arabic_report(journalist)
    cite = {"sentence": _english_sentence(report).pk} if cited == "sentence" else {"report": report.pk, "text": QUOTED}

    claim = services.submit_claim(user=journalist, **cite)

    assert claim.language == "en"
    assert in_transaction == [False]
