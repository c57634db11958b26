from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = "Recruiter dashboard"

    def ready(self):
        from dashboard import signals
        from search.services import register_text

        # The team's notes are searchable too; search knows nothing of this app.
        register_text(signals.notes_by_application)
