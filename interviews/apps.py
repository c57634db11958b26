from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "interviews"
    verbose_name = "Interviews"

    def ready(self):
        from interviews import availability, calendars, signals

        availability.register_busy_source(calendars.calendar_busy_times)
        signals.interview_changed.connect(
            calendars.on_interview_changed, dispatch_uid="calendar_events"
        )
