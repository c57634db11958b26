from django.apps import AppConfig
from django.db.backends.signals import connection_created


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from search import signals  # noqa: F401 - connects the receivers

        connection_created.connect(set_trigram_threshold, dispatch_uid="search.trigram_threshold")


def set_trigram_threshold(sender, connection, **kwargs):
    """pg_trgm's `<%` operator finds words at or above `pg_trgm.word_similarity_threshold`,
    0.6 by default, which misses one swapped letter in a five-letter name: set it to ours
    once per connection (a placeholder until the extension loads, so a fresh database too)."""
    if connection.vendor != "postgresql":
        return
    from search.queries import WORD_SIMILARITY

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
            [str(WORD_SIMILARITY)],
        )
