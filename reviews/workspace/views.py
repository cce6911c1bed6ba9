"""Sign-in, sign-out and the workspace's front door, which sends each role to its own start page."""

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from core.roles import Role, roles_of
from reviews.workspace.access import refusal

START_PAGES = {
    Role.REVIEWER: "workspace:queue",
    Role.JOURNALIST: "workspace:my-claims",
}


class SignIn(auth_views.LoginView):
    template_name = "workspace/sign_in.html"
    redirect_authenticated_user = True


class SignOut(auth_views.LogoutView):
    next_page = "workspace:sign-in"


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("workspace:sign-in")
    roles = roles_of(request.user)
    starts = [(role, reverse(name)) for role, name in START_PAGES.items() if role in roles]
    if len(starts) == 1 and Role.EDITOR not in roles:
        return redirect(starts[0][1])
    if not starts and Role.EDITOR not in roles:
        return refusal(request, "Your account has no desk role yet; ask an editor to give you one.")
    return render(request, "workspace/home.html", {"starts": starts, "is_editor": Role.EDITOR in roles})
