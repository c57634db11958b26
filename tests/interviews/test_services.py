from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from applications.models import Stage
from interviews import services
from interviews.models import Interview, InterviewerSeat, OfferedSlot
from interviews.signals import interview_changed
from notifications.models import OutboxEmail
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def changes():
    heard = []

    def receiver(sender, interview_id, action, **kwargs):
        heard.append((interview_id, action))

    interview_changed.connect(receiver)
    yield heard
    interview_changed.disconnect(receiver)


def schedule(application, step, starts_at, interviewers, by, **fields):
    return services.schedule_interview(
        application=application,
        step=step,
        starts_at=starts_at,
        interviewers=interviewers,
        by=by,
        **fields,
    )


def test_scheduling_activates_seats_with_the_times_and_invites_everyone(
    application, step, ivan, olga, recruiter, monday, changes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        interview = schedule(
            application, step, monday, [ivan, olga], recruiter, video_url="https://meet.example/x"
        )
    assert interview.status == Interview.Status.SCHEDULED
    assert interview.ends_at == monday + timedelta(minutes=60)
    seats = InterviewerSeat.objects.filter(interview=interview, active=True)
    assert {(s.user, s.starts_at, s.ends_at) for s in seats} == {
        (ivan, monday, interview.ends_at),
        (olga, monday, interview.ends_at),
    }
    invites = OutboxEmail.objects.filter(kind=OutboxEmail.Kind.INTERVIEW_INVITE)
    assert sorted(invites.values_list("to", flat=True)) == [
        "ivan@example.com",
        "jane@example.com",
        "olga@example.com",
    ]
    assert all(e.attachment_type == "text/calendar; method=REQUEST" for e in invites)
    assert changes == [(interview.pk, "scheduled")]


def test_an_interviewer_already_booked_is_refused_by_name_and_nothing_is_stored(
    application, applicants, step, ivan, olga, recruiter, monday
):
    schedule(application, step, monday, [ivan], recruiter)
    before = (Interview.objects.count(), OutboxEmail.objects.count())
    with pytest.raises(ValidationError, match=r"Ivan Petrov, Jr\. is already booked"):
        schedule(applicants["ben"], step, monday + timedelta(minutes=30), [olga, ivan], recruiter)
    assert (Interview.objects.count(), OutboxEmail.objects.count()) == before


def test_back_to_back_interviews_are_not_a_double_booking(
    application, applicants, step, ivan, recruiter, monday
):
    schedule(application, step, monday, [ivan], recruiter)
    second = schedule(applicants["ben"], step, monday + timedelta(hours=1), [ivan], recruiter)
    assert second.is_scheduled


@pytest.mark.parametrize(
    "change, message",
    [
        ({"starts_at": "past"}, "future"),
        ({"interviewers": []}, "at least one interviewer"),
        ({"interviewers": "inactive"}, "not an active staff user"),
        ({"interviewers": "no profile"}, "not an active staff user"),
        ({"step": "other posting"}, "another posting"),
        ({"video_url": "javascript:alert(1)"}, "valid URL"),
    ],
)
def test_bad_scheduling_input_is_a_clear_error(
    application, step, ivan, recruiter, monday, other_posting, change, message
):
    kwargs = {"starts_at": monday, "interviewers": [ivan], "step": step}
    if change.get("starts_at") == "past":
        kwargs["starts_at"] = timezone.now() - timedelta(minutes=5)
    elif change.get("interviewers") == "inactive":
        ivan.is_active = False
        kwargs["interviewers"] = [ivan]
    elif change.get("interviewers") == "no profile":
        kwargs["interviewers"] = [factories.UserFactory(username="nobody", profile=None)]
    elif "interviewers" in change:
        kwargs["interviewers"] = []
    elif "step" in change:
        kwargs["step"] = factories.interview_step(other_posting, name="Other screen")
    kwargs.update({k: v for k, v in change.items() if k == "video_url"})
    with pytest.raises(ValidationError, match=message):
        services.schedule_interview(application=application, by=recruiter, **kwargs)
    assert not Interview.objects.exists()


def test_a_closed_application_cannot_be_scheduled(application, step, ivan, recruiter, monday):
    application.stage = application.posting.stages.get(kind=Stage.Kind.REJECTED)
    application.save()
    with pytest.raises(ValidationError, match="open application"):
        schedule(application, step, monday, [ivan], recruiter)


def test_rescheduling_keeps_the_uid_raises_the_sequence_and_moves_the_seats(
    application, step, ivan, recruiter, monday, changes, django_capture_on_commit_callbacks
):
    interview = schedule(application, step, monday, [ivan], recruiter)
    later = monday + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.reschedule_interview(interview=interview, starts_at=later, by=recruiter)
    assert moved.uid == interview.uid and moved.sequence == 1
    assert InterviewerSeat.objects.get(interview=interview).starts_at == later
    assert OutboxEmail.objects.filter(key__contains=":invite:1:").count() == 2
    assert changes == [(interview.pk, "rescheduled")]
    assert services.reschedule_interview(interview=interview, starts_at=later, by=recruiter) is None


def test_cancelling_frees_the_seats_and_tells_everyone(
    application, applicants, step, ivan, recruiter, monday, changes,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    interview = schedule(application, step, monday, [ivan], recruiter)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.cancel_interview(interview=interview, by=recruiter, reason="Role filled")
    interview.refresh_from_db()
    assert interview.status == Interview.Status.CANCELLED and interview.cancelled_at
    assert not InterviewerSeat.objects.filter(active=True).exists()
    cancels = OutboxEmail.objects.filter(kind=OutboxEmail.Kind.INTERVIEW_CANCELLED)
    assert cancels.count() == 2
    assert all(e.attachment_type == "text/calendar; method=CANCEL" for e in cancels)
    assert "Role filled" in cancels.get(to="jane@example.com").body_text
    assert changes == [(interview.pk, "cancelled")]
    assert not services.cancel_interview(interview=interview, by=recruiter)
    # Ivan's time is free again.
    assert schedule(applicants["ben"], step, monday, [ivan], recruiter).is_scheduled


def test_a_no_show_is_recorded_only_once_the_interview_has_started(
    application, step, ivan, recruiter
):
    soon = factories.scheduled_interview(
        application, step, interviewers=[ivan], starts_at=timezone.now() + timedelta(hours=1)
    )
    with pytest.raises(ValidationError, match="started"):
        services.mark_no_show(interview=soon, by=recruiter)
    Interview.objects.filter(pk=soon.pk).update(starts_at=timezone.now() - timedelta(minutes=10))
    assert services.mark_no_show(interview=soon, by=recruiter)
    soon.refresh_from_db()
    assert soon.status == Interview.Status.NO_SHOW
    assert not services.mark_no_show(interview=soon, by=recruiter)


def offer(application, step, starts, interviewers, by):
    return services.offer_slots(
        application=application, step=step, starts=starts, interviewers=interviewers, by=by
    )


def test_offering_times_waits_for_the_candidate_and_emails_them_their_link(
    application, step, ivan, recruiter, monday
):
    interview = offer(application, step, [monday, monday + timedelta(hours=2)], [ivan], recruiter)
    assert interview.status == Interview.Status.AWAITING_CANDIDATE
    assert interview.starts_at is None
    assert list(interview.slots.values_list("starts_at", flat=True)) == [
        monday,
        monday + timedelta(hours=2),
    ]
    assert not InterviewerSeat.objects.filter(active=True).exists()
    email = OutboxEmail.objects.get(kind=OutboxEmail.Kind.INTERVIEW_SLOTS)
    assert email.to == "jane@example.com" and not email.attachment_text
    assert application.get_status_url() in email.body_text


def test_a_time_outside_working_hours_or_taken_cannot_be_offered(
    application, applicants, step, ivan, recruiter, monday
):
    with pytest.raises(ValidationError, match="no longer free"):
        offer(application, step, [monday.replace(hour=22)], [ivan], recruiter)
    schedule(applicants["ben"], step, monday, [ivan], recruiter)
    with pytest.raises(ValidationError, match="no longer free"):
        offer(application, step, [monday + timedelta(minutes=30)], [ivan], recruiter)
    assert not OfferedSlot.objects.exists()


def test_the_candidate_books_an_offered_slot_and_may_pick_another_before_the_cutoff(
    application, step, ivan, recruiter, monday, changes, django_capture_on_commit_callbacks
):
    interview = offer(application, step, [monday, monday + timedelta(hours=2)], [ivan], recruiter)
    first, second = interview.slots.all()
    with django_capture_on_commit_callbacks(execute=True):
        services.book_slot(interview=interview, slot=first, time_zone="Asia/Tokyo")
    interview.refresh_from_db()
    assert interview.is_scheduled and interview.starts_at == monday
    assert interview.candidate_time_zone == "Asia/Tokyo" and interview.sequence == 0
    seat = InterviewerSeat.objects.get(interview=interview)
    assert seat.active and seat.starts_at == monday
    with django_capture_on_commit_callbacks(execute=True):
        services.book_slot(interview=interview, slot=second)
    interview.refresh_from_db()
    assert interview.starts_at == second.starts_at and interview.sequence == 1
    assert changes == [(interview.pk, "scheduled"), (interview.pk, "rescheduled")]


def test_a_slot_taken_meanwhile_is_refused_as_just_taken(
    application, applicants, step, ivan, recruiter, monday
):
    interview = offer(application, step, [monday], [ivan], recruiter)
    schedule(applicants["ben"], step, monday, [ivan], recruiter)
    with pytest.raises(ValidationError, match="just taken"):
        services.book_slot(interview=interview, slot=interview.slots.get())
    interview.refresh_from_db()
    assert interview.is_awaiting_candidate


def test_after_the_cutoff_the_candidate_can_neither_move_nor_cancel(
    application, step, ivan, recruiter, settings
):
    settings.ATS_INTERVIEW_CHANGE_CUTOFF_HOURS = 24
    soon = timezone.now().replace(microsecond=0) + timedelta(hours=20)
    interview = factories.scheduled_interview(
        application, step, interviewers=[ivan], starts_at=soon
    )
    slot = OfferedSlot.objects.create(
        interview=interview,
        starts_at=soon + timedelta(days=3),
        ends_at=soon + timedelta(days=3, hours=1),
    )
    assert not interview.candidate_can_change
    with pytest.raises(ValidationError, match="too late"):
        services.book_slot(interview=interview, slot=slot)
    with pytest.raises(ValidationError, match="too late"):
        services.cancel_by_candidate(interview=interview)
    settings.ATS_INTERVIEW_CHANGE_CUTOFF_HOURS = 12
    assert services.cancel_by_candidate(interview=interview)


def test_reminders_go_once_per_interview_time_to_the_candidate_and_each_interviewer(
    application, step, ivan, olga, recruiter, settings
):
    settings.ATS_INTERVIEW_REMINDER_HOURS = 24
    soon = timezone.now().replace(microsecond=0) + timedelta(hours=5)
    interview = schedule(application, step, soon, [ivan, olga], recruiter)
    schedule(
        factories.apply(application.posting, name="Later Person", email="later@example.com"),
        step,
        soon + timedelta(days=3),
        [ivan],
        recruiter,
    )
    assert services.queue_due_reminders() == 3
    assert services.queue_due_reminders() == 0
    reminders = OutboxEmail.objects.filter(kind=OutboxEmail.Kind.INTERVIEW_REMINDER)
    assert sorted(reminders.values_list("to", flat=True)) == [
        "ivan@example.com",
        "jane@example.com",
        "olga@example.com",
    ]
    services.reschedule_interview(
        interview=interview, starts_at=soon + timedelta(hours=1), by=recruiter
    )
    assert services.queue_due_reminders() == 3  # a new time, a new reminder


def test_the_reminder_command_queues_the_same_reminders(
    application, step, ivan, recruiter, settings
):
    from io import StringIO

    from django.core.management import call_command

    schedule(application, step, timezone.now() + timedelta(hours=2), [ivan], recruiter)
    out = StringIO()
    call_command("send_interview_reminders", stdout=out)
    assert "Queued 2 interview reminder(s)." in out.getvalue()
    call_command("send_interview_reminders", stdout=out)
    assert OutboxEmail.objects.filter(kind=OutboxEmail.Kind.INTERVIEW_REMINDER).count() == 2


def test_the_beat_task_queues_the_reminders_too(application, step, ivan, recruiter):
    from interviews.tasks import send_interview_reminders

    schedule(application, step, timezone.now() + timedelta(hours=2), [ivan], recruiter)
    assert send_interview_reminders.delay().get() == 2
    assert send_interview_reminders.delay().get() == 0
