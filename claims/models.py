from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from core.languages import desk_language, is_known_language
from core.slugs import unique_slug
from core.text import is_blank, name_key, normalise_name


def validate_language(code: str) -> None:
    if not is_known_language(code):
        known_as = desk_language(code)
        hint = f" Write '{known_as}'." if known_as else ""
        raise ValidationError(f"'{code}' is not a known language code.{hint}")


def validate_said_by_now(day: date) -> None:
    # A day of slack: "today" where the claim was made may already be tomorrow in UTC.
    if day > timezone.now().date() + timedelta(days=1):
        raise ValidationError("A claim cannot have been made after today.")


class Topic(models.Model):
    NAME_SHOWS_NOTHING = "Give the topic a name: this one shows nothing."

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    # One topic per name whatever its case, spacing or Unicode form, as for claimants (core.text.name_key); the
    # unique key holds when two editors add "Economy" at once.
    name_key = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name_key = name_key(self.name)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if is_blank(self.name):  # zero-width characters alone, which a required field lets through
            raise ValidationError({"name": [self.NAME_SHOWS_NOTHING]})
        same = Topic.objects.filter(name_key=name_key(self.name)).exclude(pk=self.pk).only("name", "slug").first()
        if same is not None:
            raise ValidationError({"name": [f"The topic '{same.name}' exists already, as '{same.slug}'."]})


class Claimant(models.Model):
    class Kind(models.TextChoices):
        PERSON = "Person"
        ORGANIZATION = "Organization"

    name = models.CharField(max_length=200, unique=True)
    # Submission finds a claimant by name whatever the case, spacing or Unicode form; the unique key makes that
    # hold under parallel submissions too (core.text.name_key).
    name_key = models.CharField(max_length=64, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PERSON)
    slug = models.SlugField(max_length=220, unique=True, blank=True, help_text="Made from the name when left empty.")
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name_key = name_key(self.name)
        if not self.slug:
            others = Claimant.objects.exclude(pk=self.pk) if self.pk else Claimant.objects.all()
            self.slug = unique_slug(others, self.name, max_length=200, fallback="claimant")
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.name = normalise_name(self.name)
        if not self.name:
            raise ValidationError({"name": ["A claimant needs a name."]})
        if Claimant.objects.filter(name_key=name_key(self.name)).exclude(pk=self.pk).exists():
            raise ValidationError({"name": [f"Another claimant is named '{self.name}'."]})


class Report(models.Model):
    """A news report (by URL, raw HTML or pasted text) that claims are taken from."""

    class Status(models.TextChoices):
        FETCHING = "fetching"  # a worker is fetching and reading the URL
        READY = "ready"  # the text is stored and split into scored sentences
        FAILED = "failed"  # the URL could not be read; `failure` says why

    url = models.URLField(max_length=1000, blank=True)
    # The URL in one form (claims.ingest.urls.url_key), so the same article submitted twice is found again.
    url_key = models.CharField(max_length=1000, blank=True, editable=False)
    # Once a page is read (fetched, or its HTML given), `url` is the article's own address (after redirects, or the
    # canonical it declares: claims.ingest.urls.article_address) and this is its key; empty until then, when the
    # submitted address (url_key) is all that is known. A short link and the article it leads to are one article,
    # found again by either address and counted once in public output. Not unique: two reports may have come from two
    # short links to one article before either was read.
    article_key = models.CharField(max_length=1000, blank=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.READY)
    failure = models.TextField(blank=True, help_text="Why the URL could not be read.")
    headline = models.CharField(max_length=300, blank=True)
    author = models.CharField(max_length=300, blank=True)
    outlet = models.CharField(max_length=200, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Empty only while a URL is being fetched and the submitter named no language: the page will tell.
    language = models.CharField(max_length=10, validators=[validate_language], blank=True)
    body = models.TextField(blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reports")
    fetched_at = models.DateTimeField(null=True, blank=True)
    # When claim tracking last matched the report's sentences (claims.ingest.tracking.track_report). A ready report
    # without it is tracked by the report sweep: its task was lost (a broker outage, a killed worker).
    tracked_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Set by claims.ingest.services.submit_report on the report it answers when the URL was submitted before.
    found_existing = False
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="report_newest_idx"),
            models.Index(fields=["submitted_by", "-created_at", "-id"], name="report_submitter_newest_idx"),
            models.Index(fields=["article_key"], condition=~models.Q(article_key=""), name="report_article_idx"),
            # The few the report sweep looks for, every minute, among all reports.
            models.Index(
                fields=["id"], condition=models.Q(status="ready", tracked_at=None), name="report_untracked_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["url_key"], condition=~models.Q(url_key=""), name="report_unique_url"),
        ]

    def __str__(self) -> str:
        return self.headline


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted"
    REJECTED = "rejected"
    QUEUED = "queued"
    ASSIGNED = "assigned"
    IN_REVIEW = "in_review"
    AWAITING_APPROVAL = "awaiting_approval"
    PUBLISHED = "published"
    RETRACTED = "retracted"


class Priority(models.TextChoices):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


PRIORITY_RANK = models.Case(
    models.When(priority=Priority.HIGH, then=0), models.When(priority=Priority.NORMAL, then=1), default=2
)


class ClaimQuerySet(models.QuerySet):
    def in_queue_order(self) -> "ClaimQuerySet":
        """Most urgent first, then the longest waiting."""
        return self.alias(priority_rank=PRIORITY_RANK).order_by("priority_rank", "status_changed_at", "id")

    def with_api_relations(self) -> "ClaimQuerySet":
        # The answers name the report by its id alone: no join for it.
        return self.select_related("claimant", "submitted_by").prefetch_related(
            "topics", models.Prefetch("events", queryset=ClaimEvent.objects.select_related("actor"))
        )


class Origin(models.TextChoices):
    NEWSROOM = "newsroom"
    READER_TIP = "reader_tip"


class Claim(models.Model):
    text = models.TextField()
    report = models.ForeignKey(Report, on_delete=models.PROTECT, null=True, blank=True, related_name="claims")
    quote = models.TextField(blank=True, help_text="The words as they appear in the report.")
    quote_start = models.PositiveIntegerField(null=True, blank=True)
    quote_end = models.PositiveIntegerField(null=True, blank=True)
    claimant = models.ForeignKey(Claimant, on_delete=models.PROTECT, null=True, blank=True, related_name="claims")
    claim_date = models.DateField(null=True, blank=True, validators=[validate_said_by_now])
    language = models.CharField(max_length=10, validators=[validate_language])
    topics = models.ManyToManyField(Topic, blank=True, related_name="claims")
    status = models.CharField(max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    checkworthiness = models.FloatField(null=True, blank=True)
    # An editor's finding that this claim repeats another; the duplicate shows the canonical claim's verdict.
    duplicate_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claims")
    origin = models.CharField(max_length=12, choices=Origin.choices, default=Origin.NEWSROOM)
    tip_url = models.URLField(max_length=1000, blank=True, help_text="Where a reader saw the claim.")
    tip_email = models.EmailField(blank=True, help_text="A reader's address for follow-up; never published.")
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)

    objects = ClaimQuerySet.as_manager()

    # Set by claims.services.submit_claim on the claim it answers: the closest earlier claims and verdicts, and
    # whether the claim was made from the same sentence before (then nothing new was created).
    similar: tuple = ()
    found_existing = False

    class Meta:
        ordering = ["-created_at", "-id"]
        # Lists page through claims newest first: all of them (editors), by status, or one journalist's.
        indexes = [
            models.Index(fields=["status", "priority", "status_changed_at"]),
            models.Index(fields=["-created_at", "-id"], name="claim_newest_idx"),
            models.Index(fields=["status", "-created_at", "-id"], name="claim_status_newest_idx"),
            models.Index(fields=["submitted_by", "-created_at", "-id"], name="claim_submitter_newest_idx"),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class ClaimEvent(models.Model):
    """One audit row per status transition of a claim, and per edit of its wording (an edit keeps the status, so
    its from and to are the same and `changes` holds each changed field's old and new value)."""

    class Kind(models.TextChoices):
        TRANSITION = "transition"
        EDIT = "edit"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.TRANSITION)
    from_status = models.CharField(max_length=20, choices=ClaimStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ClaimStatus.choices)
    note = models.TextField(blank=True)
    changes = models.JSONField(default=dict, blank=True, help_text="For an edit: each changed field's [old, new].")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.from_status or '∅'} → {self.to_status}"


# The ingestion and matching rows belong to this app; their modules keep them beside the code that writes them.
from claims.ingest.models import ClaimAppearance, ReportEvent, ReportSentence  # noqa: E402,F401
from claims.matching.models import MatchDocument  # noqa: E402,F401
