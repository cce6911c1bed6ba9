"""What the matcher searches: one row per earlier claim, published fact-check or imported external fact-check.

Rows are written by the services of the app that owns the original (claims, factcheck) in the transaction of the
change, so the index never lags a committed publication, correction, retraction or import by more than one sync.
Each process keeps its own in-memory index and catches up from `updated_at` (claims.matching.store).
"""

from django.db import models


class MatchDocument(models.Model):
    class Kind(models.TextChoices):
        CLAIM = "claim"  # a claim submitted here, any status
        FACT_CHECK = "fact_check"  # one of our published verdicts (ref: the claim's id)
        EXTERNAL = "external"  # another publisher's ClaimReview (ref: ExternalFactCheck id) or an evaluation set

    # The desk searches "desk"; an evaluation loads its own collection so it never shows up in the desk's answers.
    collection = models.CharField(max_length=40, default="desk")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    ref_id = models.BigIntegerField(help_text="The id of the original row (claim id, or external fact-check id).")
    language = models.CharField(max_length=10)
    text = models.TextField()
    # float32 little-endian, unit length; null when no encoder was installed when the row was written.
    embedding = models.BinaryField(null=True, blank=True)
    # The encoder that wrote `embedding` (claims.matching.adapter.identity()): a vector of another encoder is not
    # comparable, so it is encoded again where it is read, until the reencode_matching task or command rewrites it.
    encoder = models.CharField(max_length=80, blank=True, default="")
    # What an answer shows without another query: link, rating label and colour, publisher.
    payload = models.JSONField(default=dict, blank=True)
    active = models.BooleanField(default=True, help_text="Inactive rows (retracted, deleted) are never returned.")
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        app_label = "claims"
        constraints = [
            models.UniqueConstraint(fields=["collection", "kind", "ref_id"], name="matchdocument_unique_ref"),
        ]
        indexes = [models.Index(fields=["collection", "updated_at"], name="matchdocument_sync_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.ref_id}: {self.text[:60]}"
