"""Accounts of the desk: create or update a member with a role (and a reviewer profile for reviewers)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from claims.models import Topic
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
):
    # Languages matter only to a reviewer's profile, whose own rule (check_profile) refuses unknown codes: the
    # transaction then leaves no account behind.
    topic_objs = [Topic.objects.get_or_create(slug=slug, defaults={"name": slug.title()})[0] for slug in topics or []]
    user, _ = get_user_model().objects.get_or_create(username=username)
    if email is not None:
        user.email = email
    if password:
        user.set_password(password)
    # The admin is the editors' desk; journalists and reviewers work in the workspace (reviews.workspace).
    user.is_staff = user.is_staff or role == Role.EDITOR
    user.save()
    grant_role(user, role)
    _grant_admin_permissions(role)
    if role == Role.REVIEWER:
        _update_profile(user, languages, topic_objs if topics is not None else None, capacity)
    return user


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
