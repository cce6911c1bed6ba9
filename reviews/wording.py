"""Refusals in words for people: the services word them with stored codes ("A claim that is in_review ..."), which
the API keeps for programs; the workspaces and the desk show each code's label instead."""

import re

from claims.models import ClaimStatus
from reviews.models import AssignmentState

# Only codes that differ from their label need a rewrite.
_LABELS = {
    value: str(label).lower()
    for choices in (ClaimStatus, AssignmentState)
    for value, label in choices.choices
    if str(label).lower() != value
}
_CODES = re.compile(r"\b(?:" + "|".join(re.escape(code) for code in sorted(_LABELS, key=len, reverse=True)) + r")\b")


def in_words(text: str) -> str:
    """`text` with each status or state code ("in_review") written as its label ("in review")."""
    return _CODES.sub(lambda code: _LABELS[code.group()], text) if _LABELS else text
