"""Root URLs. The whole /api/v1/ tree is mounted here, in one place; the public site brings its own pages."""

from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from claims.api_catalog import TopicViewSet
from core.api import TokenView, api_add_slash, api_not_found
from core.openapi import SchemaView
from factcheck.integrations.external_api import ExternalFactCheckList
from factcheck.integrations.webhooks_api import WebhookEndpointViewSet
from factcheck.record import api as factcheck_api
from factcheck.site.csp import REDOC_POLICY, SWAGGER_UI_POLICY, with_policy
from factcheck.site.tips.api import ReaderTipApi
from reviews import api as reviews_api
from reviews import api_matching
from reviews.api_claims import ClaimViewSet, ReportViewSet, corrections, retract
from reviews.api_people import ClaimantViewSet, ReviewerProfileViewSet, desk_stats
from reviews.health import healthz

router = DefaultRouter()
router.register("reports", ReportViewSet, basename="report")
router.register("claims", ClaimViewSet, basename="claim")
router.register("assignments", reviews_api.AssignmentViewSet, basename="assignment")
router.register("reviewers", ReviewerProfileViewSet, basename="reviewer")
router.register("ratings", factcheck_api.RatingScaleViewSet, basename="rating-scale")
router.register("fact-checks", factcheck_api.FactCheckViewSet, basename="fact-check")
router.register("webhooks", WebhookEndpointViewSet, basename="webhook")  # + webhooks/{id}/deliveries/
router.register("topics", TopicViewSet, basename="topic")
router.register("claimants", ClaimantViewSet, basename="claimant")

claim_actions = [
    path("claims/<int:pk>/review/", reviews_api.claim_review, name="claim-review"),
    path("claims/<int:pk>/review/sources/", reviews_api.add_source, name="claim-review-sources"),
    path("claims/<int:pk>/review/sources/order/", reviews_api.order_sources, name="claim-review-sources-order"),
    path("claims/<int:pk>/review/sources/<int:source_id>/", reviews_api.remove_source, name="claim-review-source"),
    path("claims/<int:pk>/review/submit/", reviews_api.submit_review, name="claim-review-submit"),
    path("claims/<int:pk>/return/", reviews_api.return_review, name="claim-return"),
    path("claims/<int:pk>/approve/", reviews_api.approve, name="claim-approve"),
    path("claims/<int:pk>/assign/", reviews_api.assign, name="claim-assign"),
    path("claims/<int:pk>/corrections/", corrections, name="claim-corrections"),
    path("claims/<int:pk>/retract/", retract, name="claim-retract"),
    path("claims/<int:pk>/similar/", api_matching.claim_similar, name="claim-similar"),
    path("claims/<int:pk>/duplicate/", api_matching.mark_duplicate, name="claim-duplicate"),
    path("claims/similar/", api_matching.similar_search, name="claims-similar"),
    path("reports/<int:pk>/candidates/", api_matching.report_candidates, name="report-candidates"),
    path("reports/<int:pk>/fetch/", api_matching.fetch_again, name="report-fetch"),
    path("desk/stats/", desk_stats, name="desk-stats"),
]

swagger_ui = SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="factcheck/api_docs/swagger_ui.html")
redoc = SpectacularRedocView.as_view(url_name="schema", template_name="factcheck/api_docs/redoc.html")

api_v1 = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("schema/", SchemaView.as_view(), name="schema"),  # errors in JSON, the schema in YAML or JSON
    # The docs load nothing from other hosts (drf-spectacular-sidecar's copies) and no inline script: Swagger UI's
    # start-up script is the same view's ?script answer. The templates leave out the inline styles and web fonts.
    path("docs/", with_policy(SWAGGER_UI_POLICY)(swagger_ui), name="swagger-ui"),
    path("redoc/", with_policy(REDOC_POLICY)(redoc), name="redoc"),
    path("tips/", ReaderTipApi.as_view(), name="api-tips"),
    path("external-fact-checks/", ExternalFactCheckList.as_view(), name="api-external-fact-checks"),
    *claim_actions,
    path("", include(router.urls)),
]

urlpatterns = [
    path("healthz/", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("workspace/", include("reviews.workspace.urls")),
    path("", include("factcheck.site.urls")),
    path("", include("factcheck.site.discovery_urls")),
    # Last: a JSON 404 for any other path under /api/v1/, and a 308 for one that lacks its trailing slash.
    re_path(r"^api/v1/[\s\S]*/$", api_not_found),  # [\s\S]: any character, newlines too
    re_path(r"^api/v1/[\s\S]*[^/]$", api_add_slash),  # a 308 to the same address with its slash
]

# Failures outside a view's own handling: JSON under /api/, a plain page elsewhere (core/error_pages.py).
handler400 = "core.error_pages.bad_request"
handler403 = "core.error_pages.permission_denied"
handler404 = "core.error_pages.page_not_found"
handler500 = "core.error_pages.server_error"
