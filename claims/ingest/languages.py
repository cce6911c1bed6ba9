"""The language of one sentence of a report, where it is not the report's own.

A report is written in one language, and most of its sentences are in it. But an Arabic report may quote an English
post word for word, and a Russian one a Ukrainian official: matched as the report's language, such a sentence finds
none of the verdicts in its own, and a claim made from it is routed to reviewers who do not read it.

Guessing every sentence's language would be wrong more often than the report: a short Hindi sentence reads as
Marathi to a language identifier, an English one as Latin or Dutch. So a sentence keeps the report's language unless
it is written in another script, which a count of its letters tells for certain. Only then is its language guessed
(py3langid, shipped with its model), and only among the languages written in that script. The guess leans towards the
languages the desk holds verdicts and claims in: a short English sentence the identifier calls Spanish is English to
a desk with no Spanish verdicts to match it against.
"""

import re
import unicodedata
from collections import Counter
from functools import cache

from django.conf.locale import LANG_INFO

from claims import matching
from core.languages import LANGUAGE_CODES, language_code

_EDGE_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")
# Fewer letters than this say too little to override the report: a name, an acronym, a hashtag. Chinese and Japanese
# say as much in a third of the characters.
MIN_LETTERS = 12
MIN_LETTERS_BY_SCRIPT = {"CJK": 5}
# Japanese writes with kana and Han characters alike, Korean at times with Han: each language's script is a family.
SCRIPT_FAMILIES = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HANGUL": "HANGUL", "CJK": "CJK"}


def letter_script(char: str) -> str | None:
    """The writing system of a letter ("LATIN", "CYRILLIC", "ARABIC", "DEVANAGARI", "CJK"...), None for others."""
    if not char.isalpha():
        return None
    if char.isascii():
        return "LATIN"
    first_word = unicodedata.name(char, "").split(" ")[0]
    return SCRIPT_FAMILIES.get(first_word, first_word) or None


def script_letters(text: str) -> Counter[str]:
    """How many of the text's letters are in each script."""
    if text.isascii():
        return Counter({"LATIN": letters}) if (letters := sum(char.isalpha() for char in text)) else Counter()
    return Counter(script for char in unicodedata.normalize("NFKC", text) if (script := letter_script(char)))


def dominant_script(text: str) -> tuple[str | None, int]:
    """The script most of the text's letters are in, and how many letters are in it."""
    counts = script_letters(text)
    return counts.most_common(1)[0] if counts else (None, 0)


def _enough(script: str, letters: int) -> bool:
    return letters >= MIN_LETTERS_BY_SCRIPT.get(script, MIN_LETTERS)


# Django names these few in English rather than in their own script.
SCRIPTS_NAMED_IN_ENGLISH = {"km": "KHMER", "kn": "KANNADA", "mn": "CYRILLIC", "pa": "GURMUKHI"}


@cache
def language_script(code: str) -> str | None:
    """The script a desk language is written in, read off its own name for itself ("العربيّة", "srpski")."""
    if code in SCRIPTS_NAMED_IN_ENGLISH:
        return SCRIPTS_NAMED_IN_ENGLISH[code]
    return dominant_script(LANG_INFO.get(code, {}).get("name_local", ""))[0]


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)


@cache
def _languages_written_in(script: str) -> dict[str, str]:
    """The desk's codes for the languages written in `script` that the identifier knows, each with the identifier's
    code for it. Where the desk tells scripts apart, one identifier code stands for several ("zh" for "zh-hans" and
    "zh-hant", "sr" for Cyrillic "sr" and "sr-latn")."""
    known = _identifier().nb_classes
    return {
        desk_code: desk_code.split("-")[0]
        for desk_code in sorted(LANGUAGE_CODES)
        if language_code(desk_code) == desk_code
        and desk_code.split("-")[0] in known
        and language_script(desk_code) == script
    }


def _only_script(text: str, script: str) -> str:
    """The text with its letters in other scripts blanked out, and their vowel signs and viramas with them: marks
    are not letters, but left behind they tell the identifier which script was there."""
    kept = []
    for char in text:
        in_script = letter_script(char) == script or not (char.isalpha() or unicodedata.category(char)[0] == "M")
        kept.append(char if in_script else " ")
    return "".join(kept)


def _guess(text: str, script: str, report_language: str, held: dict[str, int] | None) -> str:
    """The likeliest language written in `script` for the text's letters in that script."""
    written = _languages_written_in(script)
    if len(written) <= 1:
        return next(iter(written), report_language)
    held = matching.language_sizes() if held is None else held
    # Words in other scripts (the report's language around a quote) would only mislead the identifier.
    probabilities = dict(_identifier().rank(_only_script(text, script)))
    # The identifier's probability times a prior of the desk's own documents (add-one, so an empty desk is even).
    return max(written, key=lambda code: probabilities[written[code]] * (held.get(code, 0) + 1))


def sentence_language(text: str, report_language: str, *, held: dict[str, int] | None = None) -> str:
    """The language to match and route a report's sentence as: the report's, unless the sentence is written in
    another script, then the likeliest language written in that script. `held` counts the matcher's documents per
    language (matching.language_sizes), read once by callers that ask for many sentences."""
    script, letters = dominant_script(text)
    if script is None or not _enough(script, letters) or script == language_script(report_language):
        return report_language
    return _guess(text, script, report_language, held)


def _words_in(text: str, script: str) -> str:
    """The text's words in `script`, without the punctuation left around them where other words were cut out: the
    quote marks and full stop an Arabic sentence put around an English quote blur its match."""
    return _EDGE_PUNCTUATION.sub("", " ".join(_only_script(text, script).split()))


def sentence_readings(text: str, report_language: str, *, held: dict[str, int] | None = None) -> list[tuple]:
    """The ways to match a report's sentence, as (language, text): the whole sentence in the report's language, and
    the words in each other script with enough letters in their own language, cut down to that script: an English
    quote inside an Arabic sentence is matched without the Arabic words that introduce it. A sentence with no
    letters in the report's script is read in the other scripts alone."""
    counts, own = script_letters(text), language_script(report_language)
    readings = [
        (_guess(text, script, report_language, held), text if len(counts) == 1 else _words_in(text, script))
        for script, letters in counts.most_common()
        if script != own and _enough(script, letters)
    ]
    if counts.get(own) or not readings:
        readings.insert(0, (report_language, text))
    return readings
