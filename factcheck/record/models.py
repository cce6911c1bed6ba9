"""The published record: rating scales, fact-checks and their frozen versions."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from claims.models import Claim
from core.slugs import slug_url

# Rating badges carry white text on the rating's colour, so the colour itself is what must contrast: an editor's
# choice is refused below WCAG AA for normal text (4.5:1 against white), rather than flipping the text to black,
# which would make the badges of one scale look unrelated.
MIN_CONTRAST_WITH_WHITE = 4.5
DEFAULT_RATING_COLOUR = "#595959"
_HEX_COLOUR = re.compile(r"#[0-9a-f]{6}")


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def contrast_with_white(colour: str) -> float:
    """WCAG 2 contrast ratio of white text on `colour` ("#rrggbb"), from 1 to 21."""
    red, green, blue = (_channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return 1.05 / (luminance + 0.05)


def validate_rating_colour(colour: str) -> None:
    if not _HEX_COLOUR.fullmatch(colour or ""):
        raise ValidationError("Enter a colour as # and six hex digits in lower case, e.g. #8b1a1a.")
    ratio = contrast_with_white(colour)
    if ratio < MIN_CONTRAST_WITH_WHITE:
        raise ValidationError(
            f"White text on {colour} has a contrast of {ratio:.1f}:1; badges need at least "
            f"{MIN_CONTRAST_WITH_WHITE}:1 to be readable. Choose a darker colour."
        )


# Han, kana: scripts written without spaces, which PostgreSQL's parser reads as one long word per run. The search
# document adds each run's overlapping character pairs, so a word inside a sentence is a lexeme of its own
# (lexemes.text_matches looks a query in these scripts up by its pairs).
UNSPACED_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
SEARCH_CONFIG = "simple"  # no stemming or stop words: every language and script is indexed the same way


def character_pairs(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)] or [run]


def search_document(*parts: str) -> str:
    """The text a fact-check is found by: its parts, then the character pairs of their unspaced runs."""
    text = "\n".join(part for part in parts if part)
    pairs = [pair for run in UNSPACED_RUN.findall(text) for pair in character_pairs(run)]
    return "\n".join([text, " ".join(pairs)]) if pairs else text


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

    def holds(self, value: int) -> bool:
        """Whether `value` lies on the scale, which may run either way (best 5, worst 1, or best 1, worst 5)."""
        return min(self.best, self.worst) <= value <= max(self.best, self.worst)


class Rating(models.Model):
    scale = models.ForeignKey(RatingScale, on_delete=models.PROTECT, related_name="ratings")
    slug = models.SlugField()
    label = models.CharField(max_length=100)
    value = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty for ratings off the scale.")
    definition = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    colour = models.CharField(
        max_length=7,
        default=DEFAULT_RATING_COLOUR,
        validators=[validate_rating_colour],
        help_text="Background of the rating's badge, e.g. #8b1a1a; its text is white, so it must be dark enough.",
    )

    class Meta:
        ordering = ["scale", "position"]
        constraints = [models.UniqueConstraint(fields=["scale", "slug"], name="unique_rating_slug_per_scale")]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        # ClaimReview publishes the value with the scale's best and worst: a value beyond them is a rating no reader
        # or search engine can place. Read against the scale as edited on the same page (the admin's inline).
        super().clean()
        if self.value is None or self.scale_id is None:
            return
        scale = self.scale
        if not scale.holds(self.value) and not self._stored_as_is():
            low, high = sorted((scale.worst, scale.best))
            raise ValidationError(
                {
                    "value": (
                        f"{self.value} is outside the scale {scale.name}, which runs from {low} to {high}: choose "
                        f"a value from {low} to {high}, or leave it empty for a rating off the scale."
                    )
                }
            )

    def _stored_as_is(self) -> bool:
        """Whether the value and its scale's ends are those already stored. A value saved before values were held
        to their scale may be frozen by a published verdict (the admin cannot change it then): it must not stop the
        scale's page from saving; ClaimReview leaves such a value out (claimreview._on_scale)."""
        if self.pk is None:
            return False
        stored = Rating.objects.filter(pk=self.pk).values_list("value", "scale__best", "scale__worst").first()
        return stored == (self.value, self.scale.best, self.scale.worst)


class FactCheck(models.Model):
    """The published record of a claim's verdict; its content lives in immutable versions."""

    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="fact_check")
    slug = models.SlugField(max_length=120, unique=True)
    current_version = models.ForeignKey("FactCheckVersion", on_delete=models.PROTECT, null=True, related_name="+")
    published_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    retracted_at = models.DateTimeField(null=True, blank=True)
    retraction_reason = models.TextField(blank=True)
    # What the public search reads (the claim, its claimant's names, the current summary), kept in one row so one
    # GIN index answers a search; the record's services write it with each new current version
    # (`searchable_text`), and a retraction drops the summary from it (`save`). On PostgreSQL a generated
    # column beside it, `search_vector`, holds its lexemes under a GIN index (migration 0012; lexemes.text_matches);
    # it is no model field, as SQLite has no tsvector.
    search_document = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-id"]
        # The list, search and sitemap read newest first; feeds read by last update.
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="factcheck_newest_idx"),
            models.Index(fields=["-updated_at", "-id"], name="factcheck_updated_idx"),
            # The corrections log and the sitemap index read retractions newest first (the few retracted rows only).
            models.Index(
                fields=["-retracted_at", "-id"],
                condition=models.Q(retracted_at__isnull=False),
                name="factcheck_retracted_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.slug

    def save(self, *args, **kwargs) -> None:
        # A retraction withdraws the verdict wherever it was shown, the search included: whatever path saves the
        # retraction, the withdrawn summary leaves the searchable text in the same UPDATE.
        update_fields = kwargs.get("update_fields")
        if self.retracted_at is not None and (update_fields is None or "retracted_at" in update_fields):
            self.search_document = self.searchable_text()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_document"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        # As reverse() writes it (core/slugs.py), without resolving the route for every link a page or feed writes.
        return slug_url("factcheck:detail")(self.slug)

    @property
    def public_url(self) -> str:
        return settings.SITE_URL + self.get_absolute_url()

    def searchable_text(self) -> str:
        """What the public search finds the fact-check by: its claim, the claimant as the current version names them
        (and as named now, when renamed since) and the current summary; a retracted verdict only by what its tombstone
        shows, without the withdrawn summary."""
        claim, version = self.claim, self.current_version
        frozen_name = version.claimant_name if version is not None else ""
        live_name = claim.claimant.name if claim.claimant_id else ""
        names = [frozen_name, *([live_name] if live_name != frozen_name else [])]
        summary = [version.summary] if version is not None and self.retracted_at is None else []
        return search_document(claim.text, *names, *summary)


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
    rating_colour = models.CharField(max_length=7, default=DEFAULT_RATING_COLOUR)
    scale_name = models.CharField(max_length=100)
    scale_best = models.PositiveSmallIntegerField()
    scale_worst = models.PositiveSmallIntegerField()
    claimant_name = models.CharField(max_length=200, blank=True, help_text="Empty when the claim names no claimant.")
    claimant_kind = models.CharField(max_length=20, blank=True)
    report_headline = models.CharField(max_length=300, blank=True, help_text="Empty when the claim cites no report.")
    report_url = models.URLField(max_length=1000, blank=True)
    report_outlet = models.CharField(max_length=200, blank=True)
    report_published_at = models.DateTimeField(null=True, blank=True)
    # Who approved this version (the editor who published or corrected it) and who checked the claim (the reviewer,
    # kept through corrections); empty for versions published before reviewers were recorded.
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["fact_check", "number"]
        constraints = [models.UniqueConstraint(fields=["fact_check", "number"], name="unique_version_number")]
        # The ratings stylesheet lists every colour a version froze; the index finds each distinct one in one
        # probe (selectors.badge_colours), where a scan read every version (0.3-0.6 s at a million claims).
        indexes = [
            models.Index(fields=["rating_colour"], name="version_colour_idx"),
            # The corrections log and the sitemap index read corrections (versions after the first) newest first.
            models.Index(
                fields=["-created_at", "-id"], condition=models.Q(number__gt=1), name="version_correction_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fact_check.slug} v{self.number}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("Fact-check versions are immutable; publish a correction instead.")
        super().save(*args, **kwargs)
