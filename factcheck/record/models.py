"""The published record: rating scales, fact-checks and their frozen versions."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from claims.models import Claim


class RatingScale(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    best = models.PositiveSmallIntegerField(help_text="Value of the most accurate rating.")
    worst = models.PositiveSmallIntegerField(help_text="Value of the least accurate rating.")
    is_default = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="one_default_scale"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Rating(models.Model):
    scale = models.ForeignKey(RatingScale, on_delete=models.PROTECT, related_name="ratings")
    slug = models.SlugField()
    label = models.CharField(max_length=100)
    value = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty for ratings off the scale.")
    definition = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["scale", "position"]
        constraints = [models.UniqueConstraint(fields=["scale", "slug"], name="unique_rating_slug_per_scale")]

    def __str__(self) -> str:
        return self.label


class FactCheck(models.Model):
    """The published record of a claim's verdict; its content lives in immutable versions."""

    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="fact_check")
    slug = models.SlugField(max_length=120, unique=True)
    current_version = models.ForeignKey("FactCheckVersion", on_delete=models.PROTECT, null=True, related_name="+")
    published_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    retracted_at = models.DateTimeField(null=True, blank=True)
    retraction_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.slug

    def get_absolute_url(self) -> str:
        return reverse("factcheck:detail", kwargs={"slug": self.slug})

    @property
    def public_url(self) -> str:
        return settings.SITE_URL + self.get_absolute_url()


class FactCheckVersion(models.Model):
    """A snapshot of the verdict at publication or correction; never edited afterwards."""

    fact_check = models.ForeignKey(FactCheck, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    rating = models.ForeignKey(Rating, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField()
    explanation = models.TextField()
    sources = models.JSONField(default=list, help_text="[{url, title, publisher, archive_url, accessed_at}]")
    note = models.TextField(blank=True, help_text="Public note of a correction; empty for the first version.")
    # What the page and the ClaimReview show of rows that live on: copied at publication and at each correction, so
    # an edit to the rating, the claimant or the report changes no published version until a correction re-copies it.
    rating_label = models.CharField(max_length=100)
    rating_value = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_definition = models.TextField(blank=True)
    scale_name = models.CharField(max_length=100)
    scale_best = models.PositiveSmallIntegerField()
    scale_worst = models.PositiveSmallIntegerField()
    claimant_name = models.CharField(max_length=200, blank=True, help_text="Empty when the claim names no claimant.")
    claimant_kind = models.CharField(max_length=20, blank=True)
    report_headline = models.CharField(max_length=300, blank=True, help_text="Empty when the claim cites no report.")
    report_url = models.URLField(max_length=1000, blank=True)
    report_outlet = models.CharField(max_length=200, blank=True)
    report_published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["fact_check", "number"]
        constraints = [models.UniqueConstraint(fields=["fact_check", "number"], name="unique_version_number")]

    def __str__(self) -> str:
        return f"{self.fact_check.slug} v{self.number}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("Fact-check versions are immutable; publish a correction instead.")
        super().save(*args, **kwargs)
