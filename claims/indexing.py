"""Keeps the matcher's rows for our claims in step with the claims, in the transaction of each change: a claim is
indexed when it is submitted and when its wording changes, and leaves the index when its verdict takes its place.
Published verdicts are indexed by the record (factcheck) through `index_fact_check`, with the same events."""

from claims import matching
from claims.matching.models import MatchDocument
from claims.models import Claim
from claims.similar import SimilarItem, base_language, similar_to_text

Kind = MatchDocument.Kind


def index_claim(claim: Claim) -> None:
    matching.upsert_documents(
        [
            matching.DocumentInput(
                kind=Kind.CLAIM,
                ref_id=claim.pk,
                text=claim.text,
                language=base_language(claim.language),
                payload={"submitted_by": claim.submitted_by_id},
            )
        ]
    )


def match_and_index_claim(claim: Claim) -> list[SimilarItem]:
    """What the new claim resembles (it does not find itself), then the claim joins the index."""
    similar = similar_to_text(claim.text, language=claim.language, user=claim.submitted_by, exclude_claim=claim.pk)
    index_claim(claim)
    return similar


def index_fact_check(*, claim_id: int, text: str, language: str, payload: dict) -> None:
    """A verdict was published or corrected: it is found as a fact-check, and no longer as a bare claim."""
    matching.upsert_documents(
        [
            matching.DocumentInput(
                kind=Kind.FACT_CHECK, ref_id=claim_id, text=text, language=base_language(language), payload=payload
            )
        ]
    )
    matching.deactivate(Kind.CLAIM, claim_id)


def withdraw_fact_check(*, claim_id: int) -> None:
    """A retracted verdict is never offered as "already fact-checked"."""
    matching.deactivate(Kind.FACT_CHECK, claim_id)


def index_external(*, external_id: int, text: str, language: str, payload: dict) -> None:
    matching.upsert_documents(
        [
            matching.DocumentInput(
                kind=Kind.EXTERNAL, ref_id=external_id, text=text, language=base_language(language), payload=payload
            )
        ]
    )
