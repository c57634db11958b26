from django.apps import AppConfig


class OffersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "offers"
    verbose_name = "Offers"

    def ready(self):
        from applications import status_panels
        from applications.signals import applications_erased
        from offers import panels, signals

        status_panels.register(panels.status_panel)
        applications_erased.connect(signals.forget_erased, dispatch_uid="offers-forget-erased")
