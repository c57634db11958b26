from django.db import migrations, models


def copy_team_to_teams(apps, schema_editor):
    """Every posting keeps the team it had, now as its first (and only) team."""
    Posting = apps.get_model("postings", "Posting")
    Through = Posting.teams.through
    Through.objects.bulk_create(
        [
            Through(posting_id=posting_id, team_id=team_id)
            for posting_id, team_id in Posting.objects.values_list("pk", "team_id").iterator()
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("postings", "0002_question_card_badge"),
    ]

    operations = [
        # The old key gives up its reverse name to the new relation.
        migrations.AlterField(
            model_name="posting",
            name="team",
            field=models.ForeignKey(
                on_delete=models.deletion.PROTECT, related_name="+", to="postings.team"
            ),
        ),
        migrations.AddField(
            model_name="posting",
            name="teams",
            field=models.ManyToManyField(related_name="postings", to="postings.team"),
        ),
        migrations.RunPython(copy_team_to_teams, migrations.RunPython.noop),
    ]
