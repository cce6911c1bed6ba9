"""API v1 for reviewer profiles and the editors' desk overview."""

from django.db.models import Count, Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from claims.errors import NotAllowed
from claims.roles import is_editor
from reviews import profiles, stats
from reviews.models import ACTIVE_STATES, ReviewerProfile
from reviews.serializers import DeskStatsSerializer, ReviewerProfileInputSerializer, ReviewerProfileSerializer


class ReviewerProfileViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Editors see and edit every reviewer; a reviewer sees and edits their own profile."""

    queryset = ReviewerProfile.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = ReviewerProfileSerializer
    http_method_names = ["get", "patch", "head", "options"]
    filterset_fields = ["active"]
    search_fields = ["user__username"]
    ordering_fields = ["user__username", "capacity"]

    def get_queryset(self):
        qs = ReviewerProfile.objects.select_related("user").prefetch_related("topics").annotate(
            load=Count("user__assignments", filter=Q(user__assignments__state__in=ACTIVE_STATES))
        ).order_by("user__username")
        return qs if is_editor(self.request.user) else qs.filter(user=self.request.user)

    @extend_schema(request=ReviewerProfileInputSerializer, responses={200: ReviewerProfileSerializer})
    def partial_update(self, request, pk=None):
        profile = self.get_object()
        data = ReviewerProfileInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profiles.update_profile(profile_id=profile.pk, actor=request.user, **data.validated_data)
        return Response(ReviewerProfileSerializer(self.get_queryset().get(pk=profile.pk)).data)


@extend_schema(responses={200: DeskStatsSerializer})
@api_view(["GET"])
def desk_stats(request: Request) -> Response:
    """For editors: claims per status, overdue assignments, each reviewer's load, median time queued → published."""
    if not is_editor(request.user):
        raise NotAllowed("Only editors see the desk overview.")
    return Response(DeskStatsSerializer(stats.desk_stats(timezone.now())).data)
