"""The hiring manager's decision: advance, reject with a reason, hold, through the pipeline's
own move service and rules."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from applications.models import StageChange
from applications.pipeline import MoveNotAllowed
from interviews.decisions import next_stage, record_decision
from interviews.models import Decision
from notifications.models import OutboxEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def interviewing(application, recruiter):
    from applications.services import move_application

    move_application(
        application=application,
        to_stage=application.posting.stages.get(name="Interview"),
        by=recruiter,
    )
    return application


def test_advancing_moves_to_the_next_stage_and_records_the_decision(interviewing, hiring_manager):
    assert next_stage(interviewing).name == "Offer"
    decision = record_decision(
        application=interviewing, outcome="advance", by=hiring_manager, note="Strong loop."
    )
    interviewing.refresh_from_db()
    assert interviewing.stage.name == "Offer"
    assert (decision.outcome, decision.to_stage.name, decision.note) == (
        "advance",
        "Offer",
        "Strong loop.",
    )
    change = StageChange.objects.filter(application=interviewing).latest("at")
    assert (change.to_stage.name, change.by) == ("Offer", hiring_manager)


def test_advancing_to_a_chosen_stage_goes_there(interviewing, hiring_manager):
    hired = interviewing.posting.stages.get(name="Hired")
    record_decision(application=interviewing, outcome="advance", by=hiring_manager, to_stage=hired)
    interviewing.refresh_from_db()
    assert interviewing.stage == hired


def test_advancing_to_an_exit_or_to_where_it_is_is_refused_and_nothing_is_stored(
    interviewing, hiring_manager
):
    for stage_name in ("Rejected", "Withdrawn", "Interview", "Applied"):
        with pytest.raises(MoveNotAllowed):
            record_decision(
                application=interviewing,
                outcome="advance",
                by=hiring_manager,
                to_stage=interviewing.posting.stages.get(name=stage_name),
            )
    assert not Decision.objects.exists()
    interviewing.refresh_from_db()
    assert interviewing.stage.name == "Interview"


def test_rejecting_needs_a_reason_and_its_email_waits_the_postings_delay(
    interviewing, hiring_manager, skills_mismatch
):
    with pytest.raises(MoveNotAllowed, match="Choose a reason"):
        record_decision(application=interviewing, outcome="reject", by=hiring_manager)
    posting = interviewing.posting
    posting.rejection_email_delay_hours = 48
    posting.save(update_fields=["rejection_email_delay_hours"])

    decision = record_decision(
        application=interviewing,
        outcome="reject",
        by=hiring_manager,
        rejection_reason=skills_mismatch,
    )
    interviewing.refresh_from_db()
    assert interviewing.stage.kind == "rejected"
    assert decision.rejection_reason == skills_mismatch
    change = StageChange.objects.filter(application=interviewing).latest("at")
    assert change.rejection_reason == skills_mismatch
    email = OutboxEmail.objects.get(application=interviewing, kind="rejection")
    assert email.send_after >= change.at + timedelta(hours=47, minutes=59)


def test_holding_moves_nothing_but_records_why(interviewing, hiring_manager):
    before = StageChange.objects.count()
    decision = record_decision(
        application=interviewing, outcome="hold", by=hiring_manager, note="Wait for the other."
    )
    assert (decision.outcome, decision.to_stage, decision.note) == (
        "hold",
        None,
        "Wait for the other.",
    )
    assert StageChange.objects.count() == before


def test_the_pipelines_rules_hold_a_withdrawn_application_cannot_be_advanced(
    interviewing, hiring_manager
):
    from applications.services import withdraw

    withdraw(application=interviewing)
    interviewing.refresh_from_db()
    with pytest.raises(MoveNotAllowed, match="withdrew"):
        record_decision(application=interviewing, outcome="advance", by=hiring_manager)
    assert not Decision.objects.exists()


def test_an_interviewer_may_not_decide(interviewing, interviewer):
    with pytest.raises(ValidationError, match="Only recruiters and hiring managers"):
        record_decision(application=interviewing, outcome="hold", by=interviewer)
