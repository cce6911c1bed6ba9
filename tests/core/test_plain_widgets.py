"""core.widgets write what Django's own widgets write, for any value, attributes and errors."""

import pytest
from django import forms

from core.widgets import PlainChoiceField, PlainDateInput, PlainSearchInput, PlainSelect, PlainTextInput

CHOICES = [("", "Any topic"), ("trade", "Trade & <tariffs> (3)"), ("ekonomika", "Экономика (12)"), (7, "السياسة")]


def rendered(data: dict, choices, plain_field=PlainChoiceField, **field) -> tuple[str, str]:
    class Both(forms.Form):
        django = forms.ChoiceField(choices=choices, **field)
        plain = plain_field(choices=choices, widget=PlainSelect, **field)

    form = Both(data)
    assert form.is_valid() == (not form.errors)
    assert form.errors.get("django") == form.errors.get("plain")
    assert form.cleaned_data.get("django") == form.cleaned_data.get("plain")
    return str(form["django"]).replace("django", "FIELD"), str(form["plain"]).replace("plain", "FIELD")


@pytest.mark.parametrize(
    ("data", "choices", "field"),
    [
        ({}, CHOICES, {"required": False}),
        ({"django": "trade", "plain": "trade"}, CHOICES, {"required": False}),
        ({"django": "7", "plain": "7"}, CHOICES, {"required": False, "label": "Тема"}),
        ({"django": "<nope>", "plain": "<nope>"}, CHOICES, {"required": True}),  # invalid: aria attributes
        ({}, [], {"required": False}),
    ],
)
@pytest.mark.parametrize("plain_field", [PlainChoiceField, forms.ChoiceField])
def test_it_renders_and_validates_like_djangos_select(data, choices, field, plain_field):
    django_html, plain_html = rendered(data, choices, plain_field, **field)
    assert plain_html == django_html


def test_its_choices_can_be_set_after_the_form_is_made():
    class Filters(forms.Form):
        topic = PlainChoiceField(required=False)

    form = Filters({"topic": "ekonomika"})
    form.fields["topic"].choices = CHOICES
    assert form.is_valid() and form.cleaned_data["topic"] == "ekonomika"
    assert form.fields["topic"].widget.choices == CHOICES
    assert Filters.base_fields["topic"].choices == []  # the class's field is left as it was


def test_it_writes_valid_choices_byte_for_byte():
    django_html, plain_html = rendered({"django": "ekonomika", "plain": "ekonomika"}, CHOICES, required=False)
    assert plain_html == django_html
    assert '<option value="ekonomika" selected>Экономика (12)</option>' in plain_html
    assert "Trade &amp; &lt;tariffs&gt; (3)" in plain_html


TEXT = {"max_length": 200}
NAMES = {"list": "names", "autocomplete": "off"}
DATE = {"type": "date"}


@pytest.mark.parametrize(
    ("field", "options", "django_widget", "plain_widget", "value"),
    [
        (forms.CharField, TEXT, forms.SearchInput(), PlainSearchInput(), 'a "quoted" <b>word</b> & more'),
        (forms.CharField, TEXT, forms.TextInput(attrs=NAMES), PlainTextInput(attrs=NAMES), "Министр Анна"),
        (forms.CharField, TEXT, forms.TextInput(), PlainTextInput(), ""),
        (forms.DateField, {}, forms.DateInput(attrs=DATE), PlainDateInput(attrs=DATE), "2026-11-06"),
        (forms.DateField, {}, forms.DateInput(attrs=DATE), PlainDateInput(attrs=DATE), "not a day"),  # invalid
    ],
)
def test_its_inputs_write_what_djangos_write(field, options, django_widget, plain_widget, value):
    class Both(forms.Form):
        django = field(required=False, widget=django_widget, **options)
        plain = field(required=False, widget=plain_widget, **options)

    form = Both({"django": value, "plain": value})
    form.is_valid()
    assert str(form["plain"]).replace("plain", "FIELD") == str(form["django"]).replace("django", "FIELD")
