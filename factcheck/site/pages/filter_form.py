"""The list's filter form as markup, written once for each set of filter values while the choices stay the same.

The form's controls depend only on the values a request gives its fields and on the filter choices (the options of
the selects and the claimant suggestions), which change only when a recount of the published fact-checks lands. Every
page of the list with the same filters shows the same form, and writing its controls through Django's forms and
templates cost about a sixth of a cold page's Python; a cold page (another page number, a page after a publication)
now writes it once per process for each new set of values or choices.

A value the choices lack but that names a real topic, rating or language is offered too (ListFilters.unlisted): what
it shows is read from the rows, so a kept form serves only while those options stay the same as well.
"""

from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.kept import KeptRecently
from core.links import reverse_once
from factcheck.record.selectors import FilterChoices

# Each entry is one form's markup (a few kB) and the options it shows (the choices and the unlisted values offered),
# kept for the commonest sets of filter values.
WRITTEN_FORMS: KeptRecently[tuple[tuple[FilterChoices, tuple], str]] = KeptRecently(256)


def filter_form_markup(form, choices: FilterChoices, *, filtered: bool) -> SafeString:
    """The <form> of `list.html` for this request: the one written for the same values and choices, if kept."""
    values = (tuple(form.data.getlist(name)) for name in form.fields)
    key = (get_language(), get_script_prefix(), filtered, *values)
    shown = (choices, form.unlisted)
    kept = WRITTEN_FORMS.get(key, None)
    if kept is not None and kept[0] == shown:
        return mark_safe(kept[1])
    context = {"form": form, "filtered": filtered, "claimant_names": choices.claimants}
    markup = render_to_string("factcheck/_filters.html", {**context, "list_url": reverse_once("factcheck:list")})
    WRITTEN_FORMS.put(key, (shown, markup))
    return mark_safe(markup)
