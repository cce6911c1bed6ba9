"""Public pages; they live in factcheck/pages/ (one module per kind of page) and are re-exported here."""

from factcheck.pages.browse import claimant_page, topic_index, topic_page
from factcheck.pages.listing import fact_check_list
from factcheck.pages.record import corrections, methodology
from factcheck.pages.verdicts import fact_check_detail, fact_check_version

__all__ = [
    "claimant_page",
    "corrections",
    "fact_check_detail",
    "fact_check_list",
    "fact_check_version",
    "methodology",
    "topic_index",
    "topic_page",
]
