"""The interview plan's services: the default plan, steps with ordered attributes and pools,
reordering, copying, and the refusals that keep feedback meaningful."""

import pytest
from django.core.exceptions import ValidationError

from interviews import plan
from interviews.models import Attribute, AttributeRating, InterviewStep, Rating, Scorecard
from tests import factories

pytestmark = pytest.mark.django_db


def steps_of(posting, stage_name):
    return list(
        InterviewStep.objects.filter(stage__posting=posting, stage__name=stage_name)
        .order_by("position")
        .values_list("name", flat=True)
    )


def attributes_of(step):
    return list(step.attributes.values_list("name", flat=True))


def test_a_new_posting_gets_the_default_plan_on_the_default_pipelines_stages():
    posting = factories.PostingFactory()
    assert steps_of(posting, "Screen") == ["Recruiter screen"]
    assert steps_of(posting, "Interview") == ["Technical interview", "Team interview"]
    screen = InterviewStep.objects.get(stage__posting=posting, name="Recruiter screen")
    assert (screen.kind, screen.duration_minutes) == ("phone", 30)
    assert attributes_of(screen) == ["Motivation", "Communication", "Logistics fit"]
    # Only stages of those names hold steps: none on Applied, Offer or the exits.
    assert InterviewStep.objects.filter(stage__posting=posting).count() == 3


def test_save_step_adds_a_step_last_in_its_stage_with_attributes_in_order_and_a_pool(
    posting, interviewer, recruiter
):
    stage = posting.stages.get(name="Interview")
    step = plan.save_step(
        step=InterviewStep(stage=stage, name="  System   design ", kind="onsite"),
        attributes=["Scalability", "", "Trade-offs", "scalability", "  Data modelling "],
        interviewers=[interviewer, recruiter],
    )
    assert step.name == "System design"
    assert steps_of(posting, "Interview")[-1] == "System design"
    assert attributes_of(step) == ["Scalability", "Trade-offs", "Data modelling"]
    assert set(step.interviewers.all()) == {interviewer, recruiter}


def test_save_step_refuses_a_name_the_stage_already_has_in_any_case(posting):
    stage = posting.stages.get(name="Interview")
    with pytest.raises(ValidationError, match="already has a step called"):
        plan.save_step(
            step=InterviewStep(stage=stage, name="TEAM interview"), attributes=[], interviewers=[]
        )


def test_editing_attributes_keeps_the_rows_kept_reorders_them_and_drops_the_rest(posting):
    step = InterviewStep.objects.get(stage__posting=posting, name="Technical interview")
    kept = step.attributes.get(name="Code quality")
    plan.save_step(
        step=step, attributes=["code QUALITY", "Testing", "Problem solving"], interviewers=[]
    )
    assert attributes_of(step) == ["code QUALITY", "Testing", "Problem solving"]
    assert step.attributes.get(name="code QUALITY").pk == kept.pk
    assert not step.attributes.filter(name="Technical depth").exists()


def rate(step, application, attribute_name, *, interviewer):
    interview = factories.scheduled_interview(application, step, interviewers=[interviewer])
    card = Scorecard.objects.create(interview=interview, interviewer=interviewer)
    AttributeRating.objects.create(
        scorecard=card, attribute=step.attributes.get(name=attribute_name), value=Rating.YES
    )
    return interview


def test_removing_an_attribute_somebody_rated_is_refused_and_nothing_changes(
    posting, application, interviewer
):
    step = InterviewStep.objects.get(stage__posting=posting, name="Technical interview")
    rate(step, application, "Technical depth", interviewer=interviewer)
    with pytest.raises(ValidationError, match="“Technical depth” was rated in a scorecard"):
        plan.save_step(step=step, attributes=["Problem solving", "New one"], interviewers=[])
    assert attributes_of(step) == ["Problem solving", "Technical depth", "Code quality"]


def test_deleting_a_step_with_interviews_is_refused_and_one_without_is_deleted(
    posting, application, interviewer
):
    technical, team = InterviewStep.objects.filter(
        stage__posting=posting, stage__name="Interview"
    ).order_by("position")
    factories.scheduled_interview(application, technical, interviewers=[interviewer])
    with pytest.raises(ValidationError, match="has 1 interview, so it stays"):
        plan.delete_step(step=technical)
    plan.delete_step(step=team)
    assert steps_of(posting, "Interview") == ["Technical interview"]
    assert not Attribute.objects.filter(step_id=team.pk).exists()


def test_moving_a_step_swaps_it_with_its_neighbour_and_not_past_the_ends(posting):
    technical, team = InterviewStep.objects.filter(
        stage__posting=posting, stage__name="Interview"
    ).order_by("position")
    assert plan.move_step(step=team, direction="up") is True
    assert steps_of(posting, "Interview") == ["Team interview", "Technical interview"]
    assert plan.move_step(step=team, direction="up") is False
    assert plan.move_step(step=technical, direction="down") is False


def test_copying_a_plan_adds_the_missing_steps_by_stage_name_with_attributes_and_pool(
    posting, interviewer
):
    source = factories.PostingFactory(title="Frontend Engineer")
    factories.interview_step(
        source, name="Pairing", attributes=("JavaScript", "Empathy"), interviewers=[interviewer]
    )
    renamed = source.stages.get(name="Offer")
    renamed.name = "Reference check"
    renamed.save()
    factories.interview_step(source, stage_name="Reference check", name="Referee call")

    copied = plan.copy_plan(source=source, target=posting)

    # The default steps both have are skipped; the stage the target lacks is reported.
    assert copied == plan.PlanCopied(added=1, unmatched_stages=["Reference check"])
    assert steps_of(posting, "Interview") == ["Technical interview", "Team interview", "Pairing"]
    pairing = InterviewStep.objects.get(stage__posting=posting, name="Pairing")
    assert attributes_of(pairing) == ["JavaScript", "Empathy"]
    assert list(pairing.interviewers.all()) == [interviewer]
    assert plan.copy_plan(source=source, target=posting).added == 0


def test_a_posting_cannot_copy_its_own_plan(posting):
    with pytest.raises(ValidationError):
        plan.copy_plan(source=posting, target=posting)
