"""API v1 for the published record: public fact-checks (and the aggregator's search) and rating scales, editors'
corrections and retractions."""

from django.http import HttpResponse
from django_filters import rest_framework as filters
from drf_spectacular.utils import (
    OpenApiParameter,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, status, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response

from core.filters import PAGING_PARAMS, DateTimeFilter, FilterBackend, FilterSet, LanguageFilter, SearchFilter
from core.openapi import PUBLIC_LIST_ERRORS, errors
from core.page_cache import serve_cached
from core.pagination import PublicCursorPagination
from core.renderers import OrjsonRenderer
from factcheck.record import search, selectors
from factcheck.record.models import FactCheck, RatingScale
from factcheck.record.serializers import (
    FactCheckSerializer,
    RatingScaleSerializer,
    fact_check_answer,
    public_fact_check_schema,
)

SLUG_REGEX = "[-a-zA-Z0-9_]+"


class PublishedCursor(PublicCursorPagination):
    ordering = ("-published_at", "-id")


class ScaleCursor(PublicCursorPagination):
    ordering = ("-is_default", "slug")


class FactCheckFilter(FilterSet):
    language = LanguageFilter(field_name="claim__language")
    rating = filters.CharFilter(
        method="filter_rating", help_text="Rating slug. Retracted verdicts are left out: their rating is withdrawn."
    )
    topic = filters.CharFilter(field_name="claim__topics__slug", help_text="Topic slug.")
    claimant = filters.CharFilter(field_name="claim__claimant__slug", help_text="Claimant slug.")
    published_after = DateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = DateTimeFilter(field_name="published_at", lookup_expr="lt")
    retracted = filters.BooleanFilter(field_name="retracted_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = FactCheck
        # claim__language is the original name of `language`, kept for consumers that use it.
        fields = {"claim__language": ["exact"]}

    def filter_rating(self, queryset, name: str, value: str):
        # A tombstone listed under a rating would tell what the withdrawn verdict was.
        return queryset.filter(current_version__rating__slug=value, retracted_at=None)


# Every parameter the plain list reads: its filters, the search and paging.
LIST_PARAMS = frozenset({*FactCheckFilter.base_filters, "search", *PAGING_PARAMS})

FACT_CHECK_PAGE = inline_serializer(
    "FactCheckPage",
    {
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": public_fact_check_schema(many=True),
    },
)
SEARCH_PARAMETERS = [
    OpenApiParameter(
        "query",
        str,
        description="Switches to the aggregator's answer (Google Fact Check Tools "
        "`claims:search` shape): `{claims: [...], nextPageToken}`. Every word must match.",
    ),
    OpenApiParameter("languageCode", str, description="With `query`: BCP-47 code, region ignored."),
    OpenApiParameter(
        "maxAgeDays", int, description="With `query`: verdicts published (or claims made) within this many days."
    ),
    OpenApiParameter("pageSize", int, description="With `query`: 1-100, default 10."),
    OpenApiParameter("pageToken", str, description="With `query`: the previous answer's `nextPageToken`."),
]


@extend_schema_view(
    list=extend_schema(
        parameters=SEARCH_PARAMETERS,
        responses={
            200: PolymorphicProxySerializer(
                component_name="FactCheckListOrClaimSearch",
                serializers=[FACT_CHECK_PAGE, search.ClaimSearchSerializer],
                resource_type_field_name=None,
                many=False,
            ),
            **PUBLIC_LIST_ERRORS,
        },
        description="Published fact-checks, newest first, by cursor. With `query` the answer is the aggregator's "
        "search instead (Google Fact Check Tools `claims:search` shape); the list's own filters and "
        "cursor are then ignored, and Google's parameters are ignored without `query`.",
    ),
    retrieve=extend_schema(
        responses={200: public_fact_check_schema(), **errors(404)},
        description="A published verdict (`status` published), or the tombstone of a retracted one (`status` "
        "retracted: its slug, URL, claim and the retraction's date and note, without the withdrawn verdict).",
    ),
)
class FactCheckViewSet(viewsets.ReadOnlyModelViewSet):
    """Published fact-checks, for anyone: newest first, by slug. Retracted ones are tombstones (`status`)."""

    serializer_class = FactCheckSerializer
    permission_classes = [AllowAny]
    authentication_classes = []
    pagination_class = PublishedCursor
    lookup_field = "slug"
    # Slugs only: anything else (a NUL byte, which PostgreSQL refuses in a query) is a 404 before any query runs.
    lookup_value_regex = SLUG_REGEX
    filter_backends = [FilterBackend, SearchFilter]
    renderer_classes = [OrjsonRenderer, BrowsableAPIRenderer]
    filterset_class = FactCheckFilter
    search_fields = ["claim__text", "claim__claimant__name"]

    def get_queryset(self):
        return selectors.answered_fact_checks()

    def list(self, request, *args, **kwargs):
        if "query" not in request.query_params:
            if request.accepted_media_type != OrjsonRenderer.media_type:  # the browsable API, indented JSON
                return self._page(request)
            # Every reader is answered alike: each page is built once per stamp of the public content, like the
            # public pages, and goes out of use when they do (publication, correction, retraction). The page's
            # links are absolute, so the scheme and host are part of the key.
            return serve_cached(
                request,
                lambda: HttpResponse(
                    OrjsonRenderer().render(self._page(request).data), content_type=OrjsonRenderer.media_type
                ),
                reads=LIST_PARAMS,
                variant=(request.accepted_media_type, request.build_absolute_uri("/")),
            )
        params = search.ClaimSearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        try:
            return Response(search.claim_search(params.validated_data))
        except search.InvalidPageToken:
            return Response({"pageToken": ["Not a page token of this search."]}, status=status.HTTP_400_BAD_REQUEST)

    def _page(self, request) -> Response:
        # Plain dicts, not the serializer's fields: the same answer (fact_check_answer), at a fraction of the cost.
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response([fact_check_answer(fact_check) for fact_check in page])


@extend_schema_view(
    list=extend_schema(responses={200: RatingScaleSerializer, **PUBLIC_LIST_ERRORS}),
    retrieve=extend_schema(responses={200: RatingScaleSerializer, **errors(404)}),
)
class RatingScaleViewSet(viewsets.ReadOnlyModelViewSet):
    """The rating scales (public): the default scale first, each with its ratings in order."""

    serializer_class = RatingScaleSerializer
    permission_classes = [AllowAny]
    # Public: credentials are not read, so a stale token cannot turn a public read into a 401.
    authentication_classes = []
    lookup_field = "slug"
    lookup_value_regex = SLUG_REGEX
    queryset = RatingScale.objects.prefetch_related("ratings__scale")
    pagination_class = ScaleCursor
    filter_backends = []


WRITE_ERRORS = errors(400, 401, 403, 404, 409)
