"""Demo content for `make run`: a report about a diplomatic meeting, its claims at several steps of the flow."""

from datetime import UTC, date, datetime

from django.db import transaction

from claims import services as claim_services
from claims.models import Report
from core.roles import Role
from reviews.models import Assignment
from reviews.services import assignments as desk_services
from reviews.services import verdicts
from reviews.services.members import add_member

DEMO_PASSWORD = "demo-pass-2026"
DEMO_URL = "https://news.example.org/2026/11/lakeside-talks"
ACCOUNTS = [
    ("journalist", Role.JOURNALIST, {}),
    ("reviewer", Role.REVIEWER, {"languages": ["en", "fr"], "topics": ["diplomacy"], "capacity": 5}),
    ("reviewer2", Role.REVIEWER, {"languages": ["en"], "topics": ["economy"], "capacity": 5}),
    ("editor", Role.EDITOR, {}),
]

REPORT_BODY = (
    "Foreign ministers of Norland and Suderia met on Tuesday at a lakeside hotel outside Geneva. "
    "According to Norland's minister, the talks lasted more than five hours. "
    "It was the first meeting between the two ministers in six years, her spokesperson added. "
    "Both sides agreed to double cross-border rail freight by 2030. "
    "Suderia's minister said trade between the neighbours had fallen by a third since 2019. "
    "Observers called the meeting the most important diplomatic event of the decade."
)

# (text, quote, claimant, status to carry it to, topics): the reviewers' topics (ACCOUNTS) exist once they do.
CLAIMS = [
    (
        "The talks lasted more than five hours.",
        "the talks lasted more than five hours",
        "Anna Berg",
        "published",
        ["diplomacy"],
    ),
    (
        "It was the first meeting between the two foreign ministers in six years.",
        "It was the first meeting between the two ministers in six years",
        "Anna Berg",
        "in_review",
        ["diplomacy"],
    ),
    (
        "Norland and Suderia agreed to double cross-border rail freight by 2030.",
        "Both sides agreed to double cross-border rail freight by 2030",
        "Anna Berg",
        "assigned",
        ["economy"],
    ),
    (
        "Trade between Norland and Suderia has fallen by a third since 2019.",
        "trade between the neighbours had fallen by a third since 2019",
        "Piet Marsh",
        "submitted",
        ["economy"],
    ),
    (
        "The meeting was the most important diplomatic event of the decade.",
        "the most important diplomatic event of the decade",
        "",
        "rejected",
        ["diplomacy"],
    ),
]


def accounts() -> dict:
    return {
        name: add_member(username=name, role=role, password=DEMO_PASSWORD, **extra) for name, role, extra in ACCOUNTS
    }


def _carry(claim, target: str, users: dict) -> None:
    editor = users["editor"]
    if target == "submitted":
        return
    if target == "rejected":
        claim_services.triage_claim(
            claim_id=claim.pk, editor=editor, decision="reject", reason="An opinion, not a checkable statement of fact."
        )
        return
    claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")
    # The whole demo is one transaction, so route now; the routing enqueued for after commit is then a no-op.
    desk_services.route_claim(claim_id=claim.pk)
    if target == "assigned":
        return
    offer = Assignment.objects.get(claim=claim, state="offered")
    desk_services.accept_assignment(assignment_id=offer.pk, reviewer=offer.reviewer)
    if target == "in_review":
        return
    verdicts.save_review(
        claim_id=claim.pk,
        reviewer=offer.reviewer,
        rating="mostly-false",
        summary="The talks lasted four hours and forty minutes, not more than five hours.",
        explanation=(
            "The host hotel's published schedule and the joint press statement both put the start of the talks at "
            "10:05 and the end at 14:45, a total of four hours and forty minutes.\n\n"
            "Including the working lunch that followed, the ministers spent about five and a half hours together, "
            "which may explain the figure."
        ),
        sources=[
            verdicts.SourceInput(
                url="https://gov.example.org/norland/press/joint-statement",
                title="Joint statement after the lakeside talks",
                publisher="Norland foreign ministry",
            ),
            verdicts.SourceInput(
                url="https://hotel.example.org/events/2026-11-24",
                title="Event schedule, 24 November",
                publisher="Lakeside Hotel",
            ),
        ],
    )
    verdicts.submit_review(claim_id=claim.pk, reviewer=offer.reviewer)
    verdicts.approve_claim(claim_id=claim.pk, editor=editor, note="Demo verdict.")


@transaction.atomic
def load_demo() -> tuple[dict, bool]:
    """Create the demo accounts and content; returns (accounts, created) and changes nothing the second time."""
    users = accounts()
    if Report.objects.filter(url=DEMO_URL).exists():
        return users, False
    report = claim_services.submit_report(
        user=users["journalist"],
        headline="Ministers of Norland and Suderia meet for lakeside talks",
        outlet="Example News",
        url=DEMO_URL,
        language="en",
        body=REPORT_BODY,
        published_at=datetime(2026, 11, 25, 8, 0, tzinfo=UTC),
    )
    for text, quote, claimant, target, topics in CLAIMS:
        claim = claim_services.submit_claim(
            user=users["journalist"],
            text=text,
            report=report.pk,
            quote=quote,
            claimant=claimant,
            claim_date=date(2026, 11, 24),
            language="en",
            topics=topics,
        )
        _carry(claim, target, users)
    return users, True
