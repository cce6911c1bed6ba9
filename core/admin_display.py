"""How the desk's admin shows things: in lists, cut text with the whole of it on hover, and badges, styled by
desk/desk.css, which DeskListStyle brings to any ModelAdmin that mixes it in; on a row's page, people by name."""

from collections.abc import Callable, Iterable
from functools import cache

from django.contrib.auth import get_user_model
from django.db.models import Model
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator

FieldName = str | Callable


@cache
def _by_name(model: type[Model], field_name: str) -> Callable:
    """Shows a read-only user field as the user's name. One function per field, since the admin finds a read-only
    field in its fieldsets by identity."""

    def person(obj: Model) -> str:
        user = getattr(obj, field_name)
        return str(user) if user is not None else "-"

    person.__name__ = field_name  # the row keeps its CSS class, field-<name>
    person.short_description = model._meta.get_field(field_name).verbose_name
    return person


def _user_fields(model: type[Model]) -> frozenset[str]:
    user_model = get_user_model()
    return frozenset(
        f.name for f in model._meta.get_fields() if f.many_to_one and f.concrete and f.related_model is user_model
    )


class PeopleByName:
    """On a row's page, a read-only user field (who submitted, acted, reviewed) shows the user's name instead of a
    link to the user's admin page, which answers 403 to anyone who may not manage accounts. Mix in before
    admin.ModelAdmin."""

    def _named_fields(self, request: HttpRequest, obj: Model | None) -> frozenset[str]:
        user_opts = get_user_model()._meta
        if request.user.has_perm(f"{user_opts.app_label}.change_{user_opts.model_name}"):
            return frozenset()
        users = _user_fields(self.model)
        if obj is not None and not self.has_change_permission(request, obj):
            return users  # a page the viewer may only look at shows every field read-only
        return users.intersection(super().get_readonly_fields(request, obj))

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[FieldName]:
        # The names stay too: the form must leave those fields out.
        named = [_by_name(self.model, name) for name in sorted(self._named_fields(request, obj))]
        return [*super().get_readonly_fields(request, obj), *named]

    def get_fieldsets(self, request: HttpRequest, obj: Model | None = None) -> list:
        # Only fields whose function the admin will find among the read-only ones: a subclass may have its own
        # get_readonly_fields.
        read_only = set(self.get_readonly_fields(request, obj))
        named = frozenset(n for n in self._named_fields(request, obj) if _by_name(self.model, n) in read_only)
        return [
            (title, {**options, "fields": _swapped(options["fields"], named, self.model)})
            for title, options in super().get_fieldsets(request, obj)
        ]


def _swapped(fields: Iterable, named: frozenset[str], model: type[Model], seen: set | None = None) -> list:
    """The fields with each named user field in its place as its function, once (a fieldset line may be a tuple)."""
    seen = set() if seen is None else seen
    result = []
    for field in fields:
        if isinstance(field, list | tuple):
            line = _swapped(field, named, model, seen)
            if line:
                result.append(tuple(line))
            continue
        shown = _by_name(model, field) if isinstance(field, str) and field in named else field
        if shown in seen:
            continue
        seen.add(shown)
        result.append(shown)
    return result


class DeskListStyle(PeopleByName):
    """The desk's way of showing a table: list styles (badges, cut text) from the admin site's stylesheet, and
    people by name on a row's page."""

    class Media:
        css = {"all": ["desk/desk.css"]}


def truncated(text: str, length: int = 60) -> SafeString:
    """The start of a long text for a list cell; the whole of it shows on hover."""
    # dir="auto": an Arabic or Hebrew text is cut at its end, and its ellipsis shows there, not before its start.
    html = '<span class="desk-truncate" title="{}" dir="auto">{}</span>'
    return format_html(html, text, Truncator(text).chars(length))


def badge(kind: str, value: str, label: str | None = None) -> SafeString:
    """A coloured label for a state, a status or a priority (classes desk-<kind>-<value> in desk.css)."""
    return format_html('<span class="desk-badge desk-{}-{}">{}</span>', kind, value, label or value)


class ReadOnlyRecord:
    """For audit trails and records only the services write: editors read them, nobody adds, edits or deletes."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
