"""The forms of the desk's confirmation pages: what each action on a claim asks the editor before it runs."""

from django import forms
from django.db.models import Count

from claims.models import Claim, MatchDocument, Priority
from claims.similar import closeness, similar_to_text
from core.admin_actions import refusal_text
from core.errors import InvalidInput
from core.sentinels import UNSET
from core.text import normalise_newlines
from factcheck.record.models import FactCheckVersion
from factcheck.record.selectors import default_ratings
from reviews.models import Review
from reviews.selectors import ReviewerOption
from reviews.services.verdicts import SourceInput

# dir="auto": a note, a reason or a verdict's text in Arabic is typed right to left.
# Triage, a duplicate and a publication answer the journalist who sent the claim: their notes show in the journalist's
# workspace (claims.history.ANSWERS_THE_SUBMITTER), so the label must not promise an internal note.
SUBMITTER_READS = "Note for the journalist who sent the claim (also kept in its history)"
NOTE = forms.Textarea(attrs={"rows": 4, "cols": 80, "dir": "auto"})
SHORT_TEXT = forms.Textarea(attrs={"rows": 3, "cols": 80, "dir": "auto"})
LONG_TEXT = forms.Textarea(attrs={"rows": 10, "cols": 80, "dir": "auto"})
VERDICT_FIELDS = ("url", "title", "publisher", "archive_url")
ASSIGN_HELP = "Reviewers routing would consider come first, least loaded first; each with load/capacity."
OTHERS = "Others (language, availability, capacity or a conflict)"
SOURCE_HELP = (
    "One source a line: URL | title | publisher | archive URL (the last two may be left out). "
    "A '|' inside a title or publisher is written '\\|'."
)
SEPARATOR, ESCAPE = "|", "\\"


class ConfirmForm(forms.Form):
    """An action that needs nothing but the editor's confirmation (route now)."""

    def __init__(self, *args, claims=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)


class AcceptForm(ConfirmForm):
    priority = forms.ChoiceField(choices=Priority.choices, initial=Priority.NORMAL)
    reason = forms.CharField(label=SUBMITTER_READS, required=False, max_length=2000, widget=NOTE)


class RejectForm(ConfirmForm):
    reason = forms.CharField(label="Why is it rejected?", max_length=2000, widget=NOTE)


class AssignForm(ConfirmForm):
    reviewer = forms.TypedChoiceField(coerce=int, help_text=ASSIGN_HELP)
    note = forms.CharField(label="Note for the history", required=False, max_length=2000, widget=NOTE)
    # The active assignment the page showed for its one claim (0: none): a choice made against it must not withdraw
    # an offer another editor, or routing, made since. Absent (a selection, an older page), nothing is checked.
    based_on_assignment = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, claims=(), options: list[ReviewerOption] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.claim = claims[0] if len(claims) == 1 else None
        if self.claim is not None and not self.is_bound:
            self.initial["based_on_assignment"] = _active_assignment_id(self.claim)
        self.options = {option.user_id: option for option in options}
        groups = [
            ("Eligible", [_choice(o) for o in options if o.eligible]),
            (OTHERS, [_choice(o) for o in options if not o.eligible]),
        ]
        self.fields["reviewer"].choices = [("", "Choose a reviewer"), *[group for group in groups if group[1]]]

    def clean_based_on_assignment(self) -> int | None:
        value = self.cleaned_data["based_on_assignment"]
        return UNSET if value is None else (value or None)

    def read_again(self) -> None:
        """Refused as assigned since: the page shown again names the assignment active now, so that choosing again
        (told who holds the claim) reassigns it."""
        if self.claim is not None:
            self.data = self.data.copy()
            self.data[self.add_prefix("based_on_assignment")] = str(_active_assignment_id(self.claim))


def _choice(option: ReviewerOption) -> tuple[int, str]:
    return option.user_id, f"{option.username} ({option.load_label})"


def _active_assignment_id(claim: Claim) -> int:
    return claim.assignments.active().values_list("pk", flat=True).first() or 0


# Kinds of similar items whose id is a claim's id (an external fact-check's is not).
CLAIM_KINDS = (MatchDocument.Kind.CLAIM, MatchDocument.Kind.FACT_CHECK)
SUGGESTED = 5
SUGGESTED_FROM = 10  # in bulk, the selected claims whose similar claims are suggested
CANONICAL_HELP = "The id of the claim repeated (the desk page's address shows it); its verdict becomes the duplicates'."


def duplicate_suggestions(claims: list[Claim], user) -> list[tuple[int, str]]:
    """(claim id, label) of the claims most similar to the selected ones, best first, the selected ones left out."""
    selected = {claim.pk for claim in claims}
    best: dict[int, float] = {}
    for claim in claims[:SUGGESTED_FROM]:
        for item in similar_to_text(claim.text, language=claim.language, user=user, exclude_claim=claim.pk):
            if item.kind in CLAIM_KINDS and item.id not in selected:
                best[item.id] = max(item.score, best.get(item.id, 0.0))
    ranked = sorted(best, key=lambda pk: -best[pk])[:SUGGESTED]
    found = Claim.objects.in_bulk(ranked)
    return [(pk, _suggestion_label(found[pk], best[pk])) for pk in ranked if pk in found]


def _suggestion_label(claim: Claim, score: float) -> str:
    text = claim.text if len(claim.text) <= 120 else claim.text[:119] + "…"
    return f"#{claim.pk} {text} ({claim.get_status_display().lower()}, {closeness(score)})"


class DuplicateForm(ConfirmForm):
    suggested = forms.TypedChoiceField(
        label="The most similar claims", coerce=int, required=False, widget=forms.RadioSelect
    )
    canonical = forms.IntegerField(
        label="Or the canonical claim's id", min_value=1, required=False, help_text=CANONICAL_HELP
    )
    note = forms.CharField(label=SUBMITTER_READS, required=False, max_length=2000, widget=NOTE)

    def __init__(self, *args, suggestions: list[tuple[int, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["suggested"].choices = list(suggestions)
        if not suggestions:
            del self.fields["suggested"]
            self.fields["canonical"].label = "The canonical claim's id"

    def clean(self) -> dict:
        data = super().clean()
        suggested, typed = data.get("suggested"), data.get("canonical")
        if suggested and typed and suggested != typed:
            raise forms.ValidationError("Choose one of the similar claims or give an id, not two different claims.")
        if not (suggested or typed):
            if not self.has_error("canonical"):
                self.add_error("canonical", "Choose one of the similar claims or give the canonical claim's id.")
            return data
        data["canonical"] = suggested or typed
        return data


class ReturnForm(ConfirmForm):
    note = forms.CharField(label="Comments for the reviewer", max_length=5000, widget=NOTE)


class ApproveForm(ConfirmForm):
    """Shows, for one claim, the review it publishes, and carries which submission of it the page showed: a review
    returned and submitted again since is refused rather than published unread."""

    note = forms.CharField(label=SUBMITTER_READS, required=False, max_length=5000, widget=NOTE)
    # Absent (a selection, an older page), nothing is checked.
    submitted_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, claims=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.claim = claims[0] if len(claims) == 1 else None
        self.review = self._current_review()
        if self.review is not None and not self.is_bound:
            self.initial["submitted_at"] = self.review.submitted_at

    def _current_review(self) -> Review | None:
        if self.claim is None:
            return None
        reviews = Review.objects.select_related("rating", "reviewer").annotate(source_count=Count("sources"))
        return reviews.filter(claim=self.claim).first()

    def read_again(self) -> None:
        """Refused as submitted again: the page shown again shows the review as it is now and carries its submission,
        so that approving again publishes what the editor has now read."""
        self.review = self._current_review()
        if self.review is not None and self.review.submitted_at is not None:
            self.data = self.data.copy()
            self.data[self.add_prefix("submitted_at")] = self.review.submitted_at.isoformat()


class RetractForm(ConfirmForm):
    reason = forms.CharField(label="Why is it retracted? (shown on the public page)", max_length=5000, widget=NOTE)


class CorrectForm(ConfirmForm):
    """A correction: a public note and what changes. Filled with the current verdict when one claim is corrected;
    a field left empty keeps what the verdict shows."""

    note = forms.CharField(label="Public note: what changed and why", max_length=5000, widget=NOTE)
    rating = forms.ChoiceField(required=False)
    summary = forms.CharField(required=False, max_length=1000, widget=SHORT_TEXT)
    explanation = forms.CharField(required=False, max_length=50_000, widget=LONG_TEXT)
    sources = forms.CharField(required=False, help_text=SOURCE_HELP, widget=NOTE)
    # The version the fields were filled from: the fields post that version's text back, so a correction published
    # since must refuse this form rather than be undone by it.
    based_on = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, claims=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        ratings = [(r.slug, r.label) for r in default_ratings()]
        self.fields["rating"].choices = [("", "Keep the current rating"), *ratings]
        if len(claims) == 1 and not self.is_bound:
            self.initial.update(_current_verdict(claims[0]))

    def clean_sources(self) -> list[dict] | None:
        lines = [line.strip() for line in self.cleaned_data["sources"].splitlines() if line.strip()]
        return [_parse_source(line) for line in lines] or None


def current_version(claim) -> FactCheckVersion | None:
    fact_check = getattr(claim, "fact_check", None)
    return fact_check.current_version if fact_check else None


def _current_verdict(claim) -> dict:
    version = current_version(claim)
    if version is None:
        return {}
    return {
        "rating": version.rating.slug,
        "summary": version.summary,
        "explanation": version.explanation,
        "sources": "\n".join(_source_line(source) for source in version.sources),
        "based_on": version.number,
    }


def _escaped(value: str) -> str:
    return value.replace(ESCAPE, ESCAPE * 2).replace(SEPARATOR, ESCAPE + SEPARATOR)


def _source_line(source: dict) -> str:
    parts = [_escaped(source.get(key, "")) for key in VERDICT_FIELDS]
    while parts and not parts[-1]:
        parts.pop()
    return " | ".join(parts)


def _split_source_line(line: str) -> list[str]:
    """The line's parts, split at each '|' that is not escaped; '\\|' and '\\\\' stand for '|' and '\\', and any
    other backslash is kept as typed."""
    parts, current, index = [], [], 0
    while index < len(line):
        char, following = line[index], line[index + 1 : index + 2]
        if char == ESCAPE and following in (ESCAPE, SEPARATOR):
            current.append(following)
            index += 2
            continue
        if char == SEPARATOR:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
        index += 1
    return [*parts, "".join(current).strip()]


def _parse_source(line: str) -> dict:
    parts = _split_source_line(line)
    if len(parts) > len(VERDICT_FIELDS):
        raise forms.ValidationError(
            f"A source line has at most {len(VERDICT_FIELDS)} parts (URL | title | publisher | archive URL); "
            f"write a '|' inside a title or publisher as '\\|': {line}"
        )
    url, title, publisher, archive_url = [*parts, "", "", ""][:4]
    if not title:
        raise forms.ValidationError(f"Give the title of {url} after a '|'.")
    try:
        source = SourceInput(url=url, title=title, publisher=publisher, archive_url=archive_url)
    except InvalidInput as error:
        raise forms.ValidationError(refusal_text(error)) from None
    return {"url": source.url, "title": source.title, "publisher": source.publisher, "archive_url": source.archive_url}


def correction_changes(version: FactCheckVersion | None, data: dict) -> dict:
    """What the correction sends to the service: the fields that differ from the current version, and the version
    the form was filled from. Sources sent unchanged would be stamped as accessed today, so they are sent only when
    the list itself changes."""
    current = _current_verdict_values(version)
    changes = {
        name: data[name]
        for name in ("rating", "summary", "explanation", "sources")
        if data.get(name) and _comparable(data[name]) != current.get(name)
    }
    return {**changes, "based_on": data.get("based_on")}


def _comparable(value: object) -> object:
    # A textarea posts its lines with "\r\n"; the verdict stores "\n".
    return normalise_newlines(value) if isinstance(value, str) else value


def _current_verdict_values(version: FactCheckVersion | None) -> dict:
    if version is None:
        return {}
    cited = [{key: source.get(key, "") for key in VERDICT_FIELDS} for source in version.sources]
    return {
        "rating": version.rating.slug,
        "summary": normalise_newlines(version.summary),
        "explanation": normalise_newlines(version.explanation),
        "sources": cited,
    }
