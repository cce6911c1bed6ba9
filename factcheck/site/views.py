"""Public pages; they live in factcheck/site/pages/ (one module per kind of page) and are gathered here."""

from factcheck.site.pages.browse import claimant_page, topic_index, topic_page
from factcheck.site.pages.listing import fact_check_list
from factcheck.site.pages.record import corrections, methodology
from factcheck.site.pages.verdicts import fact_check_detail, fact_check_version

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
