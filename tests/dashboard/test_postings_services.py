"""postings.services: the writes behind the posting management pages."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from applications import services as stage_services
from applications.models import Answer, Stage
from applications.services import move_application
from postings import services
from postings.models import Posting, Question
from tests import factories

pytestmark = pytest.mark.django_db


def stage_names(posting):
    return list(posting.stages.values_list("name", flat=True))


def labels(posting):
    return list(posting.questions.values_list("label", flat=True))


# Postings


def test_slug_for_numbers_a_title_that_is_taken(posting):
    assert services.slug_for("Backend Engineer") == "backend-engineer-2"
    factories.PostingFactory(slug="backend-engineer-2")
    assert services.slug_for("Backend Engineer") == "backend-engineer-3"
    assert services.slug_for("Backend Engineer", exclude_pk=posting.pk) == "backend-engineer"
    assert services.slug_for("???") == ""


def test_save_posting_writes_teams_locations_and_sections_in_order(posting):
    remote = factories.LocationFactory(city="", region="", country="US", remote=True)
    monetization = factories.TeamFactory(name="Monetization", slug="monetization")
    services.save_posting(
        posting=posting,
        teams=[monetization],
        locations=[remote],
        sections=[
            services.SectionData("Second", "Now first."),
            services.SectionData("About the role", "Build things."),
        ],
    )
    assert list(posting.teams.all()) == [monetization]
    assert list(posting.locations.all()) == [remote]
    assert list(posting.sections.values_list("heading", "position")) == [
        ("Second", 0),
        ("About the role", 1),
    ]


def test_save_posting_turns_a_slug_taken_meanwhile_into_a_field_error(posting):
    new = Posting(title="Backend Engineer", slug="backend-engineer")
    with pytest.raises(ValidationError) as raised:
        services.save_posting(posting=new, teams=posting.teams.all(), locations=[], sections=[])
    assert raised.value.message_dict == {"slug": [services.SLUG_TAKEN]}
    assert new.pk is None
    assert Posting.objects.count() == 1


def test_save_posting_refuses_a_posting_without_a_team_and_stores_nothing(posting):
    new = Posting(title="Platform Engineer", slug="platform-engineer")
    with pytest.raises(ValidationError) as raised:
        services.save_posting(posting=new, teams=[], locations=[], sections=[])
    assert raised.value.message_dict == {"teams": ["Choose at least one team."]}
    assert Posting.objects.count() == 1


def test_publish_opens_a_draft_and_stamps_published_at_once(posting):
    draft = factories.PostingFactory(status=Posting.Status.DRAFT, published_at=None)
    assert services.publish_posting(posting=draft) is True
    draft.refresh_from_db()
    assert draft.status == Posting.Status.OPEN
    assert draft.is_open
    first = draft.published_at
    services.close_posting(posting=draft)
    services.publish_posting(posting=draft)
    draft.refresh_from_db()
    assert draft.published_at == first


def test_publish_says_false_for_a_posting_already_open(posting):
    assert services.publish_posting(posting=posting) is False


def test_publish_refuses_a_posting_whose_closing_date_has_passed():
    posting = factories.PostingFactory(
        status=Posting.Status.CLOSED, closes_at=timezone.now() - timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="closing date has passed"):
        services.publish_posting(posting=posting)
    posting.refresh_from_db()
    assert posting.status == Posting.Status.CLOSED


def test_close_closes_an_open_posting_and_refuses_a_draft(posting):
    assert services.close_posting(posting=posting) is True
    posting.refresh_from_db()
    assert posting.status == Posting.Status.CLOSED
    assert services.close_posting(posting=posting) is False
    draft = factories.PostingFactory(status=Posting.Status.DRAFT, published_at=None)
    with pytest.raises(ValidationError, match="nothing to close"):
        services.close_posting(posting=draft)


# Questions


def test_a_new_question_goes_to_the_end(posting):
    question = services.save_question(
        question=Question(posting=posting, label="Years of Python?", kind=Question.Kind.NUMBER)
    )
    assert question.position == 1
    assert labels(posting) == ["Are you applying to the internship?", "Years of Python?"]


def test_save_question_refuses_what_question_clean_refuses(posting):
    question = Question(posting=posting, label="Pick", kind=Question.Kind.SINGLE_CHOICE)
    question.choices = ["Only one"]
    with pytest.raises(ValidationError) as raised:
        services.save_question(question=question)
    assert raised.value.message_dict["choices"] == [
        "A choice question needs at least two non-empty options."
    ]


def test_an_answered_question_keeps_its_kind(posting, internship_question):
    factories.submit(posting)
    internship_question.kind = Question.Kind.SHORT_TEXT
    with pytest.raises(ValidationError) as raised:
        services.save_question(question=internship_question)
    assert "cannot change" in raised.value.message_dict["kind"][0]
    internship_question.refresh_from_db()
    assert internship_question.kind == Question.Kind.YES_NO


def test_move_question_swaps_neighbours_and_stops_at_the_ends(posting, internship_question):
    second = factories.QuestionFactory(posting=posting, label="Second?", position=5)
    assert services.move_question(question=second, direction="up") is True
    assert labels(posting) == ["Second?", "Are you applying to the internship?"]
    assert list(posting.questions.values_list("position", flat=True)) == [0, 1]
    assert services.move_question(question=second, direction="up") is False
    assert services.move_question(question=second, direction="down") is True
    assert labels(posting)[-1] == "Second?"


def test_delete_question_refuses_when_applicants_answered_it(posting, internship_question):
    factories.submit(posting)
    with pytest.raises(ValidationError) as raised:
        services.delete_question(question=internship_question)
    assert raised.value.messages == [
        "“Are you applying to the internship?” cannot be deleted: 1 applicant has answered "
        "it, and those answers would be lost. You can reword it or make it optional instead."
    ]
    assert Answer.objects.filter(question=internship_question).count() == 1


def test_delete_question_removes_an_unanswered_one_and_renumbers(posting, internship_question):
    last = factories.QuestionFactory(posting=posting, label="Last?", position=1)
    services.delete_question(question=internship_question)
    last.refresh_from_db()
    assert labels(posting) == ["Last?"]
    assert last.position == 0


# Stages


def test_add_stage_goes_in_before_hired(posting):
    stage = stage_services.add_stage(
        posting=posting, name="Take-home", candidate_name="", notify_candidate=True
    )
    assert stage_names(posting) == [
        "Applied",
        "Screen",
        "Interview",
        "Offer",
        "Take-home",
        "Hired",
        "Rejected",
        "Withdrawn",
    ]
    assert stage.candidate_name == "Take-home"
    assert stage.kind == Stage.Kind.ACTIVE
    assert stage.notify_candidate is True


def test_add_stage_refuses_a_name_the_pipeline_has_whatever_its_case(posting):
    with pytest.raises(ValidationError) as raised:
        stage_services.add_stage(posting=posting, name="screen", candidate_name="")
    assert raised.value.message_dict == {
        "name": ["This pipeline already has a stage called “screen”."]
    }


def test_update_stage_renames_and_sets_notification(posting):
    screen = next(s for s in list(posting.stages.all()) if s.name == "Screen")
    stage_services.update_stage(
        stage=screen, name="Phone screen", candidate_name="Talking to us", notify_candidate=False
    )
    screen.refresh_from_db()
    assert (screen.name, screen.candidate_name, screen.notify_candidate) == (
        "Phone screen",
        "Talking to us",
        False,
    )


def test_move_stage_stays_between_applied_and_the_exits(posting):
    stages = {s.name: s for s in list(posting.stages.all())}
    assert stage_services.move_stage(stage=stages["Screen"], direction="up") is False
    assert stage_services.move_stage(stage=stages["Hired"], direction="down") is False
    assert stage_services.move_stage(stage=stages["Applied"], direction="down") is False
    assert stage_services.move_stage(stage=stages["Offer"], direction="up") is True
    assert stage_names(posting)[:4] == ["Applied", "Screen", "Offer", "Interview"]


@pytest.mark.parametrize("name", ["Applied", "Rejected", "Withdrawn"])
def test_the_built_in_stages_cannot_be_deleted(posting, name):
    stage = next(s for s in list(posting.stages.all()) if s.name == name)
    with pytest.raises(ValidationError, match="every pipeline needs"):
        stage_services.delete_stage(stage=stage)
    assert posting.stages.filter(pk=stage.pk).exists()


def test_a_stage_with_applications_cannot_be_deleted(posting):
    application = factories.submit(posting)
    screen = posting.stages.get(name="Screen")
    move_application(application=application, to_stage=screen)
    with pytest.raises(ValidationError) as raised:
        stage_services.delete_stage(stage=screen)
    assert raised.value.messages == [
        "“Screen” cannot be deleted: 1 application is in it. Move them to another stage first."
    ]


def test_a_stage_in_an_applications_history_cannot_be_deleted(posting):
    application = factories.submit(posting)
    screen = posting.stages.get(name="Screen")
    move_application(application=application, to_stage=screen)
    move_application(application=application, to_stage=posting.stages.get(name="Interview"))
    with pytest.raises(ValidationError, match="in the history of 1 application"):
        stage_services.delete_stage(stage=screen)


def test_an_unused_stage_is_deleted_and_the_rest_renumbered(posting):
    stages = {s.name: s for s in list(posting.stages.all())}
    stage_services.delete_stage(stage=stages["Offer"])
    assert "Offer" not in stage_names(posting)
    assert list(posting.stages.values_list("position", flat=True)) == list(range(6))


# Hiring team


def test_hiring_team_add_and_remove(posting, outsider):
    assert services.add_to_hiring_team(posting=posting, user=outsider) is True
    assert services.add_to_hiring_team(posting=posting, user=outsider) is False
    assert list(Posting.objects.for_user(outsider)) == [posting]
    assert services.remove_from_hiring_team(posting=posting, user=outsider) is True
    assert services.remove_from_hiring_team(posting=posting, user=outsider) is False
    assert not Posting.objects.for_user(outsider).exists()


def test_hiring_team_refuses_users_without_a_role(posting, django_user_model):
    customer = django_user_model.objects.create_user("dave", "dave@example.com")
    with pytest.raises(ValidationError, match="not a recruiter or hiring manager"):
        services.add_to_hiring_team(posting=posting, user=customer)
    assert not posting.hiring_team.filter(pk=customer.pk).exists()
