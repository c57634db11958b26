import django.db.models.deletion
from django.db import migrations, models

import search.models

# On PostgreSQL: the GIN index full-text search reads, and trigram indexes (pg_trgm) for the
# typo-tolerant match on names and addresses. SQLite has neither; search there reads the text
# columns (search.queries). Named after the queries they serve, as the model's indexes are.
POSTGRES_INDEXES = [
    "CREATE INDEX search_document_vector_idx ON search_searchdocument USING gin (vector)",
    "CREATE INDEX search_document_name_trgm_idx"
    " ON search_searchdocument USING gin (name gin_trgm_ops)",
    "CREATE INDEX search_document_email_trgm_idx"
    " ON search_searchdocument USING gin (email gin_trgm_ops)",
    # Ten times the default sample of lexemes: with the default, a word in 70 of 50,000
    # resumes was estimated in 230, and a board's column walked 13,000 rows to find 13
    # instead of reading the GIN index (250 ms against 0.4 ms).
    "ALTER TABLE search_searchdocument ALTER COLUMN vector SET STATISTICS 1000",
]


def add_postgres_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Ships with PostgreSQL and is trusted; left in place on the way back, like btree_gist.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for sql in POSTGRES_INDEXES:
        schema_editor.execute(sql)


def remove_postgres_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in ("vector", "name_trgm", "email_trgm"):
        schema_editor.execute(f"DROP INDEX search_document_{name}_idx")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("applications", "0008_candidate_merged_at_candidate_merged_into_and_more"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "application",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="applications.application",
                    ),
                ),
                ("name", models.CharField(blank=True, max_length=401)),
                ("email", models.CharField(blank=True, max_length=254)),
                ("tags", models.TextField(blank=True)),
                ("details", models.TextField(blank=True)),
                ("vector", search.models.VectorField(editable=False, null=True)),
            ],
        ),
        migrations.RunPython(add_postgres_indexes, remove_postgres_indexes),
    ]
