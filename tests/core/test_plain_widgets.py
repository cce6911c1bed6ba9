"""core.widgets write what Django's own widgets write, for any value, attributes and errors."""

import pytest
from django import forms

from core.widgets import PlainDateInput, PlainSearchInput, PlainSelect, PlainTextInput

CHOICES = [("", "Any topic"), ("trade", "Trade & <tariffs> (3)"), ("ekonomika", "Экономика (12)"), (7, "السياسة")]


def rendered(data: dict, choices, **field) -> tuple[str, str]:
    class Both(forms.Form):
        django = forms.ChoiceField(choices=choices, **field)
        plain = forms.ChoiceField(choices=choices, widget=PlainSelect, **field)

    form = Both(data)
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
def test_it_renders_like_djangos_select(data, choices, field):
    django_html, plain_html = rendered(data, choices, **field)
    assert plain_html == django_html


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
