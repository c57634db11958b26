from django.apps import AppConfig


class PostingsConfig(AppConfig):
    name = "postings"
    verbose_name = "Careers site"

    def ready(self):
        from postings import cache

        cache.connect_signals()
