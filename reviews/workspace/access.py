"""Who may open a workspace page, and the styled answers for those who may not or whose action was refused."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from core.errors import DomainError, FourEyesViolation, IllegalTransition, InvalidInput, NotAllowed
from core.roles import Role, has_role
from reviews.wording import in_words

View = Callable[..., HttpResponse]


def refusal(request: HttpRequest, message: str, status: int = 403) -> HttpResponse:
    """A styled error page in the workspace's own layout, with the status the API would give."""
    titles = {403: "Not allowed", 404: "Not found", 409: "Not possible now", 400: "Not accepted"}
    context = {"title": titles.get(status, "Something went wrong"), "message": message}
    return render(request, "workspace/error.html", context, status=status)


def for_role(*roles: Role) -> Callable[[View], View]:
    """Only signed-in members with one of `roles` open the page; others get the sign-in page or a styled 403.

    A domain error that escapes the view (a claim that is not theirs, a transition the service refuses) is shown
    on a styled page with the service's own words, never as a bare error page.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not any(has_role(request.user, role) for role in roles):
                needed = " or ".join(role.value for role in roles)
                return refusal(request, f"This page is for the {needed} role, which your account does not have.")
            try:
                return view(request, *args, **kwargs)
            except (Http404, ObjectDoesNotExist):
                return refusal(request, "There is nothing here, or it is not yours to see.", status=404)
            except DomainError as exc:
                return refusal(request, message_of(exc), status=status_of(exc))

        return guarded

    return decorate


def status_of(exc: DomainError) -> int:
    """The status the API gives the same refusal (core.api_errors)."""
    if isinstance(exc, NotAllowed | FourEyesViolation):
        return 403
    if isinstance(exc, InvalidInput):
        return 400
    return 409 if isinstance(exc, IllegalTransition) else 400


def message_of(exc: DomainError) -> str:
    """The refusal as the workspace shows it to people."""
    if isinstance(exc, InvalidInput):
        return " ".join(message for messages in exc.errors.values() for message in messages)
    return in_words(str(exc))
