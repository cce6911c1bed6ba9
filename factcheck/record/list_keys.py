"""The keys of the public list's pages, for the two shapes most requests take: no filter, and on PostgreSQL a search
whose every word has lexemes. They are read by compiled statements (core.statement_keys), which give what
selectors.search_fact_checks gives for the same filters; any other filter goes through that queryset.
"""

from django.db import connection

from core.statement_keys import StatementKeys
from core.statements import Statement
from factcheck.record.lexemes import SEARCH_TERMS, lexemes_match, search_terms
from factcheck.record.models import FactCheck
from factcheck.record.selectors import fact_checks_listed, public_fact_checks

NEWEST = Statement(lambda: fact_checks_listed().prefetch_related(None).values("pk"))
PUBLISHED = Statement(lambda: public_fact_checks().order_by().values("pk"))
MATCHING = Statement(lambda tsquery: lexemes_match(fact_checks_listed(), tsquery).prefetch_related(None).values("pk"))
MATCHING_UNORDERED = Statement(lambda tsquery: lexemes_match(public_fact_checks(), tsquery).order_by().values("pk"))

_TABLE = FactCheck._meta.db_table


def listed_keys(filters: dict) -> StatementKeys | None:
    """The keys for these filters (as ListFilters.filters names them), or None where the queryset must answer."""
    if not filters:
        return StatementKeys(NEWEST, PUBLISHED, table=_TABLE)
    if filters.keys() == {"text"} and connection.vendor == "postgresql":
        tsquery, substrings = search_terms(filters["text"].split()[:SEARCH_TERMS])
        if tsquery and not substrings:
            return StatementKeys(MATCHING, MATCHING_UNORDERED, tsquery, table=_TABLE)
    return None
