"""The editors' desk: Django's admin site under the newsroom's name, with the desk's dashboard as its index and its
tables grouped by the work they serve, the internal ones last under "Operations"."""

from dataclasses import dataclass

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone


@dataclass(frozen=True)
class Section:
    slug: str
    name: str
    models: tuple[str, ...]  # "app_label.modelname", or "app_label.*" for every model of an app


DESK_SECTIONS = (
    Section(
        "claims",
        "Claims",
        (
            "claims.claim",
            "claims.report",
            "claims.claimant",
            "claims.topic",
            "claims.claimevent",
            "claims.claimappearance",  # "Repeated claims": reports that repeat a claim after its verdict
        ),
    ),
    Section("review", "Review", ("reviews.assignment", "reviews.review", "reviews.source", "reviews.reviewerprofile")),
    Section("record", "Published record", ("factcheck.factcheck", "factcheck.ratingscale")),
    Section("integrations", "Integrations", ("factcheck.webhookendpoint", "factcheck.externalfactcheck")),
)
OPERATIONS = Section(
    "operations",
    "Operations",
    (
        "reviews.sweepfailure",
        "reviews.unroutablealert",
        "factcheck.webhookdelivery",
        "core.outboxevent",
        "core.idempotencyrecord",
        "axes.*",
    ),
)


# Tables the desk names by the work they show rather than by their model.
DESK_NAMES = {"claims.claimappearance": "Repeated claims"}


def _section_of(label: str, sections: tuple[Section, ...]) -> tuple[Section, int] | None:
    app_label = label.split(".")[0]
    for section in sections:
        for position, name in enumerate(section.models):
            if name in (label, f"{app_label}.*"):
                return section, position
    return None


class DeskAdminSite(admin.AdminSite):
    site_header = "Editors' desk"
    site_title = "Editors' desk"
    index_title = "Desk"
    index_template = "admin/desk/index.html"
    login_template = "admin/desk/login.html"

    @property
    def login_form(self) -> type:
        # Imported here, like the dashboard: the form's module needs the apps loaded.
        from reviews.admin import DeskLoginForm

        return DeskLoginForm

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict]:
        apps = super().get_app_list(request, app_label)
        if app_label is not None:
            return apps
        return self._in_sections(apps)

    def _in_sections(self, apps: list[dict]) -> list[dict]:
        """The desk's sections first, then any app they do not name, then Operations; sections the user may see
        nothing of are left out (Django already dropped the models they have no permission on)."""
        sections = (*DESK_SECTIONS, OPERATIONS)
        grouped: dict[str, list[tuple[int, dict]]] = {s.slug: [] for s in sections}
        others = []
        for app in apps:
            rest = []
            for model in app["models"]:
                label = model["model"]._meta.label_lower
                found = _section_of(label, sections)
                if label in DESK_NAMES:
                    model = {**model, "name": DESK_NAMES[label]}
                if found:
                    grouped[found[0].slug].append((found[1], model))
                else:
                    rest.append(model)
            if rest:
                others.append({**app, "models": rest})
        desk = [self._section_app(s, grouped[s.slug]) for s in DESK_SECTIONS if grouped[s.slug]]
        operations = [self._section_app(OPERATIONS, grouped[OPERATIONS.slug])] if grouped[OPERATIONS.slug] else []
        return [*desk, *others, *operations]

    def _section_app(self, section: Section, models: list[tuple[int, dict]]) -> dict:
        return {
            "name": section.name,
            "app_label": f"desk-{section.slug}",
            "app_url": reverse(f"{self.name}:desk_section", args=[section.slug]),
            "has_module_perms": True,
            "models": [model for _, model in sorted(models, key=lambda pair: (pair[0], pair[1]["name"]))],
        }

    def get_urls(self) -> list:
        own = [path("section/<slug:slug>/", self.admin_view(self.section_view), name="desk_section")]
        return own + super().get_urls()

    def section_view(self, request: HttpRequest, slug: str) -> HttpResponse:
        app_list = [app for app in self.get_app_list(request) if app["app_label"] == f"desk-{slug}"]
        if not app_list:
            raise Http404("No such section, or nothing in it you may see.")
        context = {
            **self.each_context(request),
            "title": app_list[0]["name"],
            "subtitle": None,
            "app_list": app_list,
            "app_label": app_list[0]["app_label"],
        }
        request.current_app = self.name
        return TemplateResponse(request, "admin/app_index.html", context)

    def index(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        # Imported here: Django imports this module while it loads the apps, before models can be imported.
        from reviews import dashboard

        context = dict(extra_context or {})
        if dashboard.may_see_dashboard(request.user):
            context["desk"] = dashboard.page_context(timezone.now())
        return super().index(request, context)


class DeskAdminConfig(AdminConfig):
    default_site = "reviews.admin_site.DeskAdminSite"
