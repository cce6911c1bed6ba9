"""A stored report body cut into sentences, each with its exact character offsets into the body.

Each line is a paragraph (claims.ingest.extract stores bodies that way), so a heading without a full stop stays its own
sentence. Inside a line, sentencex (Wikimedia's rule-based segmenter, many languages) finds the boundaries; it knows
abbreviations such as "U.S.", "Dr." and "p.m.", keeps closing quotes with their sentence and does not cut Arabic text at
commas or colons.
"""

import re
from dataclasses import dataclass

import sentencex

from core.text import is_blank, is_invisible

_LINES = re.compile(r"[^\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")
# Devanagari abbreviations sentencex does not know ("डॉ." doctor, "प्रो." professor, "रु." rupees): Hindi ends its
# sentences with "।", so a full stop after one of these is never a sentence end.
_ABBREVIATIONS = {"hi": ("डॉ.", "प्रो.", "रु.", "श्री.", "सं.", "पृ."), "mr": ("डॉ.", "प्रा.", "रु.", "श्री.")}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str  # body[start:end]


def split_sentences(body: str, *, language: str = "en") -> list[Span]:
    """The sentences of `body` in order; each span trimmed of whitespace, those that show nothing (core.text.is_blank:
    a line of combining marks or variation selectors) dropped."""
    code = (language or "en").split("-")[0].lower()
    spans = []
    for line in _LINES.finditer(body):
        for start, end in _sentences_in(line.group(), code):
            span = _trimmed(body, line.start() + start, line.start() + end)
            if span is not None:
                spans.append(span)
    return spans


def _sentences_in(line: str, code: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence within one line, measured on the pieces sentencex returns (which tile the line)."""
    bounds, position = [], 0
    for piece in sentencex.get_sentence_boundaries(code, line):
        text = piece["text"]
        start = position if line.startswith(text, position) else line.find(text, position)
        if start < 0:  # never seen; rather one long sentence than a wrong offset
            return [(0, len(line))]
        bounds.append((start, start + len(text)))
        position = start + len(text)
    if position < len(line):
        bounds.append((position, len(line)))
    return _joined_after_abbreviations(line, bounds, _ABBREVIATIONS.get(code, ()))


def _joined_after_abbreviations(
    line: str, bounds: list[tuple[int, int]], abbreviations: tuple[str, ...]
) -> list[tuple[int, int]]:
    joined: list[tuple[int, int]] = []
    for start, end in bounds:
        last_word = line[joined[-1][0] : joined[-1][1]].split()[-1:] if joined else []
        if last_word and last_word[0] in abbreviations:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _trimmed(body: str, start: int, end: int) -> Span | None:
    while start < end and is_invisible(body[start]):
        start += 1
    while end > start and is_invisible(body[end - 1]):
        end -= 1
    return Span(start, end, body[start:end]) if not is_blank(body[start:end]) else None
