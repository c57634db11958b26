"""applications.pipeline: the one home of the stage rules, and the default pipeline."""

import pytest
from django.db import IntegrityError

from applications import pipeline, services
from applications.models import Application, Stage, StageChange
from notifications.models import OutboxEmail
from tests.factories import PostingFactory, submit

pytestmark = pytest.mark.django_db


def in_stage(application, name):
    application.stage = application.posting.stages.get(name=name)
    Application.objects.filter(pk=application.pk).update(stage=application.stage)
    return application


def test_a_new_posting_has_the_default_pipeline_without_anyone_asking():
    posting = PostingFactory()
    assert [
        (s.name, s.candidate_name, s.kind, s.notify_candidate) for s in posting.stages.all()
    ] == [tuple(row) for row in pipeline.DEFAULT_PIPELINE]
    assert [s.position for s in posting.stages.all()] == list(range(7))


def test_saving_a_posting_again_leaves_its_pipeline_alone(posting):
    screen = posting.stages.get(name="Screen")
    screen.delete()
    posting.title = "Backend Engineer II"
    posting.save()
    assert services.create_default_pipeline(posting) == list(posting.stages.all())
    assert posting.stages.count() == 6


def test_stage_names_are_unique_per_posting_ignoring_case_in_the_database(posting):
    with pytest.raises(IntegrityError, match="stage_name_ci_unique_per_posting"):
        Stage.objects.create(posting=posting, name="screen", candidate_name="x", position=9)


@pytest.mark.parametrize(
    ("stage", "withdraw", "reject"),
    [
        ("Applied", True, True),
        ("Interview", True, True),
        ("Hired", False, False),
        ("Rejected", False, False),
        ("Withdrawn", False, False),
    ],
)
def test_who_may_withdraw_and_be_rejected(posting, stage, withdraw, reject):
    application = in_stage(submit(posting), stage)
    assert (application.can_withdraw, application.can_reject) == (withdraw, reject)


def test_an_erased_application_may_do_nothing(posting):
    application = submit(posting)
    services.erase(application=application)
    application.refresh_from_db()
    screen = posting.stages.get(name="Screen")
    assert (application.can_move, application.can_withdraw, application.can_reject) == (
        False,
        False,
        False,
    )
    with pytest.raises(pipeline.MoveNotAllowed, match="erased"):
        services.move_application(application=application, to_stage=screen)


def test_a_withdrawn_application_is_neither_rejected_nor_emailed(posting):
    application = submit(posting)
    services.withdraw(application=application)
    emails_before = OutboxEmail.objects.count()
    rejected = posting.stages.get(kind=Stage.Kind.REJECTED)
    with pytest.raises(pipeline.MoveNotAllowed, match="withdrew their application"):
        services.move_application(application=application, to_stage=rejected, reason="Late")
    application.refresh_from_db()
    assert application.stage.kind == Stage.Kind.WITHDRAWN
    assert OutboxEmail.objects.count() == emails_before
    assert not StageChange.objects.filter(application=application, to_stage=rejected).exists()


def test_a_withdrawn_application_stays_withdrawn(posting):
    application = submit(posting)
    services.withdraw(application=application)
    with pytest.raises(pipeline.MoveNotAllowed, match="stays withdrawn"):
        services.move_application(
            application=application, to_stage=posting.stages.get(name="Interview")
        )
    assert not application.can_move


def test_a_hired_applicant_is_moved_back_before_being_rejected(posting):
    application = in_stage(submit(posting), "Hired")
    rejected = posting.stages.get(kind=Stage.Kind.REJECTED)
    with pytest.raises(pipeline.MoveNotAllowed, match="move them back"):
        services.move_application(application=application, to_stage=rejected)
    services.move_application(application=application, to_stage=posting.stages.get(name="Offer"))
    assert services.move_application(application=application, to_stage=rejected) is not None


def test_a_rejected_applicant_may_be_reconsidered(posting):
    application = in_stage(submit(posting), "Rejected")
    interview = posting.stages.get(name="Interview")
    assert application.can_move_to(interview)
    assert services.move_application(application=application, to_stage=interview) is not None


def test_the_rules_are_checked_against_the_stored_row_not_a_stale_copy(posting):
    application = submit(posting)
    stale = Application.objects.get(pk=application.pk)
    services.withdraw(application=application)
    with pytest.raises(pipeline.MoveNotAllowed):
        services.move_application(application=stale, to_stage=posting.stages.get(name="Screen"))
