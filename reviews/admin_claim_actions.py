"""The desk's actions on claims in the admin: each runs on a confirmation page (GET shows the form and the claims,
POST calls the service once per claim) reached from the claims list or from the claim's own page."""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime

from claims import duplicates
from claims import services as claim_services
from claims.models import Claim, ClaimStatus
from core.admin_actions import AlreadyDone, object_link, run_service_on_each
from core.errors import IllegalTransition
from core.roles import is_editor
from core.text import whole_number
from factcheck.record import services as publishing
from factcheck.record.models import FactCheck
from reviews import admin_claim_forms as forms
from reviews import admin_claim_refusals as refusals
from reviews import selectors
from reviews.models import Assignment
from reviews.services import assignments, verdicts

S = ClaimStatus
Run = Callable[[Claim, AbstractBaseUser, dict], Any]
Describe = Callable[[Claim, Any], str]


@dataclass(frozen=True)
class ClaimAction:
    name: str
    title: str  # the confirmation page's heading and the bulk action's description
    button: str  # the claim page's button and the confirmation's submit
    statuses: tuple[str, ...]  # where its button shows; the service decides what it accepts
    form: type[forms.ConfirmForm]
    run: Run
    describe: Describe
    # The status the action moves a claim to, and the action in words once done ("accepted"): a claim whose history
    # shows the move already made is reported as done (the same form sent again, or from a second tab), not refused.
    leaves: str | None = None
    done: str = ""


def _claim(claim: Claim) -> str:
    return object_link(claim)


def _due(assignment) -> str:
    return date_format(localtime(assignment.due_at), "j M H:i")


def _public_link(fact_check) -> str:
    url = fact_check.get_absolute_url()
    return format_html('<a href="{}">{}</a>', url, url)


def _accept(claim: Claim, editor, data: dict) -> Claim:
    return claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept", **data)


def _reject(claim: Claim, editor, data: dict) -> Claim:
    return claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="reject", **data)


def _route(claim: Claim, editor, data: dict) -> Assignment:
    assignment = assignments.route_claim(claim_id=claim.pk)
    if assignment is None:
        # Routing answers "nobody" without an error; the editor still needs to hear why nothing happened.
        claim.refresh_from_db(fields=["status"])
        if claim.status != S.QUEUED:
            raise IllegalTransition(
                f"A claim that is {claim.status} is not in the queue: only queued claims are routed."
            )
        raise IllegalTransition(f"It stays queued: {selectors.queue_reason(claim)}.")
    return assignment


def _assign(claim: Claim, editor, data: dict) -> Assignment:
    try:
        return assignments.assign_by_hand(
            claim_id=claim.pk,
            editor=editor,
            reviewer_id=data["reviewer"],
            note=data["note"],
            based_on_assignment=data["based_on_assignment"],
        )
    except IllegalTransition:
        # Refused with the chosen reviewer already holding the claim: the same assignment sent again.
        claim.refresh_from_db(fields=["status"])
        if not claim.assignments.active().filter(reviewer_id=data["reviewer"]).exists():
            raise
        raise AlreadyDone(format_html("{} is already {}.", _claim(claim), refusals.where_now(claim))) from None


def _return(claim: Claim, editor, data: dict) -> str:
    verdicts.return_review(claim_id=claim.pk, editor=editor, note=data["note"])
    return claim.review.reviewer.get_username() if hasattr(claim, "review") else "its reviewer"


def _approve(claim: Claim, editor, data: dict) -> FactCheck:
    return verdicts.approve_claim(
        claim_id=claim.pk, editor=editor, note=data["note"], submitted_at=data["submitted_at"]
    )


def _correct(claim: Claim, editor, data: dict) -> FactCheck:
    changes = forms.correction_changes(forms.current_version(claim), data)
    publishing.correct(claim_id=claim.pk, editor=editor, note=data["note"], **changes)
    return claim.fact_check


def _retract(claim: Claim, editor, data: dict) -> FactCheck:
    return publishing.retract(claim_id=claim.pk, editor=editor, reason=data["reason"])


def _duplicate(claim: Claim, editor, data: dict) -> Claim:
    result = duplicates.mark_duplicate(
        claim_id=claim.pk, canonical_id=data["canonical"], editor=editor, note=data["note"]
    )
    if result.already_marked:
        raise AlreadyDone(format_html("{} is already a duplicate of #{}.", _claim(claim), result.duplicate_of_id))
    return result


def _accepted(claim: Claim, result: Claim) -> str:
    accepted = format_html("{} accepted into the queue ({} priority)", _claim(claim), result.get_priority_display())
    # Routing runs once the triage commits: in-process it has already offered the claim; a worker may not have yet.
    offer = result.assignments.active().select_related("reviewer").first()
    if offer is None:
        # Whether or not routing has run yet, a claim no reviewer can take should say so now, not later.
        reason = selectors.queue_reason(result)
        if reason != selectors.WAITING_FOR_ROUTING:
            return format_html("{}; it stays queued: {}.", accepted, reason)
        return format_html("{}; routing will offer it to a reviewer.", accepted)
    return format_html("{} and offered to {} (due {}).", accepted, offer.reviewer.get_username(), _due(offer))


def _rejected(claim: Claim, result: Claim) -> str:
    return format_html("{} rejected.", _claim(claim))


def _duplicated(claim: Claim, result: Claim) -> str:
    return format_html("{} rejected as a duplicate of {}.", _claim(claim), _claim(result.duplicate_of))


def _offered(claim: Claim, assignment: Assignment) -> str:
    reviewer, due = assignment.reviewer.get_username(), _due(assignment)
    return format_html("{} offered to {} (due {}).", _claim(claim), reviewer, due)


def _assigned(claim: Claim, assignment: Assignment) -> str:
    reviewer, due = assignment.reviewer.get_username(), _due(assignment)
    return format_html("{} assigned to {} (due {}).", _claim(claim), reviewer, due)


def _returned(claim: Claim, reviewer: str) -> str:
    return format_html("{} returned to {} with your comments.", _claim(claim), reviewer)


def _published(claim: Claim, fact_check: FactCheck) -> str:
    return format_html("{} published: {}", _claim(claim), _public_link(fact_check))


def _corrected(claim: Claim, fact_check: FactCheck) -> str:
    return format_html("{} corrected: {}", _claim(claim), _public_link(fact_check))


def _retracted(claim: Claim, fact_check: FactCheck) -> str:
    return format_html("{} retracted; its page is now a tombstone: {}", _claim(claim), _public_link(fact_check))


_TRIAGE, _QUEUE, _WITH_REVIEWER = (S.SUBMITTED,), (S.QUEUED,), (S.QUEUED, S.ASSIGNED, S.IN_REVIEW)
_DUPLICATE = (S.SUBMITTED, S.REJECTED)  # at triage, or to link a claim already rejected
_APPROVAL, _PUBLISHED = (S.AWAITING_APPROVAL,), (S.PUBLISHED,)
ACTIONS = {
    action.name: action
    for action in [
        ClaimAction(
            "accept",
            "Triage: accept into the queue",
            "Accept",
            _TRIAGE,
            forms.AcceptForm,
            _accept,
            _accepted,
            S.QUEUED,
            "accepted",
        ),
        ClaimAction(
            "reject", "Triage: reject", "Reject", _TRIAGE, forms.RejectForm, _reject, _rejected, S.REJECTED, "rejected"
        ),
        ClaimAction(
            "duplicate",
            "Mark as duplicate…",
            "Mark as duplicate",
            _DUPLICATE,
            forms.DuplicateForm,
            _duplicate,
            _duplicated,
        ),
        ClaimAction(
            "route",
            "Route now to the best eligible reviewer",
            "Route now",
            _QUEUE,
            forms.ConfirmForm,
            _route,
            _offered,
            S.ASSIGNED,
            "offered to a reviewer",
        ),
        ClaimAction(
            "assign", "Assign or reassign to a reviewer", "Assign", _WITH_REVIEWER, forms.AssignForm, _assign, _assigned
        ),
        ClaimAction(
            "return",
            "Return to the reviewer with comments",
            "Return with comments",
            _APPROVAL,
            forms.ReturnForm,
            _return,
            _returned,
            S.IN_REVIEW,
            "returned to its reviewer",
        ),
        ClaimAction(
            "approve",
            "Approve and publish the verdict",
            "Approve and publish",
            _APPROVAL,
            forms.ApproveForm,
            _approve,
            _published,
            S.PUBLISHED,
            "approved",
        ),
        ClaimAction(
            "correct", "Correct the published verdict", "Correct", _PUBLISHED, forms.CorrectForm, _correct, _corrected
        ),
        ClaimAction(
            "retract",
            "Retract the published verdict",
            "Retract",
            _PUBLISHED,
            forms.RetractForm,
            _retract,
            _retracted,
            S.RETRACTED,
            "retracted",
        ),
    ]
}


# A selection travels in the session, under a key in the page's address: one address or form field per claim would
# pass the server's limits on fields (DATA_UPLOAD_MAX_NUMBER_FIELDS) and on the length of an address long before
# "select all" stops selecting. Beyond SELECTION_LIMIT one request could not act on every claim in time.
SELECTION_LIMIT = 2000
IDS_IN_ADDRESS = 50  # a claim's own buttons, and small selections, name their ids in the address
_SELECTIONS = "desk_claim_selections"
_SELECTIONS_KEPT = 10  # the latest selections, enough for a few tabs


def action_url(name: str, claim_ids, back: str = "claim", request: HttpRequest | None = None) -> str:
    ids = [int(pk) for pk in claim_ids]
    query = QueryDict(mutable=True)
    if request is not None and len(ids) > IDS_IN_ADDRESS:
        query["selection"] = _keep_selection(request, ids)
    else:
        query.setlist("ids", [str(pk) for pk in ids])
    query["back"] = back
    return f"{reverse('admin:claims_claim_action', args=[name])}?{query.urlencode()}"


def _keep_selection(request: HttpRequest, ids: list[int]) -> str:
    key = secrets.token_urlsafe(12)
    kept = dict(list(request.session.get(_SELECTIONS, {}).items())[-(_SELECTIONS_KEPT - 1) :])
    request.session[_SELECTIONS] = {**kept, key: ids}
    return key


def buttons_for(claim: Claim) -> list[tuple[str, str]]:
    """(label, URL) of the actions the claim's status allows, for its page."""
    return [(a.button, action_url(a.name, [claim.pk])) for a in ACTIONS.values() if claim.status in a.statuses]


def bulk_actions() -> list[Callable]:
    """The claims list's actions: each takes the selection to its confirmation page."""
    return [_bulk(action) for action in ACTIONS.values()]


def _bulk(action: ClaimAction) -> Callable:
    def to_confirmation(modeladmin, request, queryset) -> HttpResponseRedirect | None:
        ids = list(queryset.order_by("pk").values_list("pk", flat=True)[: SELECTION_LIMIT + 1])
        if len(ids) > SELECTION_LIMIT:
            # Said before the editor types a reason that could then not be used.
            message = f"Select at most {SELECTION_LIMIT:,} claims for one action; narrow the list with its filters."
            modeladmin.message_user(request, message, "error")
            return None
        return redirect(action_url(action.name, ids, back="list", request=request))

    to_confirmation.__name__ = f"{action.name}_claims"
    return admin.action(description=action.title)(to_confirmation)


def _selected_ids(request: HttpRequest, data: QueryDict) -> list[int]:
    kept = request.session.get(_SELECTIONS, {}).get(data.get("selection", ""), [])
    given = [number for value in data.getlist("ids") if (number := whole_number(value)) is not None]
    return [*kept, *given][:SELECTION_LIMIT]


def confirm_view(modeladmin: admin.ModelAdmin, request: HttpRequest, name: str) -> HttpResponse:
    """GET shows the form and the selected claims; POST runs the action on each and goes back with a message each."""
    if not is_editor(request.user):
        raise PermissionDenied("Only editors act on claims.")
    action = ACTIONS.get(name)
    if action is None:
        raise Http404("No such action on claims.")
    data = request.POST if request.method == "POST" else request.GET
    claims = list(
        selectors.claims_visible_to(request.user)
        .filter(pk__in=_selected_ids(request, data))
        .select_related("fact_check__current_version__rating", "review__reviewer")
        .order_by("pk")
    )
    back = _back_url(claims, data.get("back"))
    if not claims:
        asked = ", ".join(f"#{value}" for value in data.getlist("ids")[:5])
        refusal = f"No claim {asked}: its number is wrong, or it is gone." if asked else "Select at least one claim."
        modeladmin.message_user(request, refusal, "warning")
        return redirect(back)
    one = claims[0] if len(claims) == 1 else None
    if request.method == "GET" and one and refusals.said_on_opening(modeladmin, request, action, one):
        return redirect(back)  # before the editor types what the claim could not take
    form, status = _form(action, data if request.method == "POST" else None, claims, request.user), 200
    if request.method == "POST" and form.is_valid() and one:
        # Refused, the form comes back with what the editor typed and the reason, not the claim's page without either.
        if (status := refusals.run_on_one(modeladmin, request, action, one, form)) is None:
            return redirect(back)
    elif request.method == "POST" and form.is_valid():
        run_service_on_each(
            modeladmin,
            request,
            claims,
            lambda claim: refusals.run_once(action, claim, request.user, form.cleaned_data),
            action.describe,
            refusals.explain,
        )
        return redirect(back)
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.model._meta,
        "title": action.title,
        "action": action,
        "claims": claims,
        "form": form,
        "back": data.get("back", "claim"),
        "selection": data.get("selection", ""),
        "back_url": back,
        "media": modeladmin.media + form.media,
    }
    return TemplateResponse(request, "admin/reviews/claim_actions/confirm.html", context, status=status)


def _form(action: ClaimAction, data, claims: list[Claim], user) -> forms.ConfirmForm:
    if action.form is forms.AssignForm:
        return forms.AssignForm(data, claims=claims, options=selectors.reviewer_options(claims))
    if action.form is forms.DuplicateForm:
        return forms.DuplicateForm(data, claims=claims, suggestions=forms.duplicate_suggestions(claims, user))
    return action.form(data, claims=claims)


def _back_url(claims: list[Claim], back: str | None) -> str:
    if back != "list" and len(claims) == 1:
        return reverse("admin:claims_claim_change", args=[claims[0].pk])
    return reverse("admin:claims_claim_changelist")
