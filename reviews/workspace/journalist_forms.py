"""The journalist's forms. They shape and cap the input as the API's serializers do; the services (shared with the
API) apply the rules, and `show_refusal` puts a service's field messages back on the form."""

from datetime import date, datetime, time

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from claims.ingest.services import HTML_MAX, TEXT_MAX
from claims.models import Claimant, Topic
from core.errors import InvalidInput
from core.languages import LANGUAGE_CODES, language_name
from core.text import normalise_name, normalise_text, whole_number

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
    """A report given three ways: its address (the desk fetches it), the page's HTML, or its text. What the page
    tells about itself (headline, outlet, date, language) may be left empty; pasted text needs its headline, and its
    language unless it is the desk's default."""

    url = forms.URLField(
        label="Address of the report",
        required=False,
        max_length=1000,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text="Alone, the desk fetches the page. With the HTML or the text below, it is kept as the source.",
    )
    html = forms.CharField(
        label="HTML of the page",
        required=False,
        max_length=HTML_MAX,
        widget=_text_area(6),
        help_text="For a page the desk cannot fetch (behind a login): paste its source as the browser shows it.",
    )
    body = TextField(
        label="Text of the report",
        required=False,
        max_length=TEXT_MAX,
        widget=_text_area(14),
        help_text="Paste the whole text: each claim's quote is chosen from it.",
    )
    headline = TextField(
        label="Headline",
        required=False,
        max_length=300,
        help_text="Needed with pasted text; a page's own headline is used otherwise.",
    )
    outlet = TextField(label="Outlet (optional)", required=False, max_length=200)
    published = forms.DateField(
        label="Published on (optional)", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    language = forms.ChoiceField(
        label="Language of the report",
        required=False,
        help_text="Choose it for pasted text in another language than the desk's default.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Left empty, the page's own language is used; pasted text, which tells none, takes the desk's default.
        default = language_name(settings.LANGUAGE_CODE.split("-")[0])
        self.fields["language"].choices = [("", f"As the page says ({default} for pasted text)"), *LANGUAGES]

    def clean(self) -> dict:
        data = super().clean()
        url, html, body = data.get("url"), data.get("html", "").strip(), data.get("body")
        if html and body:
            self.add_error("body", "Give the page's HTML or its text, not both.")
        elif not (url or html or body) and "body" not in self.errors and "url" not in self.errors:
            self.add_error("body", "Give the report's address, its HTML or its text.")
        # Pasted text says nothing about itself: the journalist names the headline a page would have told.
        if not (url or html or data.get("headline")) and not {"headline", "url"} & self.errors.keys():
            self.add_error("headline", "Give the headline: pasted text does not say it.")
        data["html"] = html
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in ("headline", "outlet", "url", "html", "language", "body")}
        return fields | {"published_at": _midday(data["published"])}


class ReportTextForm(ReportForm):
    """The text of a report whose page could not be read, given on its page: the new report's fields, its address
    set by the view, so the same service call fills that report."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["url"].widget = forms.HiddenInput()
        self.fields["body"].help_text = "Copy the whole text from the page as your browser shows it."
        self.fields["headline"].help_text = "Left empty, the page's own headline or the text's first line is used."
        for name in ("body", "headline"):
            self.fields[name].widget.attrs["dir"] = "auto"  # pasted text reads in its own direction

    def clean(self) -> dict:
        data = super().clean()
        if not (data.get("html") or data.get("body")) and not {"html", "body"} & self.errors.keys():
            self.add_error("body", "Paste the report's text, or the HTML of its page.")
        return data


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
    # Set by the quote picker (quote.js): where the selected words start in the report's text, in characters, so
    # that of a phrase standing there twice the one selected is stored. Empty when the quote is typed.
    quote_start = forms.CharField(required=False, widget=forms.HiddenInput)
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

    def __init__(self, *args, quote_required: bool = True, guess_language: str = "", **kwargs) -> None:
        """`guess_language` (the report's language, for a new claim) offers, first and chosen, to leave the language
        to the service, which reads it from the claim's script (claims.ingest.languages.sentence_language)."""
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = list(Topic.objects.values_list("slug", "name"))
        # A report given only by its address has no text to quote from.
        self.fields["quote"].required = quote_required
        if guess_language:
            language = self.fields["language"]
            language.required = False
            language.choices = [("", "As the claim reads (guessed from its script)"), *LANGUAGES]
            language.help_text = (
                f"Left as it is: {language_name(guess_language)}, like the report, unless the claim is written in "
                "another script (a quote in English in a Russian report is English)."
            )

    def clean_quote_start(self) -> int | None:
        # Only a hint: a value that is not a plain offset is dropped, not shown as an error on a field nobody sees.
        return whole_number(self.cleaned_data["quote_start"], digits=7)

    def service_arguments(self) -> dict:
        return dict(self.cleaned_data)


class MakeClaimForm(Form):
    """One click on a ranked sentence: the sentence becomes the claim, its quote and its place in the report."""

    sentence = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    claimant = TextField(name=True, label="Who made the claim (optional)", required=False, max_length=200)
    claimant_kind = forms.ChoiceField(choices=CLAIMANT_KINDS, required=False)

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        kind = data["claimant_kind"] or Claimant.Kind.PERSON
        return {"sentence": data["sentence"], "claimant": data["claimant"], "claimant_kind": kind}


def show_refusal(form: forms.Form, exc: InvalidInput | ValidationError) -> None:
    """A service's field messages on the form's own fields; messages about anything else above the form."""
    errors = exc.errors if isinstance(exc, InvalidInput) else _messages_of(exc)
    for name, messages in errors.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


def _messages_of(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
