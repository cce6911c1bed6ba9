"""Where a quote stands in a report's text: its offsets, such that body[start:end] is the body's own text of it.

A stored body is cleaned (claims.ingest.extract.text_from_paste: runs of spaces made one, lines trimmed, byte-order
marks dropped) but a quote is typed or pasted as the source has it, so "Сказал  министр:" with two spaces must still
be found in "Сказал министр:". Whitespace is compared as "some whitespace" and invisible characters (a zero-width
space the body kept, a word joiner the quote carries) are left out of the comparison; letters, marks, punctuation and
case must agree.
"""

from core.text import is_invisible


def locate_quote(body: str, quote: str) -> tuple[int, int] | None:
    """(start, end) of `quote` in `body`, exactly where it can be, else up to whitespace and invisible characters;
    None when the body does not hold it."""
    if not quote or not body:
        return None
    if (start := body.find(quote)) >= 0:
        return start, start + len(quote)
    folded_body, places = _folded(body)
    folded_quote = _folded(quote)[0].strip(" ")
    if not folded_quote:
        return None
    at = folded_body.find(folded_quote)
    if at < 0:
        return None
    return places[at], places[at + len(folded_quote) - 1] + 1


def _folded(text: str) -> tuple[str, list[int]]:
    """The text with invisible characters left out and each run of whitespace made one space, and for each of its
    characters the offset in `text` of the character it stands for."""
    chars: list[str] = []
    places: list[int] = []
    for index, char in enumerate(text):
        if char.isspace():
            if chars and chars[-1] == " ":
                continue
            char = " "
        elif is_invisible(char):
            continue
        chars.append(char)
        places.append(index)
    return "".join(chars), places
