"""The weekly email of new adverse-impact flags, through the real outbox."""

import pytest
from django.core import mail
from django.core.management import call_command

from notifications.models import OutboxEmail
from reports import alerts
from reports.models import ReportedFlag
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged(cohort):
    """Data Analyst, where Applied -> Screen passes 3 of 10 women and 8 of 10 men."""
    posting = factories.PostingFactory(title="Data Analyst", slug="data-analyst")
    cohort(posting, 3, reached="Screen", answers={"gender": "female"})
    cohort(posting, 7, reached="Applied", answers={"gender": "female"})
    cohort(posting, 8, reached="Screen", answers={"gender": "male"})
    cohort(posting, 2, reached="Applied", answers={"gender": "male"})
    return posting


@pytest.fixture
def readers(recruiter, hiring_manager, interviewer):
    return {"recruiter": recruiter, "manager": hiring_manager, "interviewer": interviewer}


def test_recruiters_are_emailed_a_new_flag_once(
    flagged, readers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts.email_new_flags() == 1
    emails = OutboxEmail.objects.filter(kind=OutboxEmail.Kind.FAIRNESS_FLAGS)
    assert [e.to for e in emails] == [readers["recruiter"].email]
    assert [m.to for m in mail.outbox] == [[readers["recruiter"].email]]
    sent = mail.outbox[0]
    assert sent.subject == "Fairness report: 1 new adverse-impact flag"
    assert (
        "Data Analyst, Applied → Screen: Gender, Female: impact ratio 0.37, p = 0.070" in sent.body
    )
    assert f"/dashboard/reports/fairness/postings/{flagged.pk}/" in sent.body
    assert "not a finding of discrimination" in sent.body
    assert ReportedFlag.objects.filter(posting=flagged, characteristic="gender").count() == 1

    # The next week, the same flag still stands: nothing new, no email.
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts.email_new_flags() == 0
    assert emails.count() == 1 and len(mail.outbox) == 1


def test_a_flag_appearing_later_is_emailed_alone(
    flagged, readers, cohort, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alerts.email_new_flags()
    # Protected veterans now pass Applied -> Screen at a lower rate than other veterans.
    cohort(flagged, 1, reached="Screen", answers={"veteran": "protected"})
    cohort(flagged, 5, reached="Applied", answers={"veteran": "protected"})
    cohort(flagged, 6, reached="Screen", answers={"veteran": "not_protected"})
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts.email_new_flags() == 1
    assert len(mail.outbox) == 2
    assert "Veteran status, I identify as one or more" in mail.outbox[1].body
    assert "Gender, Female" not in mail.outbox[1].body


def test_no_flag_no_email(readers, cohort, django_capture_on_commit_callbacks):
    posting = factories.PostingFactory(title="Even", slug="even")
    cohort(posting, 5, reached="Screen", answers={"gender": "female"})
    cohort(posting, 5, reached="Screen", answers={"gender": "male"})
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts.email_new_flags() == 0
    assert not OutboxEmail.objects.exists() and not mail.outbox


def test_the_command_and_the_beat_task_do_the_same(
    flagged, readers, django_capture_on_commit_callbacks, settings
):
    import io

    from reports.tasks import email_new_fairness_flags

    assert (
        settings.CELERY_BEAT_SCHEDULE["fairness-flags"]["task"]
        == "reports.tasks.email_new_fairness_flags"
    )
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("email_fairness_flags", stdout=out)
    assert out.getvalue().strip() == "1 new flag emailed to recruiters."
    with django_capture_on_commit_callbacks(execute=True):
        assert email_new_fairness_flags.delay().get() == 0
    assert len(mail.outbox) == 1
