"""One chunk of claims and everything the services write beside them, as rows for web_rows.RowWriter.

What each status leaves behind, as the services write it:
- every claim: the claim, its topics, a `ClaimEvent` per status it went through, and a matcher row (claims.indexing);
- from `assigned`: an assignment (offered, then accepted, then completed on submission);
- from `in_review`: the reviewer's review (a draft with one source until submitted);
- `awaiting_approval` and later: the submitted review with its 3-8 sources;
- `published` / `retracted`: the fact-check and its version (one in twenty corrected: a second version with a public
  note), the matcher's fact-check row, the claim's own matcher row made inactive; a retraction stamps the fact-check
  and makes its matcher row inactive.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from web_rows import RowWriter, columns_of, dumps
from web_texts import claim_text, pick_language, pick_sentence

PATH = ("submitted", "queued", "assigned", "in_review", "awaiting_approval", "published", "retracted")
STEP_HOURS = (0, 2, 3, 5, 50, 75, 300)  # when each status of PATH is reached, hours after submission
SOURCE_PUBLISHERS = ("Statistics Office", "Ministry of Health", "Reuters", "Центробанк", "البنك الدولي", "国家统计局")


def _models() -> list[Any]:
    from claims.models import Claim, ClaimEvent, MatchDocument
    from factcheck.record.models import FactCheck, FactCheckVersion
    from reviews.models import Assignment, Review, Source

    through = Claim.topics.through
    return [Claim, ClaimEvent, through, Assignment, Review, Source, FactCheck, FactCheckVersion, MatchDocument]


class _LazyModels(list):
    """The models, imported on first use (Django is set up by then)."""

    def __iter__(self):
        if not len(self):
            self.extend(_models())
        return super().__iter__()


MODELS = _LazyModels()

CLAIM = ["id", "text", "report", "quote", "quote_start", "quote_end", "claimant", "claim_date", "language", "status",
         "priority", "checkworthiness", "duplicate_of", "submitted_by", "origin", "tip_url", "tip_email",
         "created_at", "status_changed_at"]  # fmt: skip
EVENT = ["id", "claim", "actor", "kind", "from_status", "to_status", "note", "changes", "at"]
TOPIC_LINK = ["id", "claim", "topic"]
ASSIGNMENT = ["id", "claim", "reviewer", "state", "assigned_by", "offered_at", "accept_by", "accepted_at", "due_at",
              "escalated_at", "finished_at", "reason", "offer_mail_claimed_at", "offer_mailed_at",
              "escalation_mail_claimed_at", "escalation_mailed_at"]  # fmt: skip
REVIEW = ["id", "claim", "reviewer", "rating", "summary", "explanation", "updated_at", "submitted_at"]
SOURCE = ["id", "review", "url", "title", "publisher", "archive_url", "accessed_at", "position"]
FACT_CHECK = ["id", "claim", "slug", "current_version", "published_at", "updated_at", "retracted_at",
              "retraction_reason", "search_document"]  # fmt: skip
VERSION = ["id", "fact_check", "number", "rating", "summary", "explanation", "sources", "note", "rating_label",
           "rating_value", "rating_definition", "rating_colour", "scale_name", "scale_best", "scale_worst",
           "claimant_name", "claimant_kind", "report_headline", "report_url", "report_outlet", "report_published_at",
           "created_by", "reviewed_by", "created_at"]  # fmt: skip
MATCH = ["id", "collection", "kind", "ref_id", "language", "text", "embedding", "encoder", "payload", "active",
         "updated_at"]  # fmt: skip


class ClaimRows:
    def __init__(
        self,
        writer: RowWriter,
        catalog: Any,
        actors: Any,
        rng: random.Random,
        ids: dict[str, int],
        vectors: dict[str, list[bytes]] | None,
    ) -> None:
        from django.conf import settings

        from claims.matching import encoder
        from core.slugs import slug_base

        self.writer, self.catalog, self.actors, self.rng, self.vectors = writer, catalog, actors, rng, vectors
        # The label the matcher checks before it trusts a stored vector (claims.matching.store).
        self.written_by = encoder.identity() if vectors else ""
        self.slug_base = slug_base
        self.site_url, self.publisher = settings.SITE_URL, settings.FACTCHECK_PUBLISHER_NAME
        from factcheck.record.models import search_document

        models = list(MODELS)
        self.search_document = search_document  # what FactCheck.searchable_text writes
        self.tables = {
            model._meta.label: columns_of(model, names)
            for model, names in zip(
                models,
                [CLAIM, EVENT, TOPIC_LINK, ASSIGNMENT, REVIEW, SOURCE, FACT_CHECK, VERSION, MATCH],
                strict=True,
            )
        }
        self.next = {model._meta.label: ids[model._meta.label] for model in models}
        self.labels = [model._meta.label for model in models]

    def _id(self, label: str) -> int:
        value = self.next[label]
        self.next[label] = value + 1
        return value

    def write_chunk(self, claims: list[tuple[int, str, datetime]]) -> None:
        """`claims`: (index, status, created_at) of each claim of the chunk."""
        out: dict[str, list[tuple]] = {label: [] for label in self.labels}
        for index, status, created in claims:
            self._claim(out, index, status, created)
        for label in self.labels:
            self.writer.write(*self.tables[label], out[label])

    def _claim(self, out: dict[str, list[tuple]], index: int, status: str, created: datetime) -> None:
        rng, catalog, actors = self.rng, self.catalog, self.actors
        language = pick_language(rng)
        sentence = pick_sentence(rng)
        text = claim_text(rng, language, index, sentence)
        vector = self.vectors[language.code][sentence] if self.vectors else None
        claim_id = self._id("claims.Claim")
        journalist = actors.journalists[index % len(actors.journalists)]
        editor = actors.editors[index % len(actors.editors)]
        reviewer = actors.reviewers[index % len(actors.reviewers)]
        claimant = rng.choice(catalog.claimants) if rng.random() < 0.8 else None
        report = rng.choice(catalog.reports) if rng.random() < 0.5 else None
        steps = ("submitted", "rejected") if status == "rejected" else PATH[: PATH.index(status) + 1]
        hours = (0, 4) if status == "rejected" else STEP_HOURS[: len(steps)]
        at = [created + timedelta(hours=h, minutes=rng.randint(0, 50)) for h in hours]
        out["claims.Claim"].append(
            (claim_id, text, report[0] if report else None, "", None, None, claimant[0] if claimant else None,
             (created - timedelta(days=rng.randint(0, 20))).date(), language.code, status,
             rng.choice(("low", "normal", "normal", "high")), round(rng.random(), 3), None, journalist, "newsroom",
             "", "", created, at[-1])
        )  # fmt: skip
        for topic in rng.sample(catalog.topics, rng.choice((0, 1, 1, 2))):
            out["claims.Claim_topics"].append((self._id("claims.Claim_topics"), claim_id, topic))
        actor_of = {"submitted": journalist, "queued": editor, "rejected": editor, "assigned": None,
                    "in_review": reviewer, "awaiting_approval": reviewer, "published": editor,
                    "retracted": editor}  # fmt: skip
        for n, step in enumerate(steps):
            note = {"rejected": "Opinion, not checkable.", "assigned": f"Offered to bench-reviewer{index % 12}",
                    "retracted": "The source was misread."}.get(step, "")  # fmt: skip
            out["claims.ClaimEvent"].append(
                (self._id("claims.ClaimEvent"), claim_id, actor_of[step], "transition", steps[n - 1] if n else "",
                 step, note, "{}", at[n])
            )  # fmt: skip
        fact_check = status in ("published", "retracted")
        self._match(out, "claim", claim_id, language.code, text, vector, {"submitted_by": journalist}, not fact_check,
                    at[-1])  # fmt: skip
        if len(steps) < 3 or status == "rejected":
            return
        self._assignment(out, claim_id, reviewer, steps, at)
        if len(steps) < 4:
            return
        review_id = self._id("reviews.Review")
        rating = rng.choice(catalog.ratings)
        submitted = len(steps) >= 5
        summary = claim_text(rng, language, index)[:200]
        explanation = f"{summary}\n\n**{text}**"
        out["reviews.Review"].append(
            (review_id, claim_id, reviewer, rating.pk, summary, explanation, at[min(4, len(at) - 1)],
             at[4] if submitted else None)
        )  # fmt: skip
        sources = []
        for position in range(rng.randint(3, 8) if submitted else 1):
            source = {"url": f"https://data{position}.example.org/{claim_id}/{position}",
                      "title": claim_text(rng, language, position)[:120],
                      "publisher": SOURCE_PUBLISHERS[position % len(SOURCE_PUBLISHERS)],
                      "archive_url": "", "accessed_at": at[3].date().isoformat()}  # fmt: skip
            sources.append(source)
            out["reviews.Source"].append(
                (self._id("reviews.Source"), review_id, source["url"], source["title"], source["publisher"], "",
                 at[3].date(), position)
            )  # fmt: skip
        if fact_check:
            self._fact_check(out, claim_id, text, vector, language.code, status, at, rating, summary, explanation,
                             sources, claimant, report, editor, reviewer)  # fmt: skip

    def _assignment(self, out: dict, claim_id: int, reviewer: int, steps: tuple, at: list[datetime]) -> None:
        # Accepted until an editor approves: the submitted review can still come back with comments. The offer was
        # mailed when it was made; nothing was escalated.
        state = "offered" if len(steps) == 3 else "accepted" if len(steps) < 6 else "completed"
        out["reviews.Assignment"].append(
            (self._id("reviews.Assignment"), claim_id, reviewer, state, None, at[2], at[2] + timedelta(hours=2),
             at[3] if len(steps) > 3 else None, at[2] + timedelta(hours=24), None,
             at[5] if state == "completed" else None, "", at[2], at[2], None, None)
        )  # fmt: skip

    def _match(self, out: dict, kind: str, ref: int, code: str, text: str, vector: bytes | None, payload: dict,
               active: bool, at) -> None:  # fmt: skip
        out["claims.MatchDocument"].append(
            (
                self._id("claims.MatchDocument"),
                "desk",
                kind,
                ref,
                code.split("-")[0],
                text,
                vector,
                self.written_by if vector is not None else "",
                dumps(payload),
                active,
                at,
            )
        )

    def _fact_check(self, out, claim_id, text, vector, code, status, at, rating, summary, explanation, sources,
                    claimant, report, editor, reviewer) -> None:  # fmt: skip
        fc_id = self._id("factcheck.FactCheck")
        slug = f"{self.slug_base(text, max_length=90, fallback='claim')}-{claim_id}"
        published = at[5]
        snapshot = (rating.label, rating.value, rating.definition, rating.colour, rating.scale.name, rating.scale.best,
                    rating.scale.worst, claimant[1] if claimant else "", claimant[2] if claimant else "",
                    report[1] if report else "", report[2] if report else "", report[3] if report else "",
                    report[4] if report else None)  # fmt: skip
        versions = [(self._id("factcheck.FactCheckVersion"), 1, "", published)]
        if self.rng.random() < 0.05:
            versions.append(
                (self._id("factcheck.FactCheckVersion"), 2, "The figure was updated.", published + timedelta(days=3))
            )
        for version_id, number, note, created in versions:
            out["factcheck.FactCheckVersion"].append(
                (version_id, fc_id, number, rating.pk, summary, explanation, dumps(sources), note, *snapshot, editor,
                 reviewer, created)
            )  # fmt: skip
        retracted = at[6] if status == "retracted" else None
        updated = retracted or versions[-1][3]
        row = (fc_id, claim_id, slug, versions[-1][0], published, updated, retracted,
               "The source was misread." if retracted else "",
               self.search_document(text, claimant[1] if claimant else "", summary))  # fmt: skip
        out["factcheck.FactCheck"].append(row)
        payload = {"slug": slug, "url": f"{self.site_url}/fact-checks/{slug}/", "path": f"/fact-checks/{slug}/",
                   "rating": rating.label, "rating_colour": rating.colour, "publisher": self.publisher,
                   "published_at": published.isoformat()}  # fmt: skip
        self._match(out, "fact_check", claim_id, code, text, vector, payload, retracted is None, updated)
