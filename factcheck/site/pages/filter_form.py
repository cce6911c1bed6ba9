"""The list's filter form as markup, written once for each set of filter values while the choices stay the same.

The form's controls depend only on the values a request gives its fields and on the filter choices (the options of
the selects and the claimant suggestions), which change only when a recount of the published fact-checks lands. Every
page of the list with the same filters shows the same form, and writing its controls through Django's forms and
templates cost about a sixth of a cold page's Python; a cold page (another page number, a page after a publication)
now writes it once per process for each new set of values or choices.
"""

import threading
from collections import OrderedDict

from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.links import reverse_once
from factcheck.record.selectors import FilterChoices

# Each entry is one form's markup (a few kB), kept for the commonest sets of filter values.
FORMS_KEPT = 256

_written: OrderedDict[tuple, tuple[FilterChoices, str]] = OrderedDict()
_lock = threading.Lock()


def filter_form_markup(form, data: QueryDict, choices: FilterChoices, *, filtered: bool) -> SafeString:
    """The <form> of `list.html` for this request: the one written for the same values and choices, if kept."""
    key = (get_language(), get_script_prefix(), filtered, *(tuple(data.getlist(name)) for name in form.fields))
    with _lock:
        kept = _written.get(key)
        if kept is not None and kept[0] == choices:
            _written.move_to_end(key)
            return mark_safe(kept[1])
    context = {"form": form, "filtered": filtered, "claimant_names": choices.claimants}
    markup = render_to_string("factcheck/_filters.html", {**context, "list_url": reverse_once("factcheck:list")})
    with _lock:
        _written[key] = (choices, markup)
        _written.move_to_end(key)
        while len(_written) > FORMS_KEPT:
            _written.popitem(last=False)
    return mark_safe(markup)
