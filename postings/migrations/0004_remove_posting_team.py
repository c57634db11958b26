from django.db import migrations, models


def first_team_back(apps, schema_editor):
    """Going back to one team: a posting keeps the first of its teams by name."""
    Posting = apps.get_model("postings", "Posting")
    for posting in Posting.objects.prefetch_related("teams").iterator(chunk_size=500):
        teams = sorted(posting.teams.all(), key=lambda team: team.name)
        if teams:
            posting.team = teams[0]
            posting.save(update_fields=["team"])


class Migration(migrations.Migration):
    """Separate from the copy, so that the column is dropped in a transaction of its own.

    The key becomes nullable first so that, migrating backwards, the column can be added
    back and filled before it is required again.
    """

    dependencies = [
        ("postings", "0003_posting_teams"),
    ]

    operations = [
        migrations.AlterField(
            model_name="posting",
            name="team",
            field=models.ForeignKey(
                null=True, on_delete=models.deletion.PROTECT, related_name="+", to="postings.team"
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, first_team_back),
        migrations.RemoveField(model_name="posting", name="team"),
    ]
