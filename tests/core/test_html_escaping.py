"""core.html.escaped escapes as Django's conditional_escape does, for every kind of value the pages pass it."""

import pytest
from django.utils.functional import lazy
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from core.html import escaped

lazy_text = lazy(lambda: "<b>Trade</b> & 'tariffs'", str)


@pytest.mark.parametrize(
    "value",
    [
        "<script>alert(\"x\")</script> & 'quotes'",
        "Министр & <Анна>",
        'السياسة "<>"',
        "预算 & 'x'",
        "",
        42,
        None,
        mark_safe("<em>already safe</em>"),
        lazy_text(),
    ],
)
def test_it_escapes_like_conditional_escape(value):
    assert escaped(value) == conditional_escape(value)
