"""Which email each application event causes, written into the outbox in the caller's transaction.

Every key names its event, so repeating an event can never produce a second email.
"""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboxEmail
from notifications.services import queue_email


def _status_url(application) -> str:
    return settings.SITE_URL + application.get_status_url()


def _dashboard_url(application) -> str:
    try:
        path = reverse("dashboard:application", args=[application.posting_id, application.pk])
    except Exception:  # The dashboard app may not be installed.
        path = reverse("admin:applications_application_change", args=[application.pk])
    return settings.SITE_URL + path


def queue_application_received(application):
    return queue_email(
        key=f"application:{application.pk}:received",
        kind=OutboxEmail.Kind.APPLICATION_RECEIVED,
        to=application.candidate.email,
        template="application_received",
        context={
            "application": application,
            "candidate": application.candidate,
            "posting": application.posting,
            "status_url": _status_url(application),
        },
        application=application,
    )


def hiring_team_recipients(posting, *, frequency: str):
    return [
        user
        for user in posting.hiring_team.filter(is_active=True).select_related("profile")
        if user.email
        and getattr(getattr(user, "profile", None), "new_application_email", "instant") == frequency
    ]


def queue_new_application_alerts(application):
    from accounts.models import Profile

    queued = []
    for user in hiring_team_recipients(
        application.posting, frequency=Profile.EmailFrequency.INSTANT
    ):
        queued.append(
            queue_email(
                key=f"application:{application.pk}:new:user:{user.pk}",
                kind=OutboxEmail.Kind.NEW_APPLICATION,
                to=user.email,
                template="new_application",
                context={
                    "application": application,
                    "candidate": application.candidate,
                    "posting": application.posting,
                    "user": user,
                    "dashboard_url": _dashboard_url(application),
                    "flagged": application.needs_review,
                },
                application=application,
            )
        )
    return queued


def queue_stage_email(change):
    """The applicant hears of a move in candidate-facing words; a rejection waits a while."""
    application = change.application
    stage = change.to_stage
    rejected = stage.kind == stage.Kind.REJECTED
    send_after = None
    if rejected:
        send_after = change.at + timedelta(hours=application.posting.rejection_email_delay_hours)
    return queue_email(
        key=f"application:{application.pk}:stage-change:{change.pk}",
        kind=OutboxEmail.Kind.REJECTION if rejected else OutboxEmail.Kind.STAGE_CHANGED,
        to=application.candidate.email,
        template="rejection" if rejected else "stage_changed",
        context={
            "application": application,
            "candidate": application.candidate,
            "posting": application.posting,
            "stage": stage,
            "status_url": _status_url(application),
        },
        application=application,
        send_after=send_after,
    )


def queue_withdrawal(application):
    return queue_email(
        key=f"application:{application.pk}:withdrawn",
        kind=OutboxEmail.Kind.WITHDRAWAL,
        to=application.candidate.email,
        template="withdrawal",
        context={
            "application": application,
            "candidate": application.candidate,
            "posting": application.posting,
        },
        application=application,
    )


def queue_status_link(application):
    # One per ten-minute window: a second click in the window is a no-op.
    window = int(timezone.now().timestamp() // 600)
    return queue_email(
        key=f"application:{application.pk}:status-link:{window}",
        kind=OutboxEmail.Kind.STATUS_LINK,
        to=application.candidate.email,
        template="status_link",
        context={
            "application": application,
            "candidate": application.candidate,
            "posting": application.posting,
            "status_url": _status_url(application),
        },
        application=application,
    )


def forget_application_emails(applications):
    """Erasure: drop every email about these applications, sent or not."""
    OutboxEmail.objects.filter(application__in=applications).delete()


def queue_erasure_confirmation(*, email: str, name: str, candidate_id: int):
    # Not tied to an application row; the address is scrubbed from the row once sent.
    return queue_email(
        key=f"candidate:{candidate_id}:erased",
        kind=OutboxEmail.Kind.ERASURE,
        to=email,
        template="erasure",
        context={"name": name},
    )
