"""Stage names were unique per posting in the forms ignoring case, in the database with it.
Stages whose names differ only in case are renamed ("Screen (2)") before the database holds
the forms' rule."""

import django.db.models.functions.text
from django.db import migrations, models

NAME_MAX_LENGTH = 60


def rename_case_duplicates(apps, schema_editor):
    Stage = apps.get_model("applications", "Stage")
    taken: dict[int, set[str]] = {}
    renamed = []
    for stage in Stage.objects.order_by("posting_id", "position", "id").iterator():
        names = taken.setdefault(stage.posting_id, set())
        if stage.name.lower() not in names:
            names.add(stage.name.lower())
            continue
        number = 2
        while True:
            suffix = f" ({number})"
            candidate = stage.name[: NAME_MAX_LENGTH - len(suffix)] + suffix
            if candidate.lower() not in names and not (
                Stage.objects.filter(posting_id=stage.posting_id, name__iexact=candidate).exists()
            ):
                break
            number += 1
        stage.name = candidate
        names.add(candidate.lower())
        renamed.append(stage)
    Stage.objects.bulk_update(renamed, ["name"])


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0004_default_pipeline_for_every_posting"),
        ("postings", "0002_question_card_badge"),
    ]

    operations = [
        migrations.RunPython(rename_case_duplicates, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="stage",
            name="stage_name_unique_per_posting",
        ),
        migrations.AddConstraint(
            model_name="stage",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("name"),
                models.F("posting"),
                name="stage_name_ci_unique_per_posting",
            ),
        ),
    ]
