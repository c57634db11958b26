from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class PostingsConfig(AppConfig):
    name = "postings"
    verbose_name = "Careers site"

    def ready(self):
        # Wired here, once the models exist: the models use the cache's QuerySet, so the cache
        # module cannot import them without a cycle.
        from postings import cache
        from postings.models import Location, Posting, Question, Section, Team

        for model in (Posting, Section, Question, Team, Location):
            uid = model._meta.label
            post_save.connect(cache.changed, sender=model, dispatch_uid=f"careers-cache-save-{uid}")
            post_delete.connect(
                cache.changed, sender=model, dispatch_uid=f"careers-cache-delete-{uid}"
            )
        m2m_changed.connect(
            cache.changed, sender=Posting.locations.through, dispatch_uid="careers-cache-locations"
        )
        m2m_changed.connect(
            cache.changed, sender=Posting.teams.through, dispatch_uid="careers-cache-teams"
        )
