from django.apps import AppConfig


class OffersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "offers"
    verbose_name = "Offers"

    def ready(self):
        from applications import status_panels
        from offers import panels

        status_panels.register(panels.status_panel)
