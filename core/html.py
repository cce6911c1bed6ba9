"""Escaping for markup written in Python on hot paths (core.widgets, factcheck.site.markup).

`django.utils.html.escape` and `format_html` run every call through keep_lazy's check for lazy strings; on a list
page's cards and options that check cost more than the escaping. `escaped` does what `conditional_escape` does: a
value that says it is HTML (`__html__`) is kept, anything else goes through the same `html.escape`.
"""

import html


def escaped(value: object) -> str:
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))
