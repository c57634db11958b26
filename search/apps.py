from django.apps import AppConfig
from django.db.backends.signals import connection_created


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from search import signals  # noqa: F401 - connects the receivers

        connection_created.connect(set_trigram_thresholds, dispatch_uid="search.trigram_thresholds")


def set_trigram_thresholds(sender, connection, **kwargs):
    """pg_trgm's operators match at its thresholds, settings of the session: `<%` at
    word_similarity_threshold (0.6 by default, which misses one swapped letter in a
    five-letter name) and `%` at similarity_threshold (0.3, which finds every address at the
    same domain). Set once per connection; a placeholder until the extension loads, so on a
    fresh database too. Behind a pooler that resets sessions, the defaults apply."""
    if connection.vendor != "postgresql":
        return
    from search.queries import ADDRESS_SIMILARITY, WORD_SIMILARITY

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false),"
            " set_config('pg_trgm.similarity_threshold', %s, false)",
            [str(WORD_SIMILARITY), str(ADDRESS_SIMILARITY)],
        )
