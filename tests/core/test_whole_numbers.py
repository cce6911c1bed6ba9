"""Numbers read from query strings and form fields: only plain ASCII digits count, never "²" or "٣"."""

import pytest

from core.text import whole_number


@pytest.mark.parametrize(("typed", "number"), [("0", 0), ("42", 42), ("007", 7), ("9" * 18, int("9" * 18))])
def test_plain_digits_are_read(typed, number):
    assert whole_number(typed) == number


@pytest.mark.parametrize("typed", ["", "²", "٣", "\uff14\uff12", "-1", "+1", " 1", "1.0", "1e3", "9" * 19, "9" * 5000])
def test_anything_else_is_no_number(typed):
    # str.isdigit() is true of "²" (int() refuses it) and of "٣" and "\uff14\uff12" (which int() reads as 3 and 42).
    assert whole_number(typed) is None


def test_a_longer_number_may_be_allowed():
    assert whole_number("1" * 25, digits=30) == int("1" * 25)
