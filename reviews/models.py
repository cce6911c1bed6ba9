from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from claims.models import Claim, ClaimStatus, Topic
from core.languages import desk_language, is_known_language
from factcheck.record.models import Rating

AWAY_IN_THE_PAST = (
    "The away date is in the past: give today or a later day, or leave it empty when the reviewer is back."
)


def normal_language_codes(codes: list[str]) -> list[str]:
    """Each code once, in the order first given, in the form of Django's language table ("en-gb", not " EN_GB"; "zh"
    is "zh-hans"). A code the desk does not know is kept as written, for the error to name it."""
    return list(dict.fromkeys(desk_language(code) or code.strip() for code in codes))


class ReviewerProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile")
    languages = models.JSONField(default=list, help_text='Language codes the reviewer works in, e.g. ["en", "de"].')
    topics = models.ManyToManyField(Topic, blank=True, related_name="reviewers")
    capacity = models.PositiveSmallIntegerField(default=5, help_text="Most active assignments at once.")
    active = models.BooleanField(default=True)
    away_until = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Reviewer {self.user}"

    def is_available(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.active and (self.away_until is None or self.away_until <= today)

    def clean(self) -> None:
        """The rules of the API and the admin alike: known language codes, each once; no new away date before today."""
        errors = {}
        if problems := self._clean_languages():
            errors["languages"] = problems
        if self._away_until_newly_past():
            errors["away_until"] = [AWAY_IN_THE_PAST]
        if errors:
            raise ValidationError(errors)

    def _clean_languages(self) -> list[str]:
        if not isinstance(self.languages, list) or not all(isinstance(code, str) for code in self.languages):
            return ['Give a list of language codes, e.g. ["en", "de"].']
        self.languages = normal_language_codes(self.languages)
        return [f"Unknown language code: {code}" for code in self.languages if not is_known_language(code)]

    def _away_until_newly_past(self) -> bool:
        if self.away_until is None or self.away_until >= timezone.localdate():
            return False
        if self.pk is None:
            return True
        # A date that has passed since it was set only means the reviewer is back: saving the profile keeps it.
        stored = ReviewerProfile.objects.filter(pk=self.pk).values_list("away_until", flat=True).first()
        return stored != self.away_until


class AssignmentState(models.TextChoices):
    OFFERED = "offered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    RELEASED = "released"
    COMPLETED = "completed"


ACTIVE_STATES = (AssignmentState.OFFERED, AssignmentState.ACCEPTED)


class AssignmentQuerySet(models.QuerySet):
    def active(self) -> "AssignmentQuerySet":
        return self.filter(state__in=ACTIVE_STATES)

    def offers_expired_at(self, now) -> "AssignmentQuerySet":
        return self.filter(state=AssignmentState.OFFERED, accept_by__lte=now)

    def overdue_at(self, now) -> "AssignmentQuerySet":
        # Assignment.with_editors, in SQL: a review awaiting approval met its reviewer's deadline.
        late = self.filter(state__in=ACTIVE_STATES, due_at__lte=now)
        return late.exclude(claim__status=ClaimStatus.AWAITING_APPROVAL)


class Assignment(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    state = models.CharField(max_length=12, choices=AssignmentState.choices, default=AssignmentState.OFFERED)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The editor who assigned by hand; empty when routing chose.",
    )
    offered_at = models.DateTimeField(default=timezone.now)
    accept_by = models.DateTimeField(help_text="The offer expires if not accepted by then.")
    accepted_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(help_text="The verdict is due by then.")
    escalated_at = models.DateTimeField(null=True, blank=True, help_text="When editors were told it is overdue.")
    # Each e-mail is claimed before it is sent and stamped once it went out (reviews/services/notifications.py), so a
    # task that runs again sends nothing twice and the queue sweep finds the mails that never went out.
    offer_mail_claimed_at = models.DateTimeField(null=True, blank=True, help_text="When a worker took the offer mail.")
    offer_mailed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the reviewer was e-mailed the offer (or found to have no address)."
    )
    escalation_mail_claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker took the overdue mail."
    )
    escalation_mailed_at = models.DateTimeField(
        null=True, blank=True, help_text="When editors were e-mailed that it is overdue (or none had an address)."
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim"], condition=models.Q(state__in=ACTIVE_STATES), name="one_active_assignment_per_claim"
            )
        ]
        indexes = [
            models.Index(fields=["reviewer", "state"]),
            models.Index(fields=["reviewer", "-offered_at"], name="assignment_latest_offer"),
            models.Index(fields=["state", "due_at"]),
            # The assignment lists' keyset order, for the desk and for one reviewer.
            models.Index(fields=["due_at", "id"], name="assignment_due_idx"),
            models.Index(fields=["reviewer", "due_at", "id"], name="assignment_reviewer_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} → {self.reviewer} ({self.state})"

    @property
    def with_editors(self) -> bool:
        """The review went in and awaits approval (Review.stage "submitted"): the reviewer met the deadline, and the
        work is the editors' now, while the assignment stays accepted until they decide."""
        return self.claim.status == ClaimStatus.AWAITING_APPROVAL

    def is_overdue(self, now) -> bool:
        """The one assignment as AssignmentQuerySet.overdue_at reads it."""
        return self.state in ACTIVE_STATES and self.due_at <= now and not self.with_editors


class UnroutableAlert(models.Model):
    """Editors were told once that a claim has waited in the queue too long with no eligible reviewer."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="+")
    queued_since = models.DateTimeField()
    sent_at = models.DateTimeField(default=timezone.now)
    # As on Assignment: claimed before the e-mail is sent, stamped once it went out.
    mail_claimed_at = models.DateTimeField(null=True, blank=True, help_text="When a worker took the alert's mail.")
    mailed_at = models.DateTimeField(
        null=True, blank=True, help_text="When editors were e-mailed the alert (or none had an address)."
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["claim", "queued_since"], name="one_alert_per_queue_stay")]

    def __str__(self) -> str:
        return f"Claim {self.claim_id} unroutable since {self.queued_since:%Y-%m-%d %H:%M}"


class SweepFailure(models.Model):
    """A row the last queue sweep could not handle: it was logged and skipped, and editors see it in the desk stats
    until a sweep gets through it. Each sweep replaces the whole set."""

    class Step(models.TextChoices):
        EXPIRE = "expire"
        ESCALATE = "escalate"
        ROUTE = "route"
        ALERT = "alert"

    step = models.CharField(max_length=10, choices=Step.choices)
    row_id = models.PositiveBigIntegerField(help_text="The assignment (expire, escalate) or claim (route, alert).")
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="+")
    error = models.TextField()
    failed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["failed_at", "id"]

    def __str__(self) -> str:
        return f"{self.step} of {self.row_id} (claim {self.claim_id}) failed: {self.error[:80]}"


class LastSweep(models.Model):
    """When the queue sweep last finished (one row, id 1): the health check reports its age, since a beat that
    stopped leaves deadlines unenforced without any error anywhere."""

    finished_at = models.DateTimeField()
    failed = models.PositiveIntegerField(default=0, help_text="Rows that sweep had to skip.")

    def __str__(self) -> str:
        return f"Last sweep at {self.finished_at:%Y-%m-%d %H:%M:%S}"


class Review(models.Model):
    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, related_name="review")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews")
    rating = models.ForeignKey(Rating, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    summary = models.TextField(blank=True)
    explanation = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Review of claim {self.claim_id}"

    @property
    def stage(self) -> str:
        """Where the review stands: draft, submitted, returned or approved. Returning a review leaves submitted_at
        set, so that alone cannot tell a submitted review from one back with its reviewer: the claim's status says."""
        status = self.claim.status
        if status in (ClaimStatus.PUBLISHED, ClaimStatus.RETRACTED):
            return "approved"
        if status == ClaimStatus.AWAITING_APPROVAL:
            return "submitted"
        return "returned" if self.submitted_at else "draft"


class Source(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="sources")
    url = models.URLField(max_length=1000)
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    archive_url = models.URLField(max_length=1000, blank=True)
    accessed_at = models.DateField(default=timezone.localdate)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["review", "position", "id"]

    def __str__(self) -> str:
        return self.title

    def as_snapshot(self) -> dict:
        return {
            "url": self.url,
            "title": self.title,
            "publisher": self.publisher,
            "archive_url": self.archive_url,
            "accessed_at": self.accessed_at.isoformat(),
        }
