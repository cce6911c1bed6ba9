"""core.widgets.PlainSelect writes what Django's Select writes, for any choices, value and errors."""

import pytest
from django import forms
from django.test.html import parse_html

from core.widgets import PlainSelect

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
    assert parse_html(plain_html) == parse_html(django_html)


def test_it_writes_valid_choices_byte_for_byte():
    django_html, plain_html = rendered({"django": "ekonomika", "plain": "ekonomika"}, CHOICES, required=False)
    assert plain_html == django_html
    assert '<option value="ekonomika" selected>Экономика (12)</option>' in plain_html
    assert "Trade &amp; &lt;tariffs&gt; (3)" in plain_html
