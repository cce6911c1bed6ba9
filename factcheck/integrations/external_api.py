"""GET /api/v1/external-fact-checks/?q=...: other publishers' verdicts, for signed-in desk members (read-only)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated

from core.openapi import LIST_ERRORS
from factcheck.integrations.external import search_external
from factcheck.integrations.models import ExternalFactCheck


class ExternalFactCheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExternalFactCheck
        fields = [
            "url",
            "claim_reviewed",
            "claimant",
            "claim_date",
            "rating_label",
            "rating_value",
            "best_rating",
            "worst_rating",
            "publisher_name",
            "publisher_url",
            "date_published",
            "language",
            "problems",
            "imported_at",
        ]
        read_only_fields = fields


@extend_schema(
    parameters=[OpenApiParameter("q", str, description="Words that must all appear (claim, claimant, publisher).")],
    responses={200: ExternalFactCheckSerializer(many=True), **LIST_ERRORS},
)
class ExternalFactCheckList(generics.ListAPIView):
    serializer_class = ExternalFactCheckSerializer
    permission_classes = [IsAuthenticated]
    filter_backends: list = []  # search_external is the one search rule, shared with other callers

    def get_queryset(self):
        # NUL cannot be stored in or compared with PostgreSQL text; it never belongs in a search anyway.
        return search_external(self.request.query_params.get("q", "")[:500].replace("\x00", ""))
