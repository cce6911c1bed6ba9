# The texts are Russian, Arabic, Chinese and Hindi on purpose: their letters are not look-alikes of Latin ones.
# ruff: noqa: RUF001
"""A report's body cut into sentences: the spans a desk highlights and turns into claims, so every offset must point
at exactly its text, in any script, and a sentence must never be cut at an abbreviation or glued to a heading."""

import itertools
import time

import pytest

from claims.ingest.sentences import split_sentences

ENGLISH = """Governor claims state cut unemployment in half
Gov. Ellen Marsh told supporters at a rally at 7 p.m. on Wednesday that the state had "cut unemployment in half." \
The remark drew a quick response from her opponents in the U.S. Senate race.
"When I walked into this job, one in ten people here was looking for work," Marsh said. "Today it is one in twenty."
What the numbers show
Dr. Priya Natarajan said the rate was 8.9 percent in Jan. 2021. Is that the whole story? No!"""

RUSSIAN = """Мэр заявил о снижении цен на проезд
Мэр г. Северска Игорь Смирнов заявил, что проезд подешевел на 20%. «Мы сделали транспорт доступнее», — сказал он.
Что показывают данные
По данным проф. Ковалёва, билет подорожал с 45 до 52 рублей. Это подтверждают данные за 2023 г. и текущий год."""

ARABIC = """وزير الصحة: انخفاض الإصابات بنسبة النصف
قال وزير الصحة إن الإصابات انخفضت بنسبة النصف، مؤكدا نجاح الحملة. وأضاف الوزير: "لقد وصلنا إلى مليون مواطن".
ماذا تقول الأرقام؟
تظهر البيانات انخفاضا بنسبة ثلاثين في المئة فقط."""

CHINESE = """市长称公交票价下降
周二，市长表示票价下降了百分之二十。他说：“我们让交通更便宜了。”数据是否支持这一说法？并不完全！
数据怎么说
单程票价从四元涨到了五元。"""

HINDI = """मंत्री ने कहा बेरोजगारी आधी हुई
मंत्री ने मंगलवार को कहा कि बेरोजगारी आधी हो गई है। डॉ. शर्मा ने कहा कि आंकड़े कुछ और दिखाते हैं। क्या यह सच है?
आंकड़े क्या कहते हैं
दर 8.9 प्रतिशत से घटकर 4.6 प्रतिशत हुई।"""

# Emoji made of several code points (ZWJ sequences, flags, skin tones), a decomposed accent, astral letters.
EMOJI = (
    "The family 👩\u200d👩\u200d👧 cheered 🎉 at the café. Ame\u0301lie waved 🇺🇦 and 👍🏽! "
    "𝐁𝐨𝐥𝐝 math letters came next. Done."
)
MESSY = "  \r\n\tLead paragraph here.   Second sentence.\r\n\r\n\r\n\u200b Zero-width start.\u00a0\n\n   Heading\n"

BODIES = {
    "English": (ENGLISH, "en"),
    "Russian": (RUSSIAN, "ru"),
    "Arabic": (ARABIC, "ar"),
    "Chinese": (CHINESE, "zh-hans"),
    "Hindi": (HINDI, "hi"),
    "emoji and combining characters": (EMOJI, "en"),
    "messy whitespace": (MESSY, "en"),
}


def texts(body: str, language: str = "en") -> list[str]:
    return [span.text for span in split_sentences(body, language=language)]


@pytest.mark.parametrize(("body", "language"), BODIES.values(), ids=BODIES.keys())
def test_every_span_points_at_exactly_its_text(body, language):
    spans = split_sentences(body, language=language)

    assert spans
    for span in spans:
        assert body[span.start : span.end] == span.text
        assert span.text == span.text.strip() and span.text


@pytest.mark.parametrize(("body", "language"), BODIES.values(), ids=BODIES.keys())
def test_spans_are_in_order_and_lose_no_text(body, language):
    spans = split_sentences(body, language=language)

    assert all(left.end <= right.start for left, right in itertools.pairwise(spans))
    leftover = list(body)
    for span in spans:
        leftover[span.start : span.end] = [" "] * (span.end - span.start)
    assert "".join(leftover).replace("\u200b", "").strip() == ""


def test_it_splits_english_news_without_cutting_abbreviations_or_quotes():
    assert texts(ENGLISH) == [
        "Governor claims state cut unemployment in half",
        'Gov. Ellen Marsh told supporters at a rally at 7 p.m. on Wednesday that the state had "cut unemployment in '
        'half."',
        "The remark drew a quick response from her opponents in the U.S. Senate race.",
        '"When I walked into this job, one in ten people here was looking for work," Marsh said.',
        '"Today it is one in twenty."',
        "What the numbers show",
        "Dr. Priya Natarajan said the rate was 8.9 percent in Jan. 2021.",
        "Is that the whole story?",
        "No!",
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Officials in the U.S. and the U.K. disagreed on the figures.",
        "Dr. Jane Roe and Mr. John Smith met at 3 p.m. on Friday.",
        "The vote, held at 10 a.m. local time, passed 52-48.",
        "Apple Inc. and Acme Corp. reported results in Washington, D.C. yesterday.",
        'She asked "Why now?" and left the room.',
    ],
)
def test_it_keeps_a_sentence_with_abbreviations_whole(sentence):
    assert texts(f"{sentence} The next sentence follows.") == [sentence, "The next sentence follows."]


@pytest.mark.parametrize("language", ["en", "ru", "ar", "zh-hans", "hi"])
def test_a_heading_without_a_full_stop_is_its_own_sentence(language):
    body = {"en": ENGLISH, "ru": RUSSIAN, "ar": ARABIC, "zh-hans": CHINESE, "hi": HINDI}[language]
    headings = [line for line in body.splitlines() if line[-1] not in '.。!！?？।"”']

    found = texts(body, language)

    assert headings
    for heading in headings:
        assert heading in found


def test_it_splits_russian_at_sentence_ends_but_not_at_abbreviations():
    assert texts(RUSSIAN, "ru")[1:3] == [
        "Мэр г. Северска Игорь Смирнов заявил, что проезд подешевел на 20%.",
        "«Мы сделали транспорт доступнее», — сказал он.",
    ]
    assert texts(RUSSIAN, "ru")[-2:] == [
        "По данным проф. Ковалёва, билет подорожал с 45 до 52 рублей.",
        "Это подтверждают данные за 2023 г. и текущий год.",
    ]


def test_it_never_cuts_arabic_at_a_comma_or_a_colon():
    assert texts(ARABIC, "ar") == [
        "وزير الصحة: انخفاض الإصابات بنسبة النصف",
        "قال وزير الصحة إن الإصابات انخفضت بنسبة النصف، مؤكدا نجاح الحملة.",
        'وأضاف الوزير: "لقد وصلنا إلى مليون مواطن".',
        "ماذا تقول الأرقام؟",
        "تظهر البيانات انخفاضا بنسبة ثلاثين في المئة فقط.",
    ]


def test_it_splits_chinese_at_full_width_marks_keeping_the_closing_quote():
    assert texts(CHINESE, "zh-hans") == [
        "市长称公交票价下降",
        "周二，市长表示票价下降了百分之二十。",
        "他说：“我们让交通更便宜了。”",
        "数据是否支持这一说法？",
        "并不完全！",
        "数据怎么说",
        "单程票价从四元涨到了五元。",
    ]


def test_it_splits_hindi_at_the_danda_but_not_after_an_abbreviation():
    assert texts(HINDI, "hi")[1:4] == [
        "मंत्री ने मंगलवार को कहा कि बेरोजगारी आधी हो गई है।",
        "डॉ. शर्मा ने कहा कि आंकड़े कुछ और दिखाते हैं।",
        "क्या यह सच है?",
    ]


def test_offsets_count_characters_not_bytes_or_grapheme_clusters():
    spans = split_sentences(EMOJI)

    assert [span.start for span in spans] == [
        0,
        EMOJI.index("Ame\u0301lie"),
        EMOJI.index("𝐁𝐨𝐥𝐝"),
        EMOJI.index("Done."),
    ]


def test_it_trims_whitespace_and_drops_empty_spans():
    assert texts(MESSY) == ["Lead paragraph here.", "Second sentence.", "Zero-width start.", "Heading"]
    assert split_sentences("") == []
    assert split_sentences(" \n\t\r\n\u200b\u00a0 \n") == []


def test_a_line_of_marks_with_nothing_under_them_is_no_sentence():
    body = "The summit cost 40 million euros.\n\u0301\u0301\u0301\n\ufe0f\ufe0f \u0301\nIt ended on Friday."

    assert texts(body) == ["The summit cost 40 million euros.", "It ended on Friday."]


@pytest.mark.parametrize("language", ["", "xx", "en-GB", "zh-hant", "sr-latn"])
def test_it_splits_in_any_language_code_the_desk_may_store(language):
    assert texts("First sentence here. Second one here.", language) == ["First sentence here.", "Second one here."]


def test_a_five_thousand_word_report_splits_well_under_a_second():
    body = "\n".join([ENGLISH] * 60)  # 87 words each
    assert len(body.split()) >= 5000

    started = time.perf_counter()
    spans = split_sentences(body)
    elapsed = time.perf_counter() - started

    assert len(spans) == 60 * 9
    assert elapsed < 0.25, f"{elapsed:.3f} s"
