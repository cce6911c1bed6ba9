"""How the desk's admin lists show a cell: cut text with the whole of it on hover, and badges; styled by
desk/desk.css, which DeskListStyle brings to any ModelAdmin that mixes it in."""

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator


class DeskListStyle:
    """The desk's list styles (badges, cut text) for these tables, from the admin site's stylesheet."""

    class Media:
        css = {"all": ["desk/desk.css"]}


def truncated(text: str, length: int = 60) -> SafeString:
    """The start of a long text for a list cell; the whole of it shows on hover."""
    return format_html('<span class="desk-truncate" title="{}">{}</span>', text, Truncator(text).chars(length))


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
