"""Accounts of the desk: create or update a member with a role (and a reviewer profile for reviewers).

A password a person chose (`add_member` from the command line) is checked against AUTH_PASSWORD_VALIDATORS
(`check_password_rules=True`); the demo's accounts and the tests' fixtures set theirs as given. A member created
without a password cannot sign in until one is set (`can_sign_in`).
"""

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction

from claims.models import Topic
from core.errors import InvalidInput
from core.roles import Role, grant_role
from reviews.models import ReviewerProfile
from reviews.services.profiles import check_profile


@transaction.atomic
def add_member(
    *,
    username: str,
    role: Role,
    password: str | None = None,
    email: str | None = None,
    languages: list[str] | None = None,
    topics: list[str] | None = None,
    capacity: int | None = None,
    check_password_rules: bool = False,
):
    """Create or update the member `username` with `role`. With `check_password_rules`, a password that
    AUTH_PASSWORD_VALIDATORS refuse is refused (InvalidInput on `password`, every reason listed) and nothing is
    saved."""
    # Languages matter only to a reviewer's profile, whose own rule (check_profile) refuses unknown codes: the
    # transaction then leaves no account behind.
    topic_objs = [Topic.objects.get_or_create(slug=slug, defaults={"name": slug.title()})[0] for slug in topics or []]
    user, created = get_user_model().objects.get_or_create(username=username)
    if email is not None:
        user.email = email
    if password:
        if check_password_rules:
            _check_password(password, user)
        user.set_password(password)
    elif created:
        user.set_unusable_password()  # said so, rather than an empty field that no password matches
    # The admin is the editors' desk; journalists and reviewers work in the workspace (reviews.workspace).
    user.is_staff = user.is_staff or role == Role.EDITOR
    user.save()
    grant_role(user, role)
    _grant_admin_permissions(role)
    if role == Role.REVIEWER:
        _update_profile(user, languages, topic_objs if topics is not None else None, capacity)
    return user


def _check_password(password: str, user) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput({"password": [f"The password is refused: {' '.join(exc.messages)}"]}) from None


def can_sign_in(user) -> bool:
    """Whether the member has a password to sign in with (one created without any has none)."""
    return bool(user.password) and user.has_usable_password()


def _update_profile(user, languages, topic_objs, capacity) -> ReviewerProfile:
    profile, _ = ReviewerProfile.objects.get_or_create(user=user, defaults={"languages": languages or ["en"]})
    if languages:
        profile.languages = languages
    if capacity is not None:
        profile.capacity = capacity
    check_profile(profile)
    profile.save()
    if topic_objs is not None:
        profile.topics.set(topic_objs)
    return profile


ADMIN_PERMISSIONS = {
    # Editors view and change desk objects in the admin; status still moves only through the admin actions.
    Role.EDITOR: {
        "content_type__app_label__in": ["claims", "reviews", "factcheck"],
        "codename__regex": r"^(view|change)_",
    },
}


def _grant_admin_permissions(role: Role) -> None:
    if role in ADMIN_PERMISSIONS:
        perms = Permission.objects.filter(**ADMIN_PERMISSIONS[role])
        Group.objects.get(name=role.group_name).permissions.add(*perms)
