"""KeptRecently: what a process keeps between requests in its own memory (search estimates, a form's markup, short
texts' vectors) must stay within its size, drop the least recently used first and keep None as a value."""

from core.kept import MISSING, KeptRecently


def test_the_least_recently_used_leaves_first():
    kept = KeptRecently(2)
    kept.put("бюджет", 1)
    kept.put("预算", 2)
    assert kept.get("бюджет") == 1  # now the most recently used
    kept.put("बजट", 3)

    assert len(kept) == 2
    assert kept.get("预算") is MISSING
    assert (kept.get("бюджет"), kept.get("बजट")) == (1, 3)


def test_none_is_a_value_and_a_default_can_be_asked_for():
    kept = KeptRecently(4)
    kept.put(("stamp", 7), None)

    assert kept.get(("stamp", 7)) is None
    assert kept.get(("stamp", 8), "absent") == "absent"
    kept.clear()
    assert kept.get(("stamp", 7)) is MISSING
