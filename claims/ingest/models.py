"""A report's sentences with their check-worthiness, and the recorded repetitions of claims we have published a
verdict on (claim tracking)."""

from django.db import models


class ReportSentence(models.Model):
    report = models.ForeignKey("claims.Report", on_delete=models.CASCADE, related_name="sentences")
    position = models.PositiveIntegerField(help_text="Order in the report, from 0.")
    start = models.PositiveIntegerField(help_text="Offset of the first character in the report's body.")
    end = models.PositiveIntegerField(help_text="Offset after the last character: body[start:end] is the text.")
    text = models.TextField()
    score = models.FloatField(help_text="Check-worthiness, 0 to 1.")
    # The closest earlier fact-check or claim, found when the report was read (claims.matching).
    match = models.ForeignKey(
        "claims.MatchDocument", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    match_score = models.FloatField(null=True, blank=True)

    class Meta:
        app_label = "claims"
        ordering = ["report", "position"]
        constraints = [models.UniqueConstraint(fields=["report", "position"], name="reportsentence_unique_position")]
        indexes = [models.Index(fields=["report", "-score"], name="reportsentence_rank_idx")]

    def __str__(self) -> str:
        return self.text[:80]


# A repetition is public only where its report is: an article at a web address anyone can open. A report a newsroom
# pasted or uploaded without one (a memo, a draft, a newsletter) is recorded for the desk and never shown outside it.
PUBLIC_REPORT_SCHEMES = ("http://", "https://")


def has_public_address(url: str) -> bool:
    return url.lower().startswith(PUBLIC_REPORT_SCHEMES)


class ClaimAppearance(models.Model):
    """A report that repeats a claim after we published a verdict on it."""

    # The rows `is_public` accepts, as a filter on appearances.
    PUBLIC = models.Q(report__url__istartswith=PUBLIC_REPORT_SCHEMES[0]) | models.Q(
        report__url__istartswith=PUBLIC_REPORT_SCHEMES[1]
    )

    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="appearances")
    report = models.ForeignKey("claims.Report", on_delete=models.CASCADE, related_name="appearances")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField(help_text="The repeating sentence, as the report has it.")
    claimant = models.ForeignKey(
        "claims.Claimant", on_delete=models.SET_NULL, null=True, blank=True, related_name="appearances"
    )
    appeared_on = models.DateField(help_text="The report's publication date, or the day it was submitted.")
    score = models.FloatField(help_text="How closely the sentence matches the claim, 0 to 1.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "claims"
        verbose_name = "repeated claim"
        verbose_name_plural = "repeated claims"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "report", "start"], name="claimappearance_unique_place"),
        ]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="claimappearance_newest_idx"),
            models.Index(fields=["claim", "-appeared_on"], name="claimappearance_claim_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} in report {self.report_id}"

    @property
    def is_public(self) -> bool:
        """Whether pages, ClaimReview and the public API may show it (reads `report`: select it with the row)."""
        return has_public_address(self.report.url)


class ReportEvent(models.Model):
    """One audit row per change of a report's status (fetching, ready, failed)."""

    report = models.ForeignKey("claims.Report", on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "claims"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_status or '∅'} → {self.to_status}"
