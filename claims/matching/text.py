"""Text for matching: tweets cleaned of their furniture, and word tokens for any script.

Scripts written without spaces (Chinese, Japanese, Thai, ...) have no word boundaries a regex can see, so their runs
become single characters plus overlapping character bigrams, which is what a bigram index of CJK text matches on.
Indic and other scripts that join letters with combining marks keep those marks inside the word: Python's ``\\w``
alone would cut "हिन्दी" at every vowel sign.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache

_URL = re.compile(r"(?:https?://|www\.)\S+|pic\.twitter\.com/\S+", re.IGNORECASE)
# The attribution an embedded tweet ends with: "— Name (@handle) January 6, 2020". The name stays: who said it is
# often part of the claim ("Ilhan Omar says ...").
_DASHES = "\u2014\u2013\\-"  # em dash, en dash, hyphen
_ATTRIBUTION = re.compile(
    rf"\s*[{_DASHES}]{{1,2}}\s*([^{_DASHES}()]{{0,80}}?)\s*\(@\w+\)\s*[A-Z][a-z]+\.? \d{{1,2}}, \d{{4}}\s*$"
)
_HASHTAG = re.compile(r"#(\w+)")
_MENTION = re.compile(r"@(\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
_SPACES = re.compile(r"\s+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _spaceless_ranges() -> str:
    # Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar, Tibetan and CJK extension blocks.
    return (
        "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f\u0e80-\u0eff"
        "\u1780-\u17ff\u1000-\u109f\u0f00-\u0fff\U00020000-\U0002fa1f"
    )


def _mark_class() -> str:
    """Every combining mark (Mn, Mc, Me) as ranges of one character class."""
    ranges: list[tuple[int, int]] = []
    for code in range(sys.maxunicode + 1):
        if unicodedata.category(chr(code)).startswith("M"):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)


_SPACELESS = _spaceless_ranges()
_MARKS = _mark_class()
# A run of spaceless-script letters, or a word: a letter or digit followed by letters, digits and combining marks.
_TOKEN = re.compile(
    rf"\d+(?:[.,]\d+)+|[{_SPACELESS}]+|[^\W_{_SPACELESS}](?:[^\W_{_SPACELESS}]|[{_MARKS}])*|[{_MARKS}]+"
)
_SPACELESS_RUN = re.compile(rf"^[{_SPACELESS}]+$")


def clean(text: str) -> str:
    """The words of a post without links, picture links, the trailing attribution or hashtag and mention signs."""
    text = unicodedata.normalize("NFKC", text)
    text = _URL.sub(" ", text)
    attribution = _ATTRIBUTION.search(text)
    if attribution:
        text = text[: attribution.start()] + " " + attribution.group(1)
    text = _HASHTAG.sub(lambda m: " " + _CAMEL.sub(" ", m.group(1)) + " ", text)
    text = _MENTION.sub(lambda m: " " + _CAMEL.sub(" ", m.group(1)) + " ", text)
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    # A light English plural/possessive fold; words of other languages are rarely touched by it (they must end in
    # a Latin "s"), and both sides of a match go through the same function.
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Casefolded word tokens; spaceless-script runs become characters and character bigrams."""
    out: list[str] = []
    for token in _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold()):
        if _SPACELESS_RUN.match(token):
            out.extend(token)
            out.extend(token[i : i + 2] for i in range(len(token) - 1))
        else:
            out.append(_stem(token.replace(",", "")))
    return out


def numbers(text: str) -> set[str]:
    """The numbers a text states, without thousands separators ("1,000" and "1000" are one number)."""
    return {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text)}


def split_words(text: str) -> str:
    """The text with camel-cased and number-glued words split, as a tokenizer for an encoder expects."""
    return _CAMEL.sub(" ", text)
