"""The search index: one document per application, rewritten by search.services whenever
something it holds changes.

Above applications and sourcing (whose rows it reads) and below the dashboard (which adds its
notes through search.services.register_text): the index knows what to read, never who shows it.
"""

from django.db import models

from applications.models import Application


class VectorField(models.Field):
    """A tsvector on PostgreSQL. SQLite has no such type: there the column is text that stays
    NULL, and search reads the document's text columns instead (search.queries)."""

    description = "Full-text search vector (PostgreSQL)"

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"


class SearchDocument(models.Model):
    """What search finds an application by. The short columns are kept apart from the long
    ones so that names and addresses weigh most in the ranking and get typo-tolerant
    (trigram) matching of their own. The resume text is not copied here: the vector is built
    from applications_resume directly, which keeps the largest text stored once."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    # The name this application gave, and the candidate record's if it differs.
    name = models.CharField(max_length=401, blank=True)
    email = models.CharField(max_length=254, blank=True)
    # The person's tags, space separated.
    tags = models.TextField(blank=True)
    # Answers' display text, the cover letter and the team's notes.
    details = models.TextField(blank=True)
    # Weights: A name, email and tags; B details; C resume text. Built by search.services.
    # The GIN index on it and the trigram indexes on name and email exist on PostgreSQL only
    # (migration 0001), where Django's model state does not track them.
    vector = VectorField(null=True, editable=False)

    def __str__(self):
        return f"Search document of application {self.application_id}"
