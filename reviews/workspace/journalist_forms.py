"""The journalist's forms. They shape and cap the input as the API's serializers do; the services (shared with the
API) apply the rules, and `show_refusal` puts a service's field messages back on the form."""

from datetime import date, datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from claims.models import Claimant, Topic
from core.errors import InvalidInput
from core.languages import LANGUAGE_CODES, language_name
from core.text import normalise_name, normalise_text

LANGUAGES = sorted(((code, language_name(code)) for code in LANGUAGE_CODES), key=lambda choice: choice[1])
CLAIMANT_KINDS = [(Claimant.Kind.PERSON, "A person"), (Claimant.Kind.ORGANIZATION, "An organisation")]


class TextField(forms.CharField):
    """Text as people paste it, stored in the API's one form: NFC, no invisible characters at either end, and one
    kind of line break, so a quote selected on the page (where browsers show "\\n") is found in the stored text."""

    def __init__(self, *, name: bool = False, **kwargs) -> None:
        self.normalise = normalise_name if name else normalise_text
        super().__init__(**kwargs)

    def to_python(self, value) -> str:
        value = super().to_python(value)
        return self.normalise(value.replace("\r\n", "\n").replace("\r", "\n"))


class Form(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")  # labels read "Headline", not "Headline:"
        super().__init__(*args, **kwargs)


def _text_area(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ReportForm(Form):
    headline = TextField(label="Headline", max_length=300)
    outlet = TextField(label="Outlet (optional)", required=False, max_length=200)
    url = forms.URLField(
        label="Address of the report (optional)",
        required=False,
        max_length=1000,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    published = forms.DateField(
        label="Published on (optional)", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    language = forms.ChoiceField(label="Language of the report", choices=LANGUAGES, initial="en")
    body = TextField(
        label="Text of the report",
        max_length=200_000,
        widget=_text_area(14),
        help_text="Paste the whole text: each claim's quote is chosen from it.",
    )

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in ("headline", "outlet", "url", "language", "body")}
        return fields | {"published_at": _midday(data["published"])}


def _midday(day: date | None) -> datetime | None:
    # Only the day is known; midday keeps it the same day in every time zone the date is later shown in.
    return timezone.make_aware(datetime.combine(day, time(12))) if day else None


class ClaimForm(Form):
    """A claim from a report: the words quoted from its text, and the checkable claim in the journalist's words."""

    quote = TextField(
        label="Quote from the report",
        max_length=5000,
        widget=_text_area(3),
        help_text="The words exactly as the report has them.",
    )
    text = TextField(
        label="Claim to check",
        max_length=2000,
        widget=_text_area(3),
        help_text="The checkable claim, in your words.",
    )
    claimant = TextField(name=True, label="Who made the claim (optional)", required=False, max_length=200)
    claimant_kind = forms.ChoiceField(
        label="The claimant is",
        choices=CLAIMANT_KINDS,
        initial=Claimant.Kind.PERSON,
        widget=forms.RadioSelect,
        help_text="Used when the name is new to the desk; a known claimant keeps the kind editors gave it.",
    )
    claim_date = forms.DateField(
        label="Date of the claim (optional)", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    topics = forms.MultipleChoiceField(label="Topics (optional)", required=False, widget=forms.CheckboxSelectMultiple)
    language = forms.ChoiceField(label="Language of the claim", choices=LANGUAGES)

    def __init__(self, *args, quote_required: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = list(Topic.objects.values_list("slug", "name"))
        # A report given only by its address has no text to quote from.
        self.fields["quote"].required = quote_required

    def service_arguments(self) -> dict:
        return dict(self.cleaned_data)


def show_refusal(form: forms.Form, exc: InvalidInput | ValidationError) -> None:
    """A service's field messages on the form's own fields; messages about anything else above the form."""
    errors = exc.errors if isinstance(exc, InvalidInput) else _messages_of(exc)
    for name, messages in errors.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


def _messages_of(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
