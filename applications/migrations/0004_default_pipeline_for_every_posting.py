"""Postings now get their pipeline when they are created, and pages no longer make one when
first shown: give every existing posting without stages the default pipeline now."""

from django.db import migrations

from applications import pipeline

# The default pipeline as it was when this migration was written, frozen here so that later
# changes to applications.pipeline.DEFAULT_PIPELINE do not rewrite history.
# (name, candidate-facing name, kind, notify the candidate)
DEFAULT_PIPELINE = [
    ("Applied", "Application received", "applied", False),
    ("Screen", "Under review", "active", True),
    ("Interview", "Interviewing", "active", True),
    ("Offer", "Offer", "active", True),
    ("Hired", "Hired", "hired", True),
    ("Rejected", "Not moving forward", "rejected", True),
    ("Withdrawn", "Withdrawn", "withdrawn", False),
]


def create_missing_pipelines(apps, schema_editor):
    Posting = apps.get_model("postings", "Posting")
    Stage = apps.get_model("applications", "Stage")
    Stage.objects.bulk_create(
        stage
        for posting in Posting.objects.filter(stages__isnull=True).iterator()
        for stage in pipeline.default_stages(
            posting=posting, stage_model=Stage, rows=DEFAULT_PIPELINE
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0003_resume_text_status"),
        ("postings", "0002_question_card_badge"),
    ]

    operations = [
        migrations.RunPython(create_missing_pipelines, migrations.RunPython.noop),
    ]
