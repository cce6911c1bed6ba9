"""The three desk roles are Django groups; these helpers answer "may this user act as …?"."""

from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group

from core.errors import NotAllowed

User = AbstractBaseUser | AnonymousUser


class Role(StrEnum):
    JOURNALIST = "journalist"
    REVIEWER = "reviewer"
    EDITOR = "editor"

    @property
    def group_name(self) -> str:
        return f"{self.value}s"


def roles_of(user: User) -> frozenset[Role]:
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_desk_roles", None)
    if cached is None:
        cached = remember_roles(user, set(user.groups.values_list("name", flat=True)))
    return cached


def remember_roles(user: AbstractBaseUser, group_names: set[str]) -> frozenset[Role]:
    """Keep the roles that `group_names` (all of the user's groups, as just read) give, for this request's user."""
    roles = frozenset(role for role in Role if role.group_name in group_names)
    user._desk_roles = roles
    return roles


def has_role(user: User, role: Role) -> bool:
    return role in roles_of(user)


def is_editor(user: User) -> bool:
    return has_role(user, Role.EDITOR)


def is_reviewer(user: User) -> bool:
    return has_role(user, Role.REVIEWER)


def grant_role(user: AbstractBaseUser, role: Role) -> None:
    user.groups.add(Group.objects.get(name=role.group_name))
    if hasattr(user, "_desk_roles"):
        del user._desk_roles


def require_editor(user: User, action: str) -> None:
    """Refuse (403) unless the user is an editor; `action` completes "Only editors …", e.g. "approve verdicts"."""
    if not is_editor(user):
        raise NotAllowed(f"Only editors {action}.")
