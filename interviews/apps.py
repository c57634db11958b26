from django.apps import AppConfig
from django.db.models.signals import post_save


class InterviewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "interviews"
    verbose_name = "Interviews"

    def ready(self):
        from applications import status_panels
        from applications.models import StageChange
        from applications.signals import applications_erased
        from interviews import availability, calendars, panels, signals
        from postings.models import Posting

        availability.register_busy_source(calendars.calendar_busy_times)
        signals.interview_changed.connect(
            calendars.on_interview_changed, dispatch_uid="calendar_events"
        )
        # Receivers run in the order they were connected: applications (earlier in
        # INSTALLED_APPS) has connected the default pipeline's, so the stages exist first.
        post_save.connect(
            signals.give_new_posting_its_plan,
            sender=Posting,
            dispatch_uid="posting-default-interview-plan",
        )
        status_panels.register(panels.status_panel)
        post_save.connect(
            signals.cancel_interviews_of_withdrawn,
            sender=StageChange,
            dispatch_uid="cancel-interviews-of-withdrawn",
        )
        applications_erased.connect(signals.forget_erased, dispatch_uid="interviews-forget-erased")
