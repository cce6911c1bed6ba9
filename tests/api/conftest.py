"""A desk with work at every step, owned by different people, for tests of who may see and change what."""

from dataclasses import dataclass
from datetime import date

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims import services as claim_services
from claims.duplicates import mark_duplicate
from claims.models import Claim, Claimant, Report, Topic
from factcheck.models import FactCheck
from factcheck.record import services as publishing
from reviews.models import Assignment, Source
from reviews.services import assignments as desk_services
from reviews.services import verdicts

SOURCES = [
    verdicts.SourceInput(url="https://stats.example.org/trade-2025", title="Trade statistics 2025"),
    verdicts.SourceInput(url="https://stats.example.org/trade-2024", title="Trade statistics 2024"),
]


@dataclass
class World:
    """Jane's and Jim's work. Rita reviews one of Jane's claims, Rolf one of Jim's and Jim's published one."""

    janes_report: Report
    jims_report: Report
    janes_submitted: Claim
    jims_submitted: Claim
    ritas_claim: Claim
    rolfs_claim: Claim
    published: Claim
    ritas_assignment: Assignment
    rolfs_assignment: Assignment
    rolfs_sources: list[Source]
    ritas_sources: list[Source]
    fact_check: FactCheck
    topic: Topic
    claimant: Claimant


def in_review(claim: Claim, reviewer, editor) -> Assignment:
    """Triage and hand the claim to `reviewer` by hand (routing is enqueued on commit, which tests never reach)."""
    claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")
    offer = desk_services.assign_by_hand(claim_id=claim.pk, editor=editor, reviewer_id=reviewer.pk)
    return desk_services.accept_assignment(assignment_id=offer.pk, reviewer=reviewer)


def draft(claim: Claim, reviewer) -> list[Source]:
    verdicts.save_review(
        claim_id=claim.pk,
        reviewer=reviewer,
        rating="false",
        summary="It rose by 3%.",
        explanation="The statistics office reports 3%.",
        sources=SOURCES,
    )
    return list(Source.objects.filter(review__claim=claim).order_by("position"))


@pytest.fixture
def world(journalist, other_journalist, reviewer, other_reviewer, editor, other_editor, report) -> World:
    topic = Topic.objects.create(slug="economy", name="Economy")
    jims_report = claim_services.submit_report(
        user=other_journalist,
        headline="Trade figures",
        language="en",
        body="Exports rose by 12% last year.",
    )

    def claim(user, text, rep):
        return claim_services.submit_claim(
            user=user, text=text, report=rep.pk, language="en", claimant="Minister Jane Roe", topics=["economy"]
        )

    janes_submitted = claim(journalist, "The talks lasted more than five hours", report)
    jims_submitted = claim(other_journalist, "Exports rose by 12% last year", jims_report)
    ritas_claim = claim(journalist, "Trade rose by 12% last year", report)
    rolfs_claim = claim(other_journalist, "Exports doubled since 2020", jims_report)
    published = claim(other_journalist, "Exports reached a record", jims_report)
    ritas_assignment = in_review(ritas_claim, reviewer, editor)
    rolfs_assignment = in_review(rolfs_claim, other_reviewer, editor)
    in_review(published, other_reviewer, editor)
    draft(published, other_reviewer)
    verdicts.submit_review(claim_id=published.pk, reviewer=other_reviewer)
    fact_check = verdicts.approve_claim(claim_id=published.pk, editor=editor)
    return World(
        janes_report=report,
        jims_report=jims_report,
        janes_submitted=janes_submitted,
        jims_submitted=jims_submitted,
        ritas_claim=ritas_claim,
        rolfs_claim=rolfs_claim,
        published=published,
        ritas_assignment=ritas_assignment,
        rolfs_assignment=rolfs_assignment,
        rolfs_sources=draft(rolfs_claim, other_reviewer),
        ritas_sources=draft(ritas_claim, reviewer),
        fact_check=fact_check,
        topic=topic,
        claimant=Claimant.objects.get(name="Minister Jane Roe"),
    )


@pytest.fixture
def token_client(db):
    """A client that authenticates with a real token, as a consumer does (each request reads the user afresh)."""

    def client_for(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
        return client

    return client_for


@pytest.fixture
def claims_of_every_shape(make_claim, desk, editor, journalist):
    """Claims with and without claimant, date, report, score and topics (names in several scripts); history by
    people and by the system; a published verdict, a retracted one, a corrected one and a duplicate following one."""
    for slug, name in [("economy", "Экономика"), ("health", "الصحة"), ("trade", "贸易")]:
        Topic.objects.create(slug=slug, name=name)
    claim_services.submit_claim(user=journalist, text="मुद्रास्फीति दोगुनी हो गई", language="hi")
    rich = make_claim("Инфляция выросла вдвое", claim_date=date(2026, 3, 14), topics=["economy", "health", "trade"])
    Claim.objects.filter(pk=rich.pk).update(checkworthiness=0.7321)
    published = make_claim("The talks lasted more than five hours")
    desk.published(published)
    retracted = make_claim("ارتفع التضخم مرتين", claimant="")
    desk.published(retracted)
    publishing.retract(claim_id=retracted.pk, editor=editor, reason="The video was edited.")
    corrected = make_claim("通货膨胀翻了一番")
    desk.published(corrected)
    publishing.correct(claim_id=corrected.pk, editor=editor, note="Typo.", summary="It was three hours.")
    duplicate = make_claim("The talks went on for over five hours")
    mark_duplicate(claim_id=duplicate.pk, canonical_id=published.pk, editor=editor, note="Same words.")
    desk.queue(make_claim("Trade rose by 12% last year"))
    return Claim.objects.order_by("-created_at", "-id")
