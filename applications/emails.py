"""Which email each application event causes, written into the outbox in the caller's transaction.

Every key names its event, so repeating an event can never produce a second email.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from applications.models import MANAGE_LINK_MAX_AGE, Application
from notifications.emails import render
from notifications.models import OutboxEmail
from notifications.services import cancel_pending, queue_email


def _status_url(application) -> str:
    return settings.SITE_URL + application.get_status_url()


def _dashboard_url(application) -> str:
    return settings.SITE_URL + application.get_dashboard_url()


def queue_application_received(application, *, added: bool = False):
    """`added`: the hiring team added the person (they did not apply), and the email says so."""
    return queue_email(
        key=f"application:{application.pk}:received",
        kind=OutboxEmail.Kind.APPLICATION_RECEIVED,
        to=application.candidate.email,
        template="candidate_added" if added else "application_received",
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


def _stage_email_prefix(application) -> str:
    return f"application:{application.pk}:stage-change:"


def queue_stage_email(change):
    """The applicant hears of a move in candidate-facing words, after a short hold (so that a
    second move can replace it: see cancel_held_stage_emails); a rejection waits longer."""
    application = change.application
    stage = change.to_stage
    rejected = stage.kind == stage.Kind.REJECTED
    send_after = change.at + timedelta(seconds=settings.ATS_STAGE_EMAIL_HOLD_SECONDS)
    if rejected:
        delay = timedelta(hours=application.posting.rejection_email_delay_hours)
        send_after = max(send_after, change.at + delay)
    return queue_email(
        key=f"{_stage_email_prefix(application)}{change.pk}",
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


def cancel_held_stage_emails(application) -> int:
    """The application moved again: the stage emails still held back describe a stage it has
    left, so they go unsent. Returns how many were cancelled."""
    return cancel_pending(
        OutboxEmail.objects.filter(
            application=application, key__startswith=_stage_email_prefix(application)
        )
    )


def last_heard_change_id(application) -> int | None:
    """The stage change whose email the applicant has had, or will have for certain (sent,
    being sent, or due): the stage they believe they are in. None when they have had none."""
    keys = (
        OutboxEmail.objects.filter(
            application=application, key__startswith=_stage_email_prefix(application)
        )
        .exclude(status__in=[OutboxEmail.Status.CANCELLED, OutboxEmail.Status.FAILED])
        .order_by("-created_at", "-id")
        .values_list("key", flat=True)
    )
    for key in keys[:1]:
        return int(key.removeprefix(_stage_email_prefix(application)))
    return None


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


def queue_already_applied(application):
    """The address applied to this posting before and somebody submitted it again: tell the
    address, with its link, whoever the submitter was. One per ten-minute window, so that
    repeating the form cannot flood an inbox."""
    window = int(timezone.now().timestamp() // 600)
    return queue_email(
        key=f"application:{application.pk}:already-applied:{window}",
        kind=OutboxEmail.Kind.STATUS_LINK,
        to=application.candidate.email,
        template="already_applied",
        context={
            "application": application,
            "posting": application.posting,
            "status_url": _status_url(application),
        },
        application=application,
    )


def queue_manage_link(candidate):
    """The link to every application from this address, sent only to it. One per ten-minute
    window."""
    window = int(timezone.now().timestamp() // 600)
    return queue_email(
        key=f"candidate:{candidate.pk}:manage-link:{window}",
        kind=OutboxEmail.Kind.MANAGE_LINK,
        to=candidate.email,
        template="manage_link",
        context={
            "manage_url": settings.SITE_URL + candidate.get_manage_url(),
            "valid_hours": MANAGE_LINK_MAX_AGE // 3600,
        },
    )


def forget_application_emails(applications):
    """Erasure: drop every email about these applications, sent or not."""
    OutboxEmail.objects.filter(application__in=applications).delete()


def queue_erasure_confirmation(
    *, key: str, email: str, name: str, postings: list[str], address_kept: bool
):
    # Not tied to an application row; the address is scrubbed from the row once sent.
    return queue_email(
        key=key,
        kind=OutboxEmail.Kind.ERASURE,
        to=email,
        template="erasure",
        context={"name": name, "postings": postings, "address_kept": address_kept},
    )


def digest_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The start and end of a calendar day in the site's time zone."""
    zone = timezone.get_default_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), zone)
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), zone)
    return start, end


def queue_daily_digests(day: date | None = None) -> int:
    """One email per daily-digest user listing the day's new applications on their postings.

    `day` defaults to yesterday. Keyed by user and day, so running it again queues nothing new.
    Returns how many digests were queued.
    """
    if day is None:
        day = timezone.localdate() - timedelta(days=1)
    queued = 0
    with transaction.atomic():
        for user, user_applications in _digest_readers(day).values():
            queued += queue_digest(user=user, day=day, applications=user_applications) is not None
    return queued


def _digest_readers(day: date) -> dict[int, tuple]:
    """{user id: (user, the day's live applications on their postings)} for daily-digest users."""
    from accounts.models import Profile

    start, end = digest_day_bounds(day)
    applications = (
        Application.objects.active()
        .filter(submitted_at__gte=start, submitted_at__lt=end)
        .select_related("posting")
        .prefetch_related(
            Prefetch(
                "posting__hiring_team",
                queryset=get_user_model()
                .objects.filter(
                    is_active=True, profile__new_application_email=Profile.EmailFrequency.DAILY
                )
                .exclude(email=""),
                to_attr="digest_readers",
            )
        )
        .order_by("posting__title", "posting_id", "submitted_at")
    )
    by_user: dict[int, tuple] = {}
    for application in applications:
        for user in application.posting.digest_readers:
            by_user.setdefault(user.pk, (user, []))[1].append(application)
    return by_user


def _digest_key(user_id: int, day: date) -> str:
    return f"digest:{user_id}:{day.isoformat()}"


def _digest_context(*, user, day: date, applications: list) -> dict:
    postings = []
    for application in applications:
        if not postings or postings[-1]["posting"].pk != application.posting_id:
            postings.append({"posting": application.posting, "applications": []})
        postings[-1]["applications"].append(
            {
                "name": application.name,
                "flagged": application.needs_review,
                "dashboard_url": _dashboard_url(application),
            }
        )
    return {"user": user, "day": day, "count": len(applications), "postings": postings}


def queue_digest(*, user, day: date, applications: list):
    return queue_email(
        key=_digest_key(user.pk, day),
        kind=OutboxEmail.Kind.DIGEST,
        to=user.email,
        template="digest",
        context=_digest_context(user=user, day=day, applications=applications),
    )


def rewrite_unsent_digests(erased_applications) -> int:
    """Erasure: digests queued but not yet sent (or failed, kept for a retry) may name the
    erased people. Render them again from what is left, or cancel those left empty.

    Call after the applications are marked erased, in the same transaction. A digest being
    sent at this very moment cannot be recalled. Returns how many rows changed."""
    unsent = [OutboxEmail.Status.PENDING, OutboxEmail.Status.FAILED]
    zone = timezone.get_default_timezone()
    changed = 0
    for day in {timezone.localtime(app.submitted_at, zone).date() for app in erased_applications}:
        rows = OutboxEmail.objects.filter(
            kind=OutboxEmail.Kind.DIGEST,
            status__in=unsent,
            key__startswith="digest:",
            key__endswith=f":{day.isoformat()}",
        ).only("pk", "key")
        if not rows:
            continue
        readers = _digest_readers(day)
        for row in rows:
            user_id = int(row.key.split(":")[1])
            if user_id in readers:
                user, applications = readers[user_id]
                rendered = render(
                    "digest", _digest_context(user=user, day=day, applications=applications)
                )
                fields = {
                    "subject": rendered.subject,
                    "body_text": rendered.body_text,
                    "body_html": rendered.body_html,
                }
            else:
                fields = {
                    "status": OutboxEmail.Status.CANCELLED,
                    "body_text": "(cancelled: every application it listed was erased)",
                    "body_html": "",
                }
            # Conditional: a worker that claimed the row meanwhile is sending it already.
            changed += OutboxEmail.objects.filter(pk=row.pk, status__in=unsent).update(**fields)
    return changed
