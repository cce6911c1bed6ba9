"""Text people type: one normal form for storage, a test for text that shows nothing, and a matching key for names.

Text pasted from documents and chat often carries invisible characters (zero-width spaces, byte-order marks, word
joiners), and text typed to get past a check may be made of marks with nothing under them (combining accents,
variation selectors). A claim made only of those looks empty on every page, so it is refused like an empty one.
"""

import hashlib
import unicodedata

from core.errors import InvalidInput

# Characters that render as nothing (or as blank space) although Unicode files them as letters or symbols: Hangul
# fillers, the braille blank, the combining grapheme joiner. Format (Cf), control (Cc) and separator (Z*) characters
# are caught by category.
_BLANK_LOOKING = frozenset("\u034f\u115f\u1160\u2800\u3164\uffa0")
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})
# What shows on its own: letters, numbers, punctuation and symbols (and private-use characters, which fonts draw).
# Marks (accents, vowel signs, variation selectors, all M*) show only on a character before them.
_VISIBLE_CATEGORIES = frozenset({"L", "N", "P", "S"})


def is_invisible(char: str) -> bool:
    return char.isspace() or char in _BLANK_LOOKING or unicodedata.category(char) in _INVISIBLE_CATEGORIES


def is_visible(char: str) -> bool:
    """True for a character that shows on its own: a letter, number, punctuation or symbol that is not blank-looking."""
    category = unicodedata.category(char)
    return (category[0] in _VISIBLE_CATEGORIES or category == "Co") and char not in _BLANK_LOOKING


def is_blank(value: str) -> bool:
    """True when the text shows nothing: no letter, number, punctuation or symbol, only whitespace, zero-width and
    other invisible characters, or marks and variation selectors with nothing under them ("\\u0301", "\\ufe0f")."""
    return not any(is_visible(char) for char in value)


def normalise_newlines(value: str) -> str:
    """Line breaks as "\\n": browsers send a textarea's lines with "\\r\\n", so the same text typed again would
    otherwise differ from what is stored."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def whole_number(value: str, *, digits: int = 18) -> int | None:
    """The number an ASCII string of digits writes, else None. str.isdigit() is also true of "²" and "٣", which
    int() refuses or reads as another number; a cap on the digits keeps int() from very long strings."""
    if value and value.isascii() and value.isdigit() and len(value) <= digits:
        return int(value)
    return None


def normalise_text(value: str) -> str:
    """NFC, and no invisible characters at either end; inside the text they stay (ZWJ and ZWNJ shape many scripts).
    Text that shows nothing (is_blank) is "": optional fields store it as empty, required ones refuse it."""
    value = unicodedata.normalize("NFC", value)
    if is_blank(value):
        return ""
    start, end = 0, len(value)
    while start < end and is_invisible(value[start]):
        start += 1
    while end > start and is_invisible(value[end - 1]):
        end -= 1
    return value[start:end]


def optional_text(value: str) -> str:
    """A note or reason a person may leave out, as stored: line breaks as "\\n", normalised (normalise_text), so text
    that shows nothing is stored as "" (no note), never as invisible characters."""
    return normalise_text(normalise_newlines(value))


def required_text(value: str, *, field: str, message: str) -> str:
    """optional_text for text that must be given: when it shows nothing, as when it is empty, InvalidInput says
    `message` under `field`."""
    value = optional_text(value)
    if not value:
        raise InvalidInput({field: [message]})
    return value


def normalise_name(value: str) -> str:
    """A name as shown: normalised text with each run of whitespace made one space."""
    return " ".join(normalise_text(value).split())


def name_key(value: str) -> str:
    """What makes two names the same name: compatibility forms folded (NFKC), case folded, whitespace collapsed and
    format characters dropped: "Jane Roe", "JANE  ROE" and "jane roe" followed by a zero-width space agree.

    Stored as a SHA-256 digest: NFKC and case folding can make a 200-character name several times longer, too long
    for a unique index; the digest keeps the key a fixed 64 characters.
    """
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).casefold())
    visible = "".join(char for char in folded if unicodedata.category(char) != "Cf")
    return hashlib.sha256(" ".join(visible.split()).encode()).hexdigest()
