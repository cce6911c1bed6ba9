"""Forms of the reviewer's pages. They only parse what was typed; the services decide what is allowed."""

from django import forms

from core.errors import InvalidInput
from factcheck.record.selectors import default_ratings
from reviews.services.verdicts import SourceInput

# The same limits as the API's input serializers (reviews.serializers).
REASON_MAX = 2000
SUMMARY_MAX = 1000
EXPLANATION_MAX = 50_000


class DeclineForm(forms.Form):
    reason = forms.CharField(
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
        label="Reason (optional)",
    )


class ReviewForm(forms.Form):
    """The draft's text. Every field may stay empty in a draft; submitting asks the service what is missing."""

    rating = forms.ChoiceField(required=False)
    summary = forms.CharField(
        required=False,
        strip=False,
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "aria-describedby": "summary-help", "dir": "auto"}),
    )
    explanation = forms.CharField(
        required=False,
        strip=False,
        max_length=EXPLANATION_MAX,
        widget=forms.Textarea(attrs={"rows": 14, "aria-describedby": "explanation-help", "dir": "auto"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.ratings = list(default_ratings())
        self.fields["rating"].choices = [("", "No rating yet"), *((r.slug, r.label) for r in self.ratings)]

    def chosen_rating(self) -> str:
        return self.data.get("rating", "") if self.is_bound else self.initial.get("rating", "")


class SourceForm(forms.Form):
    """A source to append to the draft; blank when the reviewer is not adding one."""

    prefix = "source"

    url = forms.CharField(required=False, label="URL", max_length=1000, widget=forms.URLInput())
    title = forms.CharField(required=False, max_length=300, widget=forms.TextInput(attrs={"dir": "auto"}))
    publisher = forms.CharField(required=False, max_length=200, widget=forms.TextInput(attrs={"dir": "auto"}))
    archive_url = forms.CharField(required=False, label="Archive URL", max_length=1000, widget=forms.URLInput())

    def is_blank(self) -> bool:
        return not any((self.data.get(self.add_prefix(name)) or "").strip() for name in self.fields)

    def as_typed(self) -> "SourceForm":
        """The same fields filled as typed, but not judged: for a step that adds no source (a preview, say)."""
        return SourceForm(initial={name: self.data.get(self.add_prefix(name), "") for name in self.fields})

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and not (data.get("url") and data.get("title", "").strip()):
            missing = [name for name in ("url", "title") if not data.get(name, "").strip()]
            for name in missing:
                self.add_error(name, f"A source needs its {self.fields[name].label or name}.")
        return data

    def source_input(self) -> SourceInput:
        """The service's own value; it raises InvalidInput for an address that is not http(s)."""
        data = self.cleaned_data
        return SourceInput(
            url=data["url"].strip(),
            title=data["title"].strip(),
            publisher=data["publisher"].strip(),
            archive_url=data["archive_url"].strip(),
        )


def show_service_errors(form: forms.Form, refused: InvalidInput) -> dict[str, list[str]]:
    """Put the service's field messages on the form's fields ("sources.url" → url); answer the others."""
    others: dict[str, list[str]] = {}
    for key, messages in refused.errors.items():
        field = key.rsplit(".", 1)[-1]
        if field in form.fields:
            for message in messages:
                form.add_error(field, message)
        else:
            others[field] = list(messages)
    return others
