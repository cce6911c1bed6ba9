"""The workspace's navigation: each signed-in member sees the links of their own roles."""

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from core.roles import Role, roles_of

LINKS = [
    (Role.JOURNALIST, "workspace:my-claims", "My claims"),
    (Role.JOURNALIST, "workspace:my-reports", "My reports"),
    (Role.JOURNALIST, "workspace:submit-report", "Submit a report"),
    (Role.REVIEWER, "workspace:queue", "My queue"),
]


def workspace_links(request: HttpRequest) -> dict:
    if not request.path.startswith("/workspace/") or not request.user.is_authenticated:
        return {}
    roles = roles_of(request.user)
    links = []
    for role, name, label in LINKS:
        if role not in roles:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        links.append({"url": url, "label": label, "current": request.path == url})
    if Role.EDITOR in roles:
        links.append({"url": reverse("admin:index"), "label": "Editors' desk", "current": False})
    return {"workspace_links": links}
