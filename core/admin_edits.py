"""Desk pages that edit a row two people may have open at once: a save from a page opened before someone else saved
the row is refused, and the form comes back with what was typed in it.

Why: an admin page posts every field back as it showed it, and Django counts a field as changed against the row as
it is when the save arrives. A page opened before another editor's save therefore writes the old values back over
theirs, says "changed successfully", and an audited edit (a claim's history) records the revert as this editor's.
So the page carries a fingerprint of its editable fields as it loaded them, computed with the form's own fields and
signed with the secret key, so it tells nothing the page does not already show. A save is refused when the row's
fingerprint is no longer that one, unless the row already holds exactly what the page saves: the editor's own
earlier save (a double click) or the same change made twice, where nothing of anyone's would be lost.

Use: mix RefusesStaleEdits into a ModelAdmin (before admin.ModelAdmin); it sets the admin's form to CheckedAgainstRow,
the base for any form of its own (an inline's form may use that base too). A save_model whose service refuses the
edit calls `refuse_keeping_form` to show the page again with the refusal and the typed text, instead of a redirect
that would drop them.
"""

import json
from datetime import UTC, datetime, time
from typing import Any

from django import forms
from django.contrib.admin.utils import flatten_fieldsets, quote
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import router, transaction
from django.db.models import Model
from django.db.models.query import QuerySet
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare, salted_hmac

from core.text import optional_text

LOADED = "loaded_as"  # the hidden field holding the fingerprint of the row as the page loaded it
_SALT = "core.admin_edits.loaded_as"
_REFUSED = "desk_refusal_kept_in_form"  # on the request: a refusal to show in the form posted again
_REFUSED_STATUS = "desk_refusal_status"
_CONFLICTS = ("edited_since", "refused")  # the form's errors that answer 409, as the API's refusals do


def edited_since_message(obj: Model) -> str:
    return (
        f"Another person changed this {obj._meta.verbose_name} since you opened the page, so your changes were not "
        "saved: reload to see their change, then make yours again; your text is kept below."
    )


class _Fingerprint(forms.CharField):
    widget = forms.HiddenInput

    def has_changed(self, initial: Any, data: Any) -> bool:
        return False  # the page's bookkeeping: never an edit, nor a line in the admin's history of the row


def _plain(value: Any) -> Any:
    """A field's value in one form whether it was read from the row or typed: text as stored (core.text), a related
    row by its id, times in UTC to the second, a set of rows in one order."""
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, datetime):
        value = value.astimezone(UTC) if value.tzinfo is not None else value
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, time):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, str):
        return optional_text(value)
    if value is None:
        return ""
    if isinstance(value, list | tuple | set | frozenset | QuerySet):
        return sorted(str(_plain(item)) for item in value)
    return str(value)


class CheckedAgainstRow(forms.ModelForm):
    """A model form that refuses to save over a change made to its row since the page was opened (see the module)."""

    loaded_as = _Fingerprint(required=False)
    # Set on the form class for a page shown again after save_model's service refused the edit (refuse_keeping_form).
    refusal: str | None = None

    def get_initial_for_field(self, field: forms.Field, field_name: str) -> Any:
        if field_name == LOADED:
            return self._fingerprint(self._values(self.initial)) if self.instance.pk is not None else ""
        return super().get_initial_for_field(field, field_name)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.refusal:
            raise ValidationError(self.refusal, code="refused")
        loaded = cleaned.get(LOADED)
        if loaded and self.instance.pk is not None:
            self._refuse_if_changed_since(loaded)
        return cleaned

    def _refuse_if_changed_since(self, loaded: str) -> None:
        row = self._row_now()
        if row is not None:
            # Read as the form read its initial values (an inline's link to its parent is not among them).
            now = self._values(model_to_dict(row, fields=self._meta.fields, exclude=self._meta.exclude))
            if constant_time_compare(loaded, self._fingerprint(now)) or self._typed(now) == now:
                return
        raise ValidationError(edited_since_message(self.instance), code="edited_since")

    def _row_now(self) -> Model | None:
        """The row as committed now, locked until this save commits when in a transaction (the admin's save view
        is one), so that no other save lands between this check and this save."""
        model = type(self.instance)
        rows = model._default_manager.filter(pk=self.instance.pk)
        if transaction.get_connection(router.db_for_write(model)).in_atomic_block:
            rows = rows.select_for_update()
        return rows.first()

    def _edited_names(self) -> list[str]:
        return [name for name, field in self.fields.items() if name != LOADED and not field.disabled]

    def _values(self, row: dict[str, Any]) -> dict[str, Any]:
        """The editable fields' values as the page shows them, from a row's model_to_dict."""
        names = [name for name in self._edited_names() if name in row]
        return {name: _plain(self.fields[name].prepare_value(row[name])) for name in names}

    def _typed(self, now: dict[str, Any]) -> dict[str, Any] | None:
        if any(name not in self.cleaned_data for name in now):
            return None
        return {name: _plain(self.fields[name].prepare_value(self.cleaned_data[name])) for name in now}

    @staticmethod
    def _fingerprint(values: dict[str, Any]) -> str:
        return salted_hmac(_SALT, json.dumps(values, sort_keys=True, ensure_ascii=False)).hexdigest()


class RefusesStaleEdits:
    """Mix into a ModelAdmin (before admin.ModelAdmin) whose change page edits text that two editors may both have
    open: a save from a page the row changed under is refused with the form shown again (CheckedAgainstRow)."""

    form = CheckedAgainstRow

    def changeform_view(self, request: HttpRequest, object_id=None, form_url="", extra_context=None) -> HttpResponse:
        response = super().changeform_view(request, object_id, form_url, extra_context)
        context = getattr(response, "context_data", None) or {}
        # The refusal may sit on the page's own form or on a row of an inline (a rating of a scale).
        forms = [context["adminform"].form] if "adminform" in context else []
        forms += [form for inline in context.get("inline_admin_formsets", []) for form in inline.formset.forms]
        if any(form.has_error(NON_FIELD_ERRORS, code) for form in forms for code in _CONFLICTS):
            response.status_code = getattr(request, _REFUSED_STATUS, 409)
        return response

    def get_fieldsets(self, request: HttpRequest, obj: Model | None = None) -> list:
        fieldsets = super().get_fieldsets(request, obj)
        if not fieldsets or LOADED in flatten_fieldsets(fieldsets):
            return fieldsets
        # Declared fieldsets leave the hidden field out; without it on the page, nothing would be checked.
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], LOADED]}), *rest]

    def get_form(self, request: HttpRequest, obj: Model | None = None, change: bool = False, **kwargs) -> type:
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, _REFUSED, None)
        return type(form.__name__, (form,), {"refusal": refusal}) if refusal else form

    def refuse_keeping_form(self, request: HttpRequest, message: str, status: int = 409) -> None:
        """From save_model, when the service refuses the edit: nothing is saved or logged, and the page is shown
        again with `message` and the form as it was posted, answered with `status` (core.errors.http_status)."""
        setattr(request, _REFUSED, message)
        setattr(request, _REFUSED_STATUS, status)

    def save_related(self, request: HttpRequest, form, formsets, change) -> None:
        if not getattr(request, _REFUSED, None):
            super().save_related(request, form, formsets, change)

    def log_change(self, request: HttpRequest, obj: Model, message):
        if getattr(request, _REFUSED, None):
            return None
        return super().log_change(request, obj, message)

    def response_change(self, request: HttpRequest, obj: Model) -> HttpResponse:
        if getattr(request, _REFUSED, None):
            # The same post once more, its form now refusing with the message: Django shows such a form with what
            # was typed in it (a redirect would show the row as stored).
            return self.change_view(request, quote(str(obj.pk)))
        return super().response_change(request, obj)
