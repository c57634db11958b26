import hashlib
import threading
import time
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from applications import privacy, services
from applications.forms import ApplicationForm
from applications.models import Application, Candidate, Stage, StageChange
from notifications.delivery import due_ids as sweep_ids
from notifications.models import OutboxEmail
from notifications.tasks import sweep_outbox
from tests.conftest import need
from tests.factories import PostingFactory, submit

pytestmark = pytest.mark.django_db


def test_one_candidate_per_email_ignoring_case_whose_details_no_submission_overwrites(posting):
    other = PostingFactory()
    first = submit(posting, email="Jane@Example.com", phone="+1 415 555 0100")
    second = submit(other, email="jane@example.COM", name="Jane Q. Doe", phone="+44 20 7946 0000")
    assert first.candidate_id == second.candidate_id
    candidate = Candidate.objects.get()
    # The first application's details stay; the second keeps what it said on itself.
    assert (candidate.name, candidate.phone) == ("Jane Doe", "+1 415 555 0100")
    assert (second.name, second.phone) == ("Jane Q. Doe", "+44 20 7946 0000")
    assert second.name_differs_from_candidate and not first.name_differs_from_candidate


def test_applying_twice_to_one_posting_makes_no_second_application(posting, private_root):
    first = submit(posting, email="jane@example.com")
    with pytest.raises(services.DuplicateApplication) as raised:
        submit(posting, email="JANE@example.com", name="Someone Else")
    assert raised.value.application == first
    assert Application.objects.count() == 1
    assert len([p for p in private_root.rglob("*") if p.is_file()]) == 1
    first.refresh_from_db()
    assert first.name == first.candidate.name == "Jane Doe"


def test_moving_writes_history(posting, recruiter):
    application = submit(posting)
    screen = posting.stages.get(name="Screen")
    change = services.move_application(
        application=application, to_stage=screen, by=recruiter, reason="Strong CV"
    )
    application.refresh_from_db()
    assert application.stage == screen
    assert (change.from_stage.name, change.to_stage.name, change.by, change.reason) == (
        "Applied",
        "Screen",
        recruiter,
        "Strong CV",
    )
    assert services.move_application(application=application, to_stage=screen) is None
    assert StageChange.objects.filter(application=application).count() == 2


def test_a_stage_of_another_posting_is_refused(posting):
    application = submit(posting)
    foreign = list(PostingFactory().stages.all())[1]
    with pytest.raises(ValueError, match="another posting"):
        services.move_application(application=application, to_stage=foreign)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_duplicate_submissions_give_exactly_one_application():
    need(connection.vendor == "postgresql", "concurrency needs PostgreSQL (set DATABASE_URL)")
    from tests.factories import backend_engineer_posting

    posting = backend_engineer_posting()
    barrier = threading.Barrier(2)
    outcomes = []

    def apply():
        from django.db import connections

        try:
            barrier.wait()
            submit(posting, email="race@example.com")
            outcomes.append("created")
        except services.DuplicateApplication:
            outcomes.append("duplicate")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=apply) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["created", "duplicate"]
    assert Application.objects.count() == 1
    assert Candidate.objects.count() == 1


def test_submitting_records_when_and_to_which_privacy_notice_the_applicant_consented(posting):
    before = timezone.now()
    application = submit(posting)
    application.refresh_from_db()
    assert application.privacy_notice_version == privacy.CURRENT_VERSION == "1"
    assert before <= application.consented_at <= timezone.now()
    assert application.consented_at == application.submitted_at
    # The wording agreed to is the one the form shows.
    assert ApplicationForm(posting=posting).fields["consent"].label == application.privacy_notice


def test_a_published_privacy_notice_never_changes_its_wording():
    """Applications record the version they agreed to: a new wording is a new version."""
    published = {
        "1": "1d7b6d0ce0b26367e80f20c9cfd76e3ac1a0407fdc88d59a373a974b49c57335",
    }
    for version, digest in published.items():
        assert hashlib.sha256(privacy.PRIVACY_NOTICES[version].encode()).hexdigest() == digest
    assert privacy.CURRENT_VERSION in privacy.PRIVACY_NOTICES


def test_the_data_export_holds_the_consent_record_and_erasure_keeps_it(
    posting, django_capture_on_commit_callbacks
):
    application = submit(posting)
    application.refresh_from_db()
    [exported] = services.export_data(application=application)["applications"]
    assert exported["consent"] == {
        "privacy_notice_version": "1",
        "privacy_notice": privacy.PRIVACY_NOTICES["1"],
        "consented_at": application.consented_at.isoformat(),
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.erase(application=application)
    erased = Application.objects.get(pk=application.pk)
    assert erased.erased_at and erased.name == ""
    assert erased.consented_at == application.consented_at
    assert erased.privacy_notice_version == "1"


def test_a_consent_is_a_time_and_a_wording_or_nothing(posting):
    application = submit(posting)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(privacy_notice_version="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(consented_at=None)


def stage_emails(application):
    return list(
        OutboxEmail.objects.filter(
            application=application, kind__in=["stage_changed", "rejection"]
        ).order_by("id")
    )


def test_a_stage_email_is_held_for_the_configured_window(posting, settings):
    settings.ATS_STAGE_EMAIL_HOLD_SECONDS = 300
    application = submit(posting)
    change = services.move_application(
        application=application, to_stage=posting.stages.get(name="Screen")
    )
    [email] = stage_emails(application)
    assert (email.status, email.send_after) == ("pending", change.at + timedelta(seconds=300))
    assert email.pk not in sweep_ids()


def test_a_rejection_waits_for_the_longer_of_the_hold_and_the_postings_delay(posting, settings):
    settings.ATS_STAGE_EMAIL_HOLD_SECONDS = 120
    application = submit(posting)
    change = services.move_application(
        application=application, to_stage=posting.stages.get(kind=Stage.Kind.REJECTED)
    )
    [email] = stage_emails(application)
    assert email.send_after == change.at + timedelta(hours=posting.rejection_email_delay_hours)


def test_two_quick_moves_leave_one_pending_email_for_the_last_stage(posting):
    application = submit(posting)
    services.move_application(application=application, to_stage=posting.stages.get(name="Screen"))
    services.move_application(
        application=application, to_stage=posting.stages.get(name="Interview")
    )
    screen_email, interview_email = stage_emails(application)
    assert screen_email.status == "cancelled"
    assert interview_email.status == "pending"
    assert "Interviewing" in interview_email.body_text


def test_a_move_undone_within_the_window_sends_nothing(posting):
    application = submit(posting)
    applied, screen = posting.stages.get(name="Applied"), posting.stages.get(name="Screen")
    services.move_application(application=application, to_stage=screen)
    services.move_application(application=application, to_stage=applied)
    assert [e.status for e in stage_emails(application)] == ["cancelled"]


def test_moving_back_to_the_stage_last_emailed_sends_no_second_email(posting, settings):
    settings.ATS_STAGE_EMAIL_HOLD_SECONDS = 0
    application = submit(posting)
    screen, offer = posting.stages.get(name="Screen"), posting.stages.get(name="Offer")
    services.move_application(application=application, to_stage=screen)
    sweep_outbox()
    settings.ATS_STAGE_EMAIL_HOLD_SECONDS = 120
    services.move_application(application=application, to_stage=offer)
    services.move_application(application=application, to_stage=screen)
    assert [e.status for e in stage_emails(application)] == ["sent", "cancelled"]


def test_a_rejection_undone_before_its_email_goes_sends_nothing(posting):
    application = submit(posting)
    services.move_application(application=application, to_stage=posting.stages.get(name="Screen"))
    OutboxEmail.objects.filter(application=application, kind="stage_changed").update(
        send_after=timezone.now()
    )
    sweep_outbox()
    services.move_application(
        application=application, to_stage=posting.stages.get(kind=Stage.Kind.REJECTED)
    )
    services.move_application(application=application, to_stage=posting.stages.get(name="Screen"))
    assert [(e.kind, e.status) for e in stage_emails(application)] == [
        ("stage_changed", "sent"),
        ("rejection", "cancelled"),
    ]


def test_a_move_after_the_window_sends_a_second_email(posting, settings, mailoutbox):
    settings.ATS_STAGE_EMAIL_HOLD_SECONDS = 1
    application = submit(posting)
    services.move_application(application=application, to_stage=posting.stages.get(name="Screen"))
    time.sleep(1.1)
    sweep_outbox()
    services.move_application(
        application=application, to_stage=posting.stages.get(name="Interview")
    )
    time.sleep(1.1)
    sweep_outbox()
    assert [e.status for e in stage_emails(application)] == ["sent", "sent"]
    stage_mail = [m for m in mailoutbox if m.to == ["jane@example.com"]][1:]
    assert len(stage_mail) == 2


def test_an_email_being_sent_is_not_cancelled_by_a_move(posting):
    application = submit(posting)
    services.move_application(application=application, to_stage=posting.stages.get(name="Screen"))
    # A worker claimed it as it fell due.
    OutboxEmail.objects.filter(application=application, kind="stage_changed").update(
        status="sending", claimed_at=timezone.now()
    )
    services.move_application(
        application=application, to_stage=posting.stages.get(name="Interview")
    )
    assert [e.status for e in stage_emails(application)] == ["sending", "pending"]


def test_moving_without_email_still_cancels_the_held_one(posting):
    application = submit(posting)
    services.move_application(application=application, to_stage=posting.stages.get(name="Screen"))
    services.move_application(
        application=application, to_stage=posting.stages.get(name="Interview"), notify=False
    )
    assert [e.status for e in stage_emails(application)] == ["cancelled"]
