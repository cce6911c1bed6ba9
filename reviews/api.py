"""API v1 for the desk: assignments, the reviewer's review, the editor's return, assignment and approval."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.request import Request
from rest_framework.response import Response

from claims.models import Claim
from claims.selectors import claims_visible_to
from claims.serializers import ClaimSerializer
from reviews import selectors, services, verdicts
from reviews.models import Assignment, Review
from reviews.serializers import (
    AssignInputSerializer,
    AssignmentSerializer,
    NoteInputSerializer,
    ReasonInputSerializer,
    ReviewInputSerializer,
    ReviewSerializer,
)


class AssignmentFilter(filters.FilterSet):
    mine = filters.BooleanFilter(method="filter_mine", help_text="Only the caller's own assignments.")
    overdue = filters.BooleanFilter(method="filter_overdue", help_text="Active assignments past their due time.")
    reviewer = filters.CharFilter(field_name="reviewer__username")
    due_before = filters.IsoDateTimeFilter(field_name="due_at", lookup_expr="lt")

    class Meta:
        model = Assignment
        fields = ["state", "claim"]

    def filter_mine(self, queryset, name, value):
        return queryset.filter(reviewer=self.request.user) if value else queryset

    def filter_overdue(self, queryset, name, value):
        overdue = Assignment.objects.overdue_at(timezone.now()).values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class AssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Assignment.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    ordering_fields = ["due_at", "offered_at"]

    def get_queryset(self):
        return selectors.assignments_visible_to(self.request.user).select_related(
            "claim__claimant", "claim__submitted_by"
        ).prefetch_related("claim__topics", "claim__events__actor")

    def _answer(self, assignment: Assignment) -> Response:
        return Response(AssignmentSerializer(self.get_queryset().get(pk=assignment.pk)).data)

    @extend_schema(request=None, responses={200: AssignmentSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        assignment = self.get_object()
        return self._answer(services.accept_assignment(assignment_id=assignment.pk, reviewer=request.user))

    @extend_schema(request=ReasonInputSerializer, responses={200: AssignmentSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        assignment = self.get_object()
        data = ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        declined = services.decline_assignment(
            assignment_id=assignment.pk, reviewer=request.user, reason=data.validated_data["reason"]
        )
        return self._answer(declined)


def _visible_claim(request: Request, pk: int) -> Claim:
    return get_object_or_404(claims_visible_to(request.user), pk=pk)


def _claim_answer(pk: int) -> Response:
    return Response(ClaimSerializer(Claim.objects.with_api_relations().get(pk=pk)).data)


def _review_answer(pk: int) -> Response:
    review = get_object_or_404(Review.objects.select_related("reviewer", "rating").prefetch_related("sources"),
                               claim_id=pk)
    return Response(ReviewSerializer(review).data)


@extend_schema(methods=["GET"], responses={200: ReviewSerializer})
@extend_schema(methods=["PUT"], request=ReviewInputSerializer, responses={200: ReviewSerializer})
@api_view(["GET", "PUT"])
def claim_review(request: Request, pk: int) -> Response:
    """Read the review of a claim, or save the reviewer's draft (rating, summary, explanation, sources)."""
    claim = _visible_claim(request, pk)
    if request.method == "PUT":
        data = ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        sources = [verdicts.SourceInput(**s) for s in fields.pop("sources")]
        verdicts.save_review(claim_id=claim.pk, reviewer=request.user, sources=sources, **fields)
    return _review_answer(claim.pk)


@extend_schema(request=None, responses={200: ClaimSerializer})
@api_view(["POST"])
def submit_review(request: Request, pk: int) -> Response:
    claim = _visible_claim(request, pk)
    verdicts.submit_review(claim_id=claim.pk, reviewer=request.user)
    return _claim_answer(claim.pk)


@extend_schema(request=NoteInputSerializer, responses={200: ClaimSerializer})
@api_view(["POST"])
def return_review(request: Request, pk: int) -> Response:
    claim = _visible_claim(request, pk)
    data = NoteInputSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    verdicts.return_review(claim_id=claim.pk, editor=request.user, note=data.validated_data["note"])
    return _claim_answer(claim.pk)


APPROVAL_ANSWER = inline_serializer(
    "Approval",
    {"claim": ClaimSerializer(), "fact_check": inline_serializer(
        "PublishedLink", {"slug": serializers.CharField(), "url": serializers.URLField()})},
)


@extend_schema(request=NoteInputSerializer, responses={200: APPROVAL_ANSWER})
@api_view(["POST"])
def approve(request: Request, pk: int) -> Response:
    claim = _visible_claim(request, pk)
    data = NoteInputSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    fact_check = verdicts.approve_claim(claim_id=claim.pk, editor=request.user, note=data.validated_data["note"])
    claim = Claim.objects.with_api_relations().get(pk=claim.pk)
    return Response({
        "claim": ClaimSerializer(claim).data,
        "fact_check": {"slug": fact_check.slug, "url": fact_check.public_url},
    })


@extend_schema(request=AssignInputSerializer, responses={200: AssignmentSerializer},
               parameters=[OpenApiParameter("pk", int, OpenApiParameter.PATH)])
@api_view(["POST"])
def assign(request: Request, pk: int) -> Response:
    """An editor offers a queued claim to a reviewer of their choice."""
    claim = _visible_claim(request, pk)
    data = AssignInputSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    assignment = services.assign_by_hand(
        claim_id=claim.pk, editor=request.user, reviewer_id=data.validated_data["reviewer"],
        note=data.validated_data["note"],
    )
    return Response(AssignmentSerializer(selectors.assignments_visible_to(request.user).get(pk=assignment.pk)).data)
