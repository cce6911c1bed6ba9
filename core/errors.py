"""Domain errors raised by services, and the one HTTP status each is answered with, by the API (core.api_errors) and
by the pages that show a refusal with the form it refused."""

from http import HTTPStatus


class DomainError(Exception):
    """A rule of the desk forbids this action."""


class IllegalTransition(DomainError):
    """The object is not in a state that allows this step (HTTP 409)."""


class EditedSince(IllegalTransition):
    """What the caller's form was filled from has been replaced by someone else's change since (HTTP 409): the form,
    with what was typed in it, is worth showing again rather than dropping."""


class FourEyesViolation(DomainError):
    """The same person may not hold two roles on one claim, e.g. review what they submitted (HTTP 403)."""


class NotAllowed(DomainError):
    """The actor's role does not allow this action on an object they can see (HTTP 403)."""


class InvalidInput(DomainError):
    """Input that passed the shape checks breaks a domain rule; carries field messages (HTTP 400)."""

    def __init__(self, errors: dict[str, list[str]] | str) -> None:
        self.errors = errors if isinstance(errors, dict) else {"detail": [errors]}
        super().__init__(str(self.errors))


_STATUS = {
    InvalidInput: HTTPStatus.BAD_REQUEST,
    IllegalTransition: HTTPStatus.CONFLICT,
    # Four eyes is a rule about who acts, not about the object's state: the same step by someone else succeeds.
    FourEyesViolation: HTTPStatus.FORBIDDEN,
    NotAllowed: HTTPStatus.FORBIDDEN,
}


def http_status(error: DomainError) -> int:
    """The status a refusal is answered with: a rule this module does not name is a conflict with the object's state."""
    return next((code for kind, code in _STATUS.items() if isinstance(error, kind)), HTTPStatus.CONFLICT)
