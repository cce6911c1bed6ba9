# A claim and its active assignment always agree, checked by PostgreSQL at commit; and the rows the last queue sweep
# could not handle, for the desk stats.
#
# The rule: an offered assignment means the claim is assigned, an accepted one that it is in review or awaiting
# approval. A claim that left those statuses with its assignment still active would wedge the reviewer's calls and
# the sweep. Services change both rows in one transaction, in either order, so the check is a constraint trigger
# deferred to commit. SQLite (the embedded default) has no deferred triggers: there the services' own guards keep
# the rule (return_to_queue and approval end the assignment in the same transaction as the claim's move).

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

CREATE = [
    """
CREATE FUNCTION reviews_claim_matches_assignments() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_claim bigint;
    v_status text;
BEGIN
    IF TG_TABLE_NAME = 'reviews_assignment' THEN
        v_claim := NEW.claim_id;
    ELSE
        v_claim := NEW.id;
    END IF;
    -- Deferred: read the rows as they are at commit, not as they were when this row changed.
    SELECT status INTO v_status FROM claims_claim WHERE id = v_claim;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF EXISTS (
        SELECT 1 FROM reviews_assignment
        WHERE claim_id = v_claim
          AND ((state = 'offered' AND v_status <> 'assigned')
               OR (state = 'accepted' AND v_status NOT IN ('in_review', 'awaiting_approval')))
    ) THEN
        RAISE EXCEPTION 'claim % is % yet has an active assignment that does not fit that status', v_claim, v_status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'claim_matches_active_assignment';
    END IF;
    RETURN NULL;
END;
$$
""",
    """
CREATE CONSTRAINT TRIGGER claim_matches_active_assignment
    AFTER INSERT OR UPDATE OF state, claim_id ON reviews_assignment
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION reviews_claim_matches_assignments()
""",
    """
CREATE CONSTRAINT TRIGGER claim_matches_active_assignment
    AFTER UPDATE OF status ON claims_claim
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION reviews_claim_matches_assignments()
""",
]

DROP = [
    "DROP TRIGGER IF EXISTS claim_matches_active_assignment ON claims_claim",
    "DROP TRIGGER IF EXISTS claim_matches_active_assignment ON reviews_assignment",
    "DROP FUNCTION IF EXISTS reviews_claim_matches_assignments()",
]


def _on_postgresql(statements: list[str]):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("reviews", "0002_assignment_latest_offer_index"), ("claims", "0006_claim_edit_audit")]

    operations = [
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False),
        migrations.CreateModel(
            name="SweepFailure",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "step",
                    models.CharField(
                        choices=[
                            ("expire", "Expire"),
                            ("escalate", "Escalate"),
                            ("route", "Route"),
                            ("alert", "Alert"),
                        ],
                        max_length=10,
                    ),
                ),
                (
                    "row_id",
                    models.PositiveBigIntegerField(
                        help_text="The assignment (expire, escalate) or claim (route, alert)."
                    ),
                ),
                ("error", models.TextField()),
                ("failed_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "claim",
                    models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="claims.claim"),
                ),
            ],
            options={"ordering": ["failed_at", "id"]},
        ),
    ]
