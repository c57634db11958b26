from django.apps import AppConfig


class SourcingConfig(AppConfig):
    name = "sourcing"
    verbose_name = "Sourcing"

    def ready(self):
        from sourcing import signals  # noqa: F401 - connects the receivers
