from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "interviews"
    verbose_name = "Interviews"

    def ready(self):
        from applications import status_panels
        from interviews import panels, signals  # noqa: F401  (connects the receivers)

        status_panels.register(panels.status_panel)
