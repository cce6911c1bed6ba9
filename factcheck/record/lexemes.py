"""Search words as PostgreSQL full-text queries over the fact-checks' stored lexemes, with a SQLite fallback.

Words match by prefix; runs of a script written without spaces (Chinese, Japanese, Thai) by their character pairs,
in a row; a single character as a substring. Punctuation and symbols separate words, as they do when the documents
are indexed: quotes, brackets and hyphens around or inside a word leave its parts.
"""

import re
import unicodedata
from collections.abc import Iterable

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from factcheck.record.models import SEARCH_CONFIG, UNSPACED_RUN, FactCheck, character_pairs

SEARCH_TERMS = 10


def _quoted(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _separates_words(character: str) -> bool:
    # Unicode punctuation (P*) and symbols (S*) in every script: "“five-hours”" is the words five and hours, "12%"
    # is 12, "经济。" is 经济. Letters, digits and combining marks (Devanagari vowel signs, Arabic harakat) stay.
    return unicodedata.category(character)[0] in "PS"


def search_words(words: Iterable[str], *, limit: int = SEARCH_TERMS) -> list[str]:
    """The words of a search without their punctuation, a hyphenated or quoted word split into its parts, at most
    `limit` of them. A word of punctuation alone is dropped: it says nothing a document could be found by."""
    found: list[str] = []
    for word in words:
        cleaned = "".join(" " if _separates_words(ch) else ch for ch in word)
        found += cleaned.split()
    return found[:limit]


def _term_query(term: str) -> tuple[str, list[str]]:
    """A query word as a tsquery fragment (words match by prefix; unspaced runs by their character pairs, in a row),
    and the pieces no lexeme can stand for (a single character, a lone combining mark), to be matched as
    substrings."""
    if len(term) == 1:  # as before full-text search: one letter finds every text that holds it
        return "", [term]
    fragments, substrings = [], []
    for piece in re.split(f"({UNSPACED_RUN.pattern})", term):
        if not piece:
            continue
        if UNSPACED_RUN.fullmatch(piece):
            if len(piece) == 1:
                substrings.append(piece)
            else:
                fragments.append(" <-> ".join(_quoted(pair) for pair in character_pairs(piece)))
        elif re.search(r"\w", piece):
            fragments.append(_quoted(piece) + ":*")
        else:
            substrings.append(piece)
    return " & ".join(f"({fragment})" for fragment in fragments), substrings


# to_tsvector(search_document), computed when the row is written (migration 0012): a search that reads the newest
# rows first and filters them compares lexemes instead of parsing every document it passes.
STORED_SEARCH_VECTOR = RawSQL(f'"{FactCheck._meta.db_table}"."search_vector"', [], output_field=SearchVectorField())


def text_matches(qs: QuerySet[FactCheck], text: str, *, terms: int = SEARCH_TERMS) -> QuerySet[FactCheck]:
    """Fact-checks whose claim, claimant or summary holds every word of `text`.

    PostgreSQL answers from the GIN index on the stored lexemes of FactCheck.search_document (one condition for all
    words); SQLite, the embedded default, compares substrings, case-insensitively in every
    script (core.sqlite_like).
    """
    words = search_words(text.split()[:terms], limit=terms)
    if not words:
        return qs
    if connection.vendor != "postgresql":
        for term in words:
            qs = qs.filter(
                Q(claim__text__icontains=term)
                | Q(claim__claimant__name__icontains=term)
                | Q(current_version__claimant_name__icontains=term)
                # A retracted verdict's summary is withdrawn: not searched, as its search document holds none.
                | Q(current_version__summary__icontains=term, retracted_at=None)
            )
        return qs
    lexemes, substrings = search_terms(words)
    if lexemes:
        qs = lexemes_match(qs, lexemes)
    for piece in substrings:
        qs = qs.filter(search_document__icontains=piece)
    return qs


def search_terms(words: list[str]) -> tuple[str, list[str]]:
    """The words (search_words') as one tsquery (PostgreSQL's raw syntax; "" when none has a lexeme) and the pieces
    to be matched as substrings."""
    fragments, substrings = [], []
    for term in search_words(words):
        fragment, rest = _term_query(term)
        fragments += [fragment] if fragment else []
        substrings += rest
    return " & ".join(fragments), substrings


def lexemes_match(qs: QuerySet[FactCheck], tsquery: str) -> QuerySet[FactCheck]:
    """The fact-checks whose stored lexemes match `tsquery` (search_terms'), from the GIN index."""
    query = SearchQuery(tsquery, search_type="raw", config=SEARCH_CONFIG)
    return qs.alias(found_by=STORED_SEARCH_VECTOR).filter(found_by=query)
