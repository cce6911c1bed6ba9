"""API v1 for the desk: assignments, the reviewer's review and its sources, the editor's return, assignment and
approval. Each view finds the claim among those the caller may see (else 404) and calls one service."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.request import Request
from rest_framework.response import Response

from claims.models import Claim
from core.errors import NotAllowed
from core.filters import DateTimeFilter, FilterSet, IdFilter, LanguageFilter
from core.idempotency import IDEMPOTENCY_KEY_PARAMETER, IDEMPOTENCY_RESPONSES, idempotent
from core.openapi import LIST_ERRORS, errors, example
from core.sentinels import UNSET
from factcheck.record.serializers import SourceInputSerializer
from reviews import selectors
from reviews.api_sources import source_input, source_inputs
from reviews.claim_serializers import DeskClaimSerializer
from reviews.models import Assignment, AssignmentState, Review
from reviews.serializers import (
    ApprovalSerializer,
    ApproveInputSerializer,
    AssignInputSerializer,
    AssignmentSerializer,
    EmptyInputSerializer,
    NoteInputSerializer,
    ReasonInputSerializer,
    ReviewDraftInputSerializer,
    ReviewInputSerializer,
    ReviewSerializer,
    SourceOrderInputSerializer,
)
from reviews.services import assignments, sources, verdicts

# Every POST here changes something and honours Idempotency-Key: a retry with the key replays the first answer; the
# same key on another request is 422.
KEYED = [IDEMPOTENCY_KEY_PARAMETER]
WRITE_ERRORS = {**errors(400, 401, 403, 404, 409), 422: IDEMPOTENCY_RESPONSES[422]}


def _valid(serializer_class: type[serializers.Serializer], request: Request) -> dict:
    """The body, checked by the call's strict input serializer (400 for anything it does not take)."""
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


class AssignmentFilter(FilterSet):
    mine = filters.BooleanFilter(method="filter_mine", help_text="Only the caller's own assignments.")
    overdue = filters.BooleanFilter(method="filter_overdue", help_text="Active assignments past their due time.")
    # An assignment's own column matches once: no DISTINCT (django-filter's default for this filter type).
    state = filters.MultipleChoiceFilter(
        choices=AssignmentState.choices, distinct=False, help_text="Repeat for several states."
    )
    reviewer = filters.CharFilter(field_name="reviewer__username")
    language = LanguageFilter(field_name="claim__language")
    topic = filters.CharFilter(field_name="claim__topics__slug", help_text="Topic slug of the claim.")
    due_after = DateTimeFilter(field_name="due_at", lookup_expr="gte")
    due_before = DateTimeFilter(field_name="due_at", lookup_expr="lt")
    # A number, not a choice among every claim: a missing and a hidden claim both give an empty page.
    claim = IdFilter(field_name="claim_id", help_text="Claim id.")

    class Meta:
        model = Assignment
        fields = ["claim"]

    def filter_mine(self, queryset, name, value):
        return queryset.filter(reviewer=self.request.user) if value else queryset

    def filter_overdue(self, queryset, name, value):
        overdue = Assignment.objects.overdue_at(timezone.now()).values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


@extend_schema_view(
    list=extend_schema(responses={200: AssignmentSerializer, **LIST_ERRORS}),
    retrieve=extend_schema(responses={200: AssignmentSerializer, **errors(401, 404)}),
)
class AssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Editors see every assignment; reviewers their own."""

    queryset = Assignment.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    search_fields = ["claim__text", "reviewer__username"]
    ordering_fields = ["due_at", "offered_at"]
    keyset_ordering = ("due_at", "id")  # soonest due first

    def get_queryset(self):
        return (
            selectors.assignments_visible_to(self.request.user)
            .select_related("claim__claimant", "claim__submitted_by")
            .prefetch_related("claim__topics", "claim__events__actor")
        )

    def _answer(self, assignment: Assignment) -> Response:
        return Response(AssignmentSerializer(self.get_queryset().get(pk=assignment.pk)).data)

    @extend_schema(
        request=ReasonInputSerializer,
        parameters=KEYED,
        responses={200: AssignmentSerializer, **WRITE_ERRORS},
        examples=[example("Accept", {"reason": "I know the budget figures well."})],
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    @idempotent
    def accept(self, request, pk=None):
        """The reviewer takes the offer; the optional reason goes into the claim's history."""
        assignment = self.get_object()
        reason = _valid(ReasonInputSerializer, request)["reason"]
        return self._answer(
            assignments.accept_assignment(assignment_id=assignment.pk, reviewer=request.user, note=reason)
        )

    @extend_schema(
        request=ReasonInputSerializer,
        parameters=KEYED,
        responses={200: AssignmentSerializer, **WRITE_ERRORS},
        examples=[example("Decline", {"reason": "I wrote about this summit myself."})],
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    @idempotent
    def decline(self, request, pk=None):
        assignment = self.get_object()
        reason = _valid(ReasonInputSerializer, request)["reason"]
        return self._answer(
            assignments.decline_assignment(assignment_id=assignment.pk, reviewer=request.user, reason=reason)
        )


def _visible_claim(request: Request, pk: int) -> Claim:
    return get_object_or_404(selectors.claims_visible_to(request.user), pk=pk)


def _claim_answer(pk: int) -> Response:
    return Response(DeskClaimSerializer(Claim.objects.with_api_relations().get(pk=pk)).data)


def _review_answer(pk: int, code: int = status.HTTP_200_OK) -> Response:
    review = get_object_or_404(
        Review.objects.select_related("reviewer", "rating").prefetch_related("sources"), claim_id=pk
    )
    return Response(ReviewSerializer(review).data, status=code)


REVIEW_EXAMPLE = example(
    "Draft with a source",
    {
        "rating": "false",
        "summary": "It cost 25 million.",
        "explanation": "The budget shows 25 million euros.",
        "sources": [{"url": "https://gov.example.org/budget", "title": "Budget 2026", "publisher": "Finance Ministry"}],
    },
)


@extend_schema(methods=["GET"], responses={200: ReviewSerializer, **errors(401, 403, 404)})
@extend_schema(
    methods=["PUT"],
    request=ReviewInputSerializer,
    responses={200: ReviewSerializer, **WRITE_ERRORS},
    examples=[REVIEW_EXAMPLE],
)
@extend_schema(
    methods=["PATCH"],
    request=ReviewDraftInputSerializer,
    responses={200: ReviewSerializer, **WRITE_ERRORS},
    examples=[example("Autosave the summary", {"summary": "It cost 25 million, not 40."})],
)
@api_view(["GET", "PUT", "PATCH"])
def claim_review(request: Request, pk: int) -> Response:
    """Read the review of a claim; save the reviewer's whole draft (PUT, sources replaced in the order given) or
    autosave part of it (PATCH: rating, summary, explanation; sources untouched)."""
    claim = _visible_claim(request, pk)
    if request.method == "GET":
        if not selectors.claims_reviewable_by(request.user).filter(pk=claim.pk).exists():
            raise NotAllowed("Drafts are for the desk; the verdict is public once published.")
    elif request.method == "PUT":
        fields = dict(_valid(ReviewInputSerializer, request))
        draft_sources = source_inputs(fields.pop("sources"))
        verdicts.save_review(claim_id=claim.pk, reviewer=request.user, sources=draft_sources, **fields)
    else:
        verdicts.autosave_review(
            claim_id=claim.pk, reviewer=request.user, **_valid(ReviewDraftInputSerializer, request)
        )
    return _review_answer(claim.pk)


@extend_schema(
    request=SourceInputSerializer,
    parameters=KEYED,
    responses={201: ReviewSerializer, **WRITE_ERRORS},
    examples=[
        example(
            "Add a source",
            {
                "url": "https://gov.example.org/budget",
                "title": "Budget 2026",
                "archive_url": "https://web.archive.org/web/2026/budget",
            },
        )
    ],
)
@api_view(["POST"])
@idempotent
def add_source(request: Request, pk: int) -> Response:
    """Append one source to the draft; the answer is the review with every source and its id."""
    claim = _visible_claim(request, pk)
    data = _valid(SourceInputSerializer, request)
    sources.add_source(claim_id=claim.pk, reviewer=request.user, source=source_input(data))
    return _review_answer(claim.pk, status.HTTP_201_CREATED)


@extend_schema(request=None, responses={204: None, **errors(401, 403, 404, 409)})
@api_view(["DELETE"])
def remove_source(request: Request, pk: int, source_id: int) -> Response:
    claim = _visible_claim(request, pk)
    sources.remove_source(claim_id=claim.pk, reviewer=request.user, source_id=source_id)
    return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    request=SourceOrderInputSerializer,
    parameters=KEYED,
    responses={200: ReviewSerializer, **WRITE_ERRORS},
    examples=[example("Swap two sources", {"order": [12, 11]})],
)
@api_view(["POST"])
@idempotent
def order_sources(request: Request, pk: int) -> Response:
    claim = _visible_claim(request, pk)
    data = _valid(SourceOrderInputSerializer, request)
    sources.reorder_sources(claim_id=claim.pk, reviewer=request.user, order=data["order"])
    return _review_answer(claim.pk)


@extend_schema(request=None, parameters=KEYED, responses={200: DeskClaimSerializer, **WRITE_ERRORS})
@api_view(["POST"])
@idempotent
def submit_review(request: Request, pk: int) -> Response:
    """The reviewer hands in a rated review with at least one source (400 lists what is missing). No body."""
    claim = _visible_claim(request, pk)
    _valid(EmptyInputSerializer, request)
    verdicts.submit_review(claim_id=claim.pk, reviewer=request.user)
    return _claim_answer(claim.pk)


@extend_schema(
    request=NoteInputSerializer,
    parameters=KEYED,
    responses={200: DeskClaimSerializer, **WRITE_ERRORS},
    examples=[example("Return", {"note": "Add the 2025 budget as a second source."})],
)
@api_view(["POST"])
@idempotent
def return_review(request: Request, pk: int) -> Response:
    claim = _visible_claim(request, pk)
    data = _valid(NoteInputSerializer, request)
    verdicts.return_review(claim_id=claim.pk, editor=request.user, note=data["note"])
    return _claim_answer(claim.pk)


@extend_schema(
    request=ApproveInputSerializer,
    parameters=KEYED,
    responses={200: ApprovalSerializer, **WRITE_ERRORS},
    examples=[
        example("Approve", {"note": "Checked the budget figures."}),
        example(
            "Approve the submission read",
            {"note": "Checked the budget figures.", "submitted_at": "2026-12-05T18:18:01.123456Z"},
        ),
    ],
)
@api_view(["POST"])
@idempotent
def approve(request: Request, pk: int) -> Response:
    """An editor who is not the reviewer publishes the verdict; the answer links the public page. With
    `submitted_at`, only the submission of the review that was read (409 when it was submitted again since)."""
    claim = _visible_claim(request, pk)
    data = _valid(ApproveInputSerializer, request)
    fact_check = verdicts.approve_claim(
        claim_id=claim.pk, editor=request.user, note=data["note"], submitted_at=data.get("submitted_at")
    )
    claim = Claim.objects.with_api_relations().get(pk=claim.pk)
    return Response(
        {
            "claim": DeskClaimSerializer(claim).data,
            "fact_check": {"slug": fact_check.slug, "url": fact_check.public_url},
        }
    )


@extend_schema(
    request=AssignInputSerializer,
    responses={200: AssignmentSerializer, **WRITE_ERRORS},
    parameters=KEYED,
    examples=[example("Assign by hand", {"reviewer": 3, "note": "Speaks the claimant's language."})],
)
@api_view(["POST"])
@idempotent
def assign(request: Request, pk: int) -> Response:
    """An editor offers a queued claim to a reviewer of their choice (a claim with a reviewer is reassigned).
    `reviewer` is the reviewer's `id` in `GET reviewers/`; with `based_on_assignment`, only if the claim's active
    assignment is still that one (409 when it was assigned or reassigned since)."""
    claim = _visible_claim(request, pk)
    data = _valid(AssignInputSerializer, request)
    assignment = assignments.assign_by_hand(
        claim_id=claim.pk,
        editor=request.user,
        reviewer_id=data["reviewer"].user_id,
        note=data["note"],
        based_on_assignment=data.get("based_on_assignment", UNSET),
    )
    return Response(AssignmentSerializer(selectors.assignments_visible_to(request.user).get(pk=assignment.pk)).data)
