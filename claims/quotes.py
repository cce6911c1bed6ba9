"""Where a quote stands in a report's text: its offsets, such that body[start:end] is the body's own text of it.

A stored body is cleaned (claims.ingest.extract.text_from_paste: runs of spaces made one, lines trimmed, byte-order
marks dropped) but a quote is typed or pasted as the source has it, so "Сказал  министр:" with two spaces must still
be found in "Сказал министр:". Whitespace is compared as "some whitespace" and invisible characters (a zero-width
space the body kept, a word joiner the quote carries) are left out of the comparison; letters, marks, punctuation and
case must agree.

A phrase may stand in the text more than once: the occurrence nearest `near` (the offset the journalist selected it
at) is the one meant; without it, the first.
"""

from core.text import is_invisible


def locate_quote(body: str, quote: str, *, near: int | None = None) -> tuple[int, int] | None:
    """(start, end) of `quote` in `body`, exactly where it can be, else up to whitespace and invisible characters;
    None when the body does not hold it."""
    if not quote or not body:
        return None
    if near is None and (start := body.find(quote)) >= 0:
        return start, start + len(quote)
    if exact := _starts(body, quote):
        start = _nearest(exact, near)
        return start, start + len(quote)
    folded_body, places = _folded(body)
    folded_quote = _folded(quote)[0].strip(" ")
    if not folded_quote:
        return None
    spans = [(places[at], places[at + len(folded_quote) - 1] + 1) for at in _starts(folded_body, folded_quote)]
    if not spans:
        return None
    start = _nearest([start for start, _ in spans], near)
    return next(span for span in spans if span[0] == start)


def _starts(text: str, part: str) -> list[int]:
    starts, at = [], text.find(part)
    while at >= 0:
        starts.append(at)
        at = text.find(part, at + 1)
    return starts


def _nearest(starts: list[int], near: int | None) -> int:
    if near is None:
        return starts[0]
    return min(starts, key=lambda start: (abs(start - near), start))


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
