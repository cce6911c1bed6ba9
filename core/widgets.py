"""Form widgets for the public pages' hot paths.

Django renders each widget, and every option of a select, through a template of its own: about 50 µs apiece, 4 ms
for the list's filter form, which offers every topic. These write the same markup in Python.
"""

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


def _attributes(attrs: dict) -> SafeString:
    """As Django's attrs.html writes them: in their order, a True one bare, a False one left out."""
    return mark_safe(
        "".join(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
            for name, value in attrs.items()
            if value is not False
        )
    )


class PlainSelect(forms.Select):
    """A single-choice select without optgroups, written in Python as Django's template writes it."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        chosen = set(self.format_value(value))
        options = (
            format_html(
                '<option value="{}"{}>{}</option>',
                option_value,
                mark_safe(" selected") if str(option_value) in chosen else "",
                label,
            )
            for option_value, label in self.choices
        )
        final_attrs = self.build_attrs(self.attrs, attrs)
        return format_html(
            '<select name="{}"{}>\n{}</select>',
            name,
            _attributes(final_attrs),
            mark_safe("".join(f"  {conditional_escape(option)}\n\n" for option in options)),
        )


class PlainInputMixin:
    """An <input> written in Python as Django's input.html writes it (type, name, value, then the attributes)."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
        return format_html('<input type="{}" name="{}"{}{}>', widget["type"], name, shown, _attributes(widget["attrs"]))


class PlainTextInput(PlainInputMixin, forms.TextInput):
    pass


class PlainSearchInput(PlainInputMixin, forms.SearchInput):
    pass


class PlainDateInput(PlainInputMixin, forms.DateInput):
    pass
