"""dashboard.services: notes and their mentions, reject, bulk moves."""

import pytest

from applications.models import StageChange
from applications.services import erase
from dashboard import services
from dashboard.models import Note
from notifications.models import OutboxEmail
from tests.factories import apply

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ("@bob please look", ["bob"]),
        ("cc @bob, @ana.lima.", ["bob", "ana.lima"]),
        ("@Bob and @bob again", ["Bob"]),
        ("write to jane@example.com", []),
        ("(@carol) and @dave-ops!", ["carol", "dave-ops"]),
        ("just an @ sign", []),
    ],
)
def test_mentions_are_found_once_each_and_email_addresses_are_not_mentions(body, names):
    assert services.mentioned_usernames(body) == names


def test_a_note_emails_a_mentioned_teammate_once_even_if_saved_again(
    application, recruiter, hiring_manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        added = services.add_note(application=application, author=recruiter, body="@bob @bob hi")
    assert added.notified == [hiring_manager] and added.ignored == []
    assert OutboxEmail.objects.filter(kind="mention", to="bob@example.com").count() == 1
    # A second note is a second event: a second email.
    services.add_note(application=application, author=recruiter, body="@bob again")
    assert OutboxEmail.objects.filter(kind="mention", to="bob@example.com").count() == 2


def test_an_inactive_or_outside_user_is_never_mentioned(application, recruiter, outsider):
    outsider.is_active = True
    outsider.save()
    added = services.add_note(application=application, author=recruiter, body="@charlie look")
    assert added.notified == [] and added.ignored == ["charlie"]
    assert not OutboxEmail.objects.filter(kind="mention").exists()


def test_an_empty_note_is_refused(application, recruiter):
    with pytest.raises(ValueError, match="needs some text"):
        services.add_note(application=application, author=recruiter, body=" \n ")
    assert not Note.objects.exists()


def test_erasing_the_applicant_deletes_notes_and_mention_emails(
    application, recruiter, hiring_manager
):
    services.add_note(application=application, author=recruiter, body="@bob see Jane's repo")
    erase(application=application)
    assert not Note.objects.exists()
    assert not OutboxEmail.objects.filter(kind="mention").exists()


def test_bulk_move_skips_erased_and_unchanged_applications(posting, application, recruiter):
    ben = apply(posting, name="Ben", email="ben@example.com")
    gone = apply(posting, name="Gone", email="gone@example.com")
    erase(application=gone)
    gone.refresh_from_db()
    applied = posting.stages.get(name="Applied")
    screen = posting.stages.get(name="Screen")
    services.move(application=ben, to_stage=screen, by=recruiter)
    result = services.bulk_move(
        applications=[application, ben, gone], to_stage=screen, by=recruiter
    )
    assert (len(result.moved), result.unchanged, result.skipped) == (1, 1, 1)
    assert StageChange.objects.filter(to_stage=screen).count() == 2
    assert not StageChange.objects.filter(application=gone).exclude(to_stage=applied).exists()


def test_every_reject_path_needs_a_reason_from_the_list(application, recruiter):
    rejected = services.rejected_stage(application.posting)
    with pytest.raises(services.CannotMove, match="Choose a reason for rejecting"):
        services.reject(application=application, by=recruiter, rejection_reason=None, note="x")
    with pytest.raises(services.CannotMove, match="Choose a reason for rejecting"):
        services.bulk_reject(
            posting=application.posting,
            applications=[application],
            by=recruiter,
            rejection_reason=None,
        )
    with pytest.raises(services.CannotMove, match="Choose a reason for rejecting"):
        services.move(application=application, to_stage=rejected, by=recruiter)
    with pytest.raises(services.CannotMove, match="Choose a reason for rejecting"):
        services.bulk_move(applications=[application], to_stage=rejected, by=recruiter)
    assert application.stage_changes.count() == 1


def test_a_rejection_records_its_reason_and_a_later_move_does_not(
    application, recruiter, skills_mismatch
):
    change = services.reject(
        application=application, by=recruiter, rejection_reason=skills_mismatch, note=" Go "
    )
    assert (change.rejection_reason, change.reason) == (skills_mismatch, "Go")
    screen = application.posting.stages.get(name="Screen")
    back = services.move(
        application=application, to_stage=screen, by=recruiter, rejection_reason=skills_mismatch
    )
    assert back.rejection_reason is None
