"""What the desk says when an action on a claim does not run: on opening its page (the claim's status does not take
it, or it has already been done), and after the form is sent (the same form again, with what the editor typed and
the service's refusal, so that nothing typed is lost)."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.text import Truncator

from claims.models import Claim, ClaimEvent, ClaimStatus
from claims.transitions import ALLOWED
from core.admin_actions import AlreadyDone, object_link, refusal_text
from core.errors import DomainError, EditedSince, IllegalTransition, InvalidInput, http_status
from reviews.wording import in_words

if TYPE_CHECKING:
    from reviews.admin_claim_actions import ClaimAction

S = ClaimStatus


def explain(error: DomainError) -> str:
    # Services word refusals with status codes ("in_review"), which the API keeps; editors read their labels.
    return in_words(refusal_text(error))


def run_once(action: "ClaimAction", claim: Claim, editor, data: dict) -> Any:
    """The action on one claim; a refusal of an action the claim has already had done is AlreadyDone."""
    try:
        return action.run(claim, editor, data)
    except EditedSince:
        raise  # what the page showed was replaced since: someone else's move, not this editor's repeated
    except IllegalTransition:
        claim.refresh_from_db(fields=["status"])
        if (first := done_by_another(action, claim, editor)) is not None:
            # Another editor's decision, not this one's repeated: the page comes back with what this editor typed.
            raise IllegalTransition(first) from None
        if (done := already_done(action, claim)) is None:
            raise
        raise AlreadyDone(done) from None


def run_on_one(modeladmin, request: HttpRequest, action: "ClaimAction", claim: Claim, form: forms.Form) -> int | None:
    """The action on the one claim of its page, said in a message as for a selection. A refusal goes on the form
    instead, beside what the editor typed, and the page's status is returned for it to be shown again; only a form
    that asks nothing, with nothing typed to keep, is refused in a message."""
    try:
        result = run_once(action, claim, request.user, form.cleaned_data)
    except AlreadyDone as done:
        modeladmin.message_user(request, done.message, messages.INFO)
    except DomainError as refused:
        if not form.fields:
            modeladmin.message_user(request, format_html("{}: {}", object_link(claim), explain(refused)), "error")
            return None
        return _put_on_form(form, refused)
    else:
        modeladmin.message_user(request, action.describe(claim, result), messages.SUCCESS)
    return None


def _put_on_form(form: forms.Form, refused: DomainError) -> int:
    """The refusal on the form, beside the field it names when the form shows that field; its page's status."""
    if isinstance(refused, InvalidInput):
        for key, texts in refused.errors.items():
            name = key.split(".")[0]  # "sources.url": the sources field
            field = name if name in form.fields and not form.fields[name].widget.is_hidden else None
            for text in texts:
                form.add_error(field, in_words(str(text)))
    else:
        form.add_error(None, explain(refused))
    if isinstance(refused, EditedSince) and hasattr(form, "read_again"):
        form.read_again()  # the page shown again shows what is there now, and acting again acts on that
    return http_status(refused)


def said_on_opening(modeladmin, request: HttpRequest, action: "ClaimAction", claim: Claim) -> bool:
    """Whether opening the action's page for this one claim is answered with a message instead of its form: the
    action has already been done, or the claim's status does not take it. Said before the editor types anything."""
    if (done := already_done(action, claim)) is not None:
        modeladmin.message_user(request, done, messages.INFO)
        return True
    if not takes(action, claim):
        wanted = " or ".join(S(status).label.lower() for status in action.statuses)
        text = format_html(
            "{}: “{}” is for a claim that is {}; this one is {}.",
            object_link(claim),
            action.button,
            wanted,
            where_now(claim),
        )
        modeladmin.message_user(request, text, messages.ERROR)
        return True
    return False


def takes(action: "ClaimAction", claim: Claim) -> bool:
    """Whether the claim's status takes the action: its button shows there, and the transition table lets the claim
    make the action's move from there."""
    return claim.status in action.statuses and (action.leaves is None or action.leaves in ALLOWED[claim.status])


def already_done(action: "ClaimAction", claim: Claim) -> str | None:
    """The message for a claim the action has already been done to (the form sent again, or from a second tab),
    or None. The claim's history decides, not its status alone: the action was done when the claim's latest move out
    of the statuses the action takes was the action's own (a claim accepted, then offered to a reviewer by routing,
    was accepted though it is no longer queued). A claim back in one of those statuses is not done: a review returned
    and submitted again awaits approval anew, and the action applies to what the editor sees now."""
    if _last_move(action, claim) is None:
        return None
    if claim.status == action.leaves:
        return format_html("{} is already {}.", object_link(claim), claim.get_status_display().lower())
    return format_html("{} is already {} (now {}).", object_link(claim), action.done, where_now(claim))


def _last_move(action: "ClaimAction", claim: Claim) -> ClaimEvent | None:
    """The claim's latest move out of the statuses the action takes, when it was the action's own."""
    if action.leaves is None or claim.status in action.statuses:
        return None
    moves = ClaimEvent.objects.filter(claim=claim, kind=ClaimEvent.Kind.TRANSITION, from_status__in=action.statuses)
    last = moves.select_related("actor").order_by("-at", "-pk").first()
    return last if last is not None and last.to_status == action.leaves else None


def done_by_another(action: "ClaimAction", claim: Claim, editor) -> str | None:
    """Who did the action first, and with what note, when another editor did (None when this one or nobody did)."""
    last = _last_move(action, claim)
    if last is None or last.actor is None or last.actor_id == editor.pk:
        return None
    note = f" with the note “{Truncator(last.note).chars(200)}”" if last.note else ""
    return f"{last.actor.get_username()} {action.done} this claim first{note}; nothing was changed."


def where_now(claim: Claim) -> str:
    """The claim's status in words, with the reviewer who holds it when one does ("assigned to rita")."""
    status = claim.get_status_display().lower()
    if claim.status not in (S.ASSIGNED, S.IN_REVIEW):
        return status
    holding = claim.assignments.active().select_related("reviewer").first()
    if holding is None:
        return status
    return f"{status} {'to' if claim.status == S.ASSIGNED else 'with'} {holding.reviewer.get_username()}"
