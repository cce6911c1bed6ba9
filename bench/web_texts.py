"""Words and names for the web benchmark's data, in five scripts: Latin, Cyrillic, Arabic, Chinese and Devanagari.

Texts are drawn from small vocabularies so that a search word (SEARCH_WORDS) matches a fair share of the claims in
its language, as a common word does on a real site.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


@dataclass(frozen=True)
class Language:
    code: str
    joiner: str  # Chinese is written without spaces between words
    words: tuple[str, ...]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]


LANGUAGES: tuple[Language, ...] = (
    Language(
        "en",
        " ",
        _words(
            "budget minister hospital vaccine border election taxes million percent school police report doubled "
            "unemployment river bridge farmers prices energy climate said never promised record lowest highest "
            "crime rate city council water"
        ),
        ("Maria", "James", "Aisha", "Lukas", "Sofia", "Daniel", "Elena", "Omar", "Grace", "Peter", "Nina", "Tom"),
        ("Rossi", "Smith", "Novak", "García", "Okafor", "Müller", "Dubois", "Larsen", "Kowalski", "Silva"),
    ),
    Language(
        "ru",
        " ",
        _words(
            "бюджет министр больница вакцина граница выборы налоги миллион процентов школа полиция отчёт вдвое "
            "безработица река мост фермеры цены энергия климат заявил никогда обещал рекорд ниже выше"
        ),
        ("Анна", "Иван", "Ольга", "Сергей", "Мария", "Дмитрий", "Елена", "Павел", "Наталья", "Алексей"),
        ("Иванова", "Петров", "Смирнова", "Кузнецов", "Попова", "Соколов", "Лебедева", "Козлов"),
    ),
    Language(
        "ar",
        " ",
        _words(
            "الميزانية الوزير المستشفى اللقاح الحدود الانتخابات الضرائب مليون بالمئة المدرسة الشرطة التقرير "
            "تضاعف البطالة النهر الجسر المزارعون الأسعار الطاقة المناخ قال أبدا وعد رقم قياسي"
        ),
        ("محمد", "فاطمة", "أحمد", "ليلى", "يوسف", "مريم", "خالد", "نور", "عمر", "سارة"),
        ("العلي", "حسن", "الخطيب", "منصور", "سليمان", "الحسيني", "عبد الله", "النجار"),
    ),
    Language(
        "zh-hans",
        "",
        _words("预算 部长 医院 疫苗 边境 选举 税收 百万 百分之 学校 警察 报告 翻倍 失业 河流 大桥 农民")
        + _words("价格 能源 气候 表示 从未 承诺 纪录"),
        ("伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军"),
        ("王", "李", "张", "刘", "陈", "杨", "黄", "赵"),
    ),
    Language(
        "hi",
        " ",
        _words(
            "बजट मंत्री अस्पताल टीका सीमा चुनाव कर लाख प्रतिशत स्कूल पुलिस रिपोर्ट दोगुना बेरोज़गारी नदी पुल किसान "
            "कीमतें ऊर्जा जलवायु कहा कभी वादा रिकॉर्ड"
        ),
        ("राहुल", "प्रिया", "अमित", "सुनीता", "विजय", "अनीता", "संजय", "पूजा", "अर्जुन", "कविता"),
        ("शर्मा", "वर्मा", "गुप्ता", "सिंह", "पटेल", "कुमार", "यादव", "मिश्रा"),
    ),
)
# Half of the claims are in English, the rest spread over the other scripts.
LANGUAGE_WEIGHTS = (5, 2, 1, 1, 1)

# `/fact-checks/?q=` words, one per script; each is in its language's vocabulary.
SEARCH_WORDS = ("budget", "бюджет", "الميزانية", "预算", "बजट")

TOPIC_NAMES = (
    "Health",
    "Economy",
    "Elections",
    "Climate",
    "Migration",
    "Crime",
    "Education",
    "Energy",
    "Transport",
    "Housing",
    "Здравоохранение",
    "Экономика",
    "Выборы",
    "Наука",
    "الصحة",
    "الاقتصاد",
    "الانتخابات",
    "المناخ",
    "健康",
    "经济",
    "选举",
    "气候",
    "स्वास्थ्य",
    "अर्थव्यवस्था",
    "चुनाव",
    "जलवायु",
)


def pick_language(rng: random.Random) -> Language:
    return rng.choices(LANGUAGES, weights=LANGUAGE_WEIGHTS)[0]


SENTENCES_PER_LANGUAGE = 400


@functools.cache
def sentences(code: str) -> tuple[str, ...]:
    """The language's base sentences, 8 to 16 of its words each, the same in every run (their embeddings are
    encoded once and cached: see web_vectors)."""
    language = next(language for language in LANGUAGES if language.code == code)
    rng = random.Random(f"sentences-{code}")
    return tuple(
        language.joiner.join(rng.choices(language.words, k=rng.randint(8, 16))) for _ in range(SENTENCES_PER_LANGUAGE)
    )


def pick_sentence(rng: random.Random) -> int:
    return rng.randrange(SENTENCES_PER_LANGUAGE)


def claim_text(rng: random.Random, language: Language, number: int, sentence: int | None = None) -> str:
    """A base sentence of the language and a number that keeps texts apart, as real claims rarely repeat word for
    word."""
    index = pick_sentence(rng) if sentence is None else sentence
    return f"{sentences(language.code)[index]} {number}"


def claimant_name(index: int) -> tuple[str, str]:
    """The index-th distinct name, cycling through the scripts; returns (name, language code)."""
    language = LANGUAGES[index % len(LANGUAGES)]
    n = index // len(LANGUAGES)
    firsts, lasts = language.first_names, language.last_names
    first, last = firsts[n % len(firsts)], lasts[(n // len(firsts)) % len(lasts)]
    cycle = n // (len(firsts) * len(lasts))
    joiner = "" if language.code == "zh-hans" else " "
    name = f"{last}{first}" if language.code == "zh-hans" else f"{first}{joiner}{last}"
    return (f"{name} {cycle + 1}" if cycle else name), language.code


def topic_name(index: int) -> str:
    base = TOPIC_NAMES[index % len(TOPIC_NAMES)]
    cycle = index // len(TOPIC_NAMES)
    return f"{base} {cycle + 1}" if cycle else base
