"""API v1 for the people the desk deals with: reviewer profiles, claimants, and the editors' desk overview."""

from django.db.models import Count, Q
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from claims import services as claim_services
from claims.models import Claimant
from claims.serializers import ClaimantInputSerializer, ClaimantSerializer
from core.errors import NotAllowed
from core.filters import FilterSet, LanguageFilter
from core.openapi import LIST_ERRORS, errors, example
from core.roles import is_editor
from reviews import selectors
from reviews.models import ACTIVE_STATES, ReviewerProfile
from reviews.serializers import DeskStatsSerializer, ReviewerProfileInputSerializer, ReviewerProfileSerializer
from reviews.services import profiles


class ReviewerProfileFilter(FilterSet):
    language = LanguageFilter(method="filter_language", help_text="A language code the reviewer works in.")
    topic = filters.CharFilter(field_name="topics__slug", help_text="Topic slug.")

    class Meta:
        model = ReviewerProfile
        fields = ["active"]

    def filter_language(self, queryset, name, value):
        # `languages` is a JSON list; `contains` on JSON is not available on SQLite, so match the quoted code in the
        # JSON text, which both databases support and which cannot match a longer code ("pt" vs "pt-br").
        return queryset.filter(languages__icontains=f'"{value}"')


@extend_schema_view(
    list=extend_schema(responses={200: ReviewerProfileSerializer, **LIST_ERRORS}),
    retrieve=extend_schema(responses={200: ReviewerProfileSerializer, **errors(401, 404)}),
)
class ReviewerProfileViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Editors see and edit every reviewer; a reviewer sees and edits their own profile."""

    queryset = ReviewerProfile.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = ReviewerProfileSerializer
    http_method_names = ["get", "patch", "head", "options"]
    filterset_class = ReviewerProfileFilter
    search_fields = ["user__username"]
    ordering_fields = ["user__username", "capacity"]
    keyset_ordering = ("user__username", "id")

    def get_queryset(self):
        qs = (
            ReviewerProfile.objects.select_related("user")
            .prefetch_related("topics")
            .annotate(load=Count("user__assignments", filter=Q(user__assignments__state__in=ACTIVE_STATES)))
            .order_by("user__username")
        )
        return qs if is_editor(self.request.user) else qs.filter(user=self.request.user)

    @extend_schema(
        request=ReviewerProfileInputSerializer,
        responses={200: ReviewerProfileSerializer, **errors(400, 401, 403, 404)},
        examples=[example("Away for a week", {"away_until": "2026-07-01", "languages": ["en", "de"]})],
    )
    def partial_update(self, request, pk=None):
        profile = self.get_object()
        data = ReviewerProfileInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profiles.update_profile(profile_id=profile.pk, actor=request.user, **data.validated_data)
        return Response(ReviewerProfileSerializer(self.get_queryset().get(pk=profile.pk)).data)


class ClaimantFilter(FilterSet):
    class Meta:
        model = Claimant
        fields = ["kind", "slug"]


@extend_schema_view(
    list=extend_schema(responses={200: ClaimantSerializer, **LIST_ERRORS}),
    retrieve=extend_schema(responses={200: ClaimantSerializer, **errors(401, 404)}),
)
class ClaimantViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Everyone signed in reads the claimants named on claims they may see and on published verdicts; editors read
    them all and correct them."""

    queryset = Claimant.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = ClaimantSerializer
    http_method_names = ["get", "patch", "head", "options"]
    filterset_class = ClaimantFilter
    search_fields = ["name", "description"]
    ordering_fields = ["name"]
    keyset_ordering = ("name", "id")

    def get_queryset(self):
        return selectors.claimants_visible_to(self.request.user).order_by("name", "id")

    @extend_schema(
        request=ClaimantInputSerializer,
        responses={200: ClaimantSerializer, **errors(400, 401, 403, 404)},
        examples=[
            example(
                "An organisation",
                {
                    "name": "Ministry of Finance",
                    "kind": "Organization",
                    "description": "The national finance ministry.",
                },
            )
        ],
    )
    def partial_update(self, request, pk=None):
        claimant = self.get_object()
        data = ClaimantInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        claim_services.update_claimant(claimant_id=claimant.pk, user=request.user, **data.validated_data)
        return Response(ClaimantSerializer(Claimant.objects.get(pk=claimant.pk)).data)


@extend_schema(responses={200: DeskStatsSerializer, **errors(401, 403)})
@api_view(["GET"])
def desk_stats(request: Request) -> Response:
    """For editors: claims per status, overdue assignments, each reviewer's load, median time queued → published."""
    if not is_editor(request.user):
        raise NotAllowed("Only editors see the desk overview.")
    return Response(DeskStatsSerializer(selectors.desk_stats(timezone.now())).data)
