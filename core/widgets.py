"""Form widgets, and a choice field, for the public pages' hot paths.

Django renders each widget, and every option of a select, through a template of its own: about 50 µs apiece, 4 ms
for the list's filter form, which offers every topic. These write the same markup in Python.

Django also normalizes a field's choices every time they are set, for the field and again for its widget, to accept
groups, enumerations and callables: 0.15 ms for the list's 50 options, on every request. `PlainChoiceField` and
`PlainSelect` take flat (value, label) pairs and keep them as given.
"""

from django import forms
from django.utils.safestring import SafeString, mark_safe

from core.html import escaped


def _attributes(attrs: dict) -> str:
    """As Django's attrs.html writes them: in their order, a True one bare, a False one left out."""
    return "".join(
        f" {escaped(name)}" if value is True else f' {escaped(name)}="{escaped(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class PlainSelect(forms.Select):
    """A single-choice select without optgroups, written in Python as Django's template writes it."""

    @property
    def choices(self) -> list:
        return self._choices

    @choices.setter
    def choices(self, value) -> None:
        self._choices = list(value)

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        chosen = set(self.format_value(value))
        options = "".join(
            f'  <option value="{escaped(option_value)}"{" selected" if str(option_value) in chosen else ""}>'
            f"{escaped(label)}</option>\n\n"
            for option_value, label in self.choices
        )
        final_attrs = self.build_attrs(self.attrs, attrs)
        return mark_safe(f'<select name="{escaped(name)}"{_attributes(final_attrs)}>\n{options}</select>')


class PlainInputMixin:
    """An <input> written in Python as Django's input.html writes it (type, name, value, then the attributes)."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else f' value="{escaped(widget["value"])}"'
        return mark_safe(
            f'<input type="{escaped(widget["type"])}" name="{escaped(name)}"{shown}{_attributes(widget["attrs"])}>'
        )


class PlainTextInput(PlainInputMixin, forms.TextInput):
    pass


class PlainSearchInput(PlainInputMixin, forms.SearchInput):
    pass


class PlainDateInput(PlainInputMixin, forms.DateInput):
    pass


class PlainChoiceField(forms.ChoiceField):
    """A ChoiceField over flat (value, label) pairs, shown by a PlainSelect; it validates as ChoiceField does."""

    widget = PlainSelect

    @property
    def choices(self) -> list:
        return self._choices

    @choices.setter
    def choices(self, value) -> None:
        self._choices = self.widget.choices = list(value)
