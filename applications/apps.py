from django.apps import AppConfig
from django.db.models.signals import post_save


class ApplicationsConfig(AppConfig):
    name = "applications"

    def ready(self):
        # Postings knows nothing of applications, so the pipeline is given to a new posting
        # from here rather than by the code that creates it.
        from postings.models import Posting

        post_save.connect(
            give_new_posting_its_pipeline, sender=Posting, dispatch_uid="posting-default-pipeline"
        )


def give_new_posting_its_pipeline(sender, instance, created, raw=False, **kwargs):
    if created and not raw:  # Fixtures (raw) bring their own stages.
        from applications import services

        services.create_default_pipeline(instance)
