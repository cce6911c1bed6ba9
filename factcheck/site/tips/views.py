"""/tips/: the public form where readers suggest a claim to check (server-rendered, works without JavaScript)."""

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.errors import InvalidInput
from core.languages import LANGUAGE_CODES, language_name
from factcheck.record.selectors import languages_with_fact_checks
from factcheck.site.tips import services as tips

OTHER = "other"
LANGUAGES = sorted(((code, language_name(code)) for code in LANGUAGE_CODES), key=lambda choice: choice[1])


class TipForm(forms.Form):
    """Shapes and caps the input; the service (shared with the API) cleans it and applies the real rules."""

    text = forms.CharField(
        label="What claim should we check?",
        max_length=tips.TEXT_MAX * 2,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Quote it as closely as you can, and say who made it if you know.",
    )
    url = forms.CharField(
        label="Where did you see it? (link, optional)",
        required=False,
        max_length=tips.URL_MAX,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    email = forms.CharField(
        label="Your email (optional, never published)",
        required=False,
        max_length=tips.EMAIL_MAX,
        widget=forms.EmailInput,
    )
    # The site's own languages come first; every other one waits behind "Other language" (tips.html).
    language = forms.ChoiceField(label="Language of the claim")
    other_language = forms.ChoiceField(
        label="Other language", required=False, choices=[("", "Choose a language"), *LANGUAGES]
    )
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, site_languages: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            *((code, language_name(code)) for code in site_languages),
            (OTHER, "Other language (choose below)"),
        ]
        self.fields["language"].initial = site_languages[0]
        # The browser counts what the reader types; the raw cap above leaves room for what the service drops.
        self.fields["text"].widget.attrs["maxlength"] = str(tips.TEXT_MAX)

    def clean(self) -> dict:
        """A language chosen under "Other language" wins: a reader who opened that list meant the one they chose."""
        cleaned = super().clean()
        other = cleaned.get("other_language")
        if other:
            cleaned["language"] = other
        elif cleaned.get("language") == OTHER:
            self.add_error("other_language", "Choose the language of the claim in this list.")
        return cleaned


def site_languages() -> list[str]:
    """The site's default language, then those of its published fact-checks."""
    return list(dict.fromkeys([settings.LANGUAGE_CODE, *languages_with_fact_checks()]))


def _form(data=None) -> TipForm:
    # Labels are questions or phrases: no colon after them.
    return TipForm(data, site_languages=site_languages(), label_suffix="")


def _page(request: HttpRequest, form: TipForm, *, status: int = 200, sent: bool = False) -> HttpResponse:
    return render(request, "factcheck/tips.html", {"form": form, "sent": sent}, status=status)


@require_http_methods(["GET", "POST"])
def reader_tip(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _page(request, _form(), sent=request.GET.get("sent") == "1")
    form, address = _form(request.POST), tips.client_address(request)
    try:
        if tips.is_honeypot_filled(request.POST):
            tips.count_tip(address)
        elif not form.is_valid():
            return _page(request, form, status=400)
        else:
            fields = {name: form.cleaned_data[name] for name in ("text", "url", "email", "language")}
            tips.submit_reader_tip(address=address, **fields)
    except tips.TooManyTips as refused:
        form.add_error(None, "You have sent several tips in a short time. Please try again later.")
        response = _page(request, form, status=429)
        response["Retry-After"] = str(refused.wait)
        return response
    except InvalidInput as exc:
        for name, messages in exc.errors.items():
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
        return _page(request, form, status=400)
    # Post/redirect/get: a reload does not send the tip twice. A filled honeypot gets the same thank-you.
    return redirect(reverse("discovery:tips") + "?sent=1")
