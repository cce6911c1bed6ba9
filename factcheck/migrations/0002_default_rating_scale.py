from django.db import migrations

RATINGS = [
    ("true", "True", 5, "The claim is accurate and nothing significant is missing."),
    ("mostly-true", "Mostly true", 4, "The claim is accurate but needs clarification or additional information."),
    ("half-true", "Half true", 3, "The claim is partly accurate but leaves out important details or takes things out of context."),
    ("mostly-false", "Mostly false", 2, "The claim contains an element of truth but ignores facts that would give a different impression."),
    ("false", "False", 1, "The claim is not accurate."),
    ("misleading", "Misleading", None, "The claim uses accurate facts in a way that leads to a wrong conclusion."),
    ("unverifiable", "Unverifiable", None, "The available evidence can neither prove nor disprove the claim."),
]


def create_default_scale(apps, schema_editor):
    RatingScale = apps.get_model("factcheck", "RatingScale")
    Rating = apps.get_model("factcheck", "Rating")
    scale, _ = RatingScale.objects.get_or_create(
        slug="accuracy", defaults={"name": "Accuracy scale", "best": 5, "worst": 1, "is_default": True}
    )
    for position, (slug, label, value, definition) in enumerate(RATINGS):
        Rating.objects.get_or_create(
            scale=scale, slug=slug,
            defaults={"label": label, "value": value, "definition": definition, "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0001_initial")]
    operations = [migrations.RunPython(create_default_scale, migrations.RunPython.noop)]
