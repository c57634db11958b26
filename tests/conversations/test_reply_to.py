"""Every email to a candidate answers to their conversation's plus address; nothing else does."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from applications.services import move_application
from ats.env import env_plus_address
from conversations.models import Thread
from conversations.services import reply_to_for_candidate, thread_for
from dashboard.services import add_note
from notifications.models import OutboxEmail
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_confirmation_email_answers_to_the_applications_plus_address(
    reply_address, posting, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        application = factories.submit(posting, email="jane@example.com")
    token = Thread.objects.get(application=application).reply_token
    email = OutboxEmail.objects.get(application=application, to="jane@example.com")
    assert email.reply_to == f"jobs+{token}@hiring.example"
    assert token != application.status_token and token not in application.status_token
    [sent] = [m for m in mailoutbox if m.to == ["jane@example.com"]]
    assert sent.reply_to == [f"jobs+{token}@hiring.example"]


def test_a_stage_email_reuses_the_same_thread(reply_address, application):
    first = thread_for(application)
    move_application(
        application=application, to_stage=application.posting.stages.get(name="Screen")
    )
    assert Thread.objects.filter(application=application).count() == 1
    assert set(
        OutboxEmail.objects.filter(application=application, to="jane@example.com").values_list(
            "reply_to", flat=True
        )
    ) == {f"jobs+{first.reply_token}@hiring.example"}


def test_staff_emails_about_the_application_keep_answering_to_from(
    reply_address, application, hiring_manager, recruiter
):
    add_note(application=application, author=recruiter, body="@bob have a look")
    staff = OutboxEmail.objects.filter(application=application).exclude(to="jane@example.com")
    assert staff.exists()
    assert set(staff.values_list("reply_to", flat=True)) == {""}


def test_without_a_reply_address_there_is_no_reply_to_and_no_thread(settings, application):
    settings.ATS_REPLY_ADDRESS = None
    assert reply_to_for_candidate(application, "jane@example.com") == ""
    assert OutboxEmail.objects.get(application=application, to="jane@example.com").reply_to == ""
    assert not Thread.objects.exists()


def test_the_thread_is_made_once_even_when_asked_twice(application):
    assert thread_for(application) == thread_for(application)
    assert Thread.objects.count() == 1


@pytest.mark.parametrize(
    "value",
    ["jobs+x@hiring.example", "jobs", "@hiring.example", "Jobs <jobs@hiring.example>", "jobs@x"],
)
def test_a_bad_reply_address_stops_start_up_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("ATS_REPLY_ADDRESS", value)
    with pytest.raises(ImproperlyConfigured, match="ATS_REPLY_ADDRESS"):
        env_plus_address("ATS_REPLY_ADDRESS")


def test_a_good_reply_address_is_read(monkeypatch):
    monkeypatch.setenv("ATS_REPLY_ADDRESS", " jobs@hiring.example ")
    assert env_plus_address("ATS_REPLY_ADDRESS") == "jobs@hiring.example"
    monkeypatch.delenv("ATS_REPLY_ADDRESS")
    assert env_plus_address("ATS_REPLY_ADDRESS") is None


def test_an_interview_invitation_answers_to_the_thread_for_the_candidate_only(
    reply_address, upcoming_interview, interviewer
):
    from interviews.emails import queue_invites

    OutboxEmail.objects.all().delete()
    assert queue_invites(upcoming_interview)
    token = thread_for(upcoming_interview.application).reply_token
    reply_to = dict(OutboxEmail.objects.values_list("to", "reply_to"))
    assert reply_to["jane@example.com"] == f"jobs+{token}@hiring.example"
    assert reply_to[interviewer.email] == ""
