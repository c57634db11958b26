"""The interview plan tab of posting management: recruiters add, edit, reorder, delete and
copy steps; hiring managers read; refusals come back as messages, never a 500."""

import pytest
from django.urls import reverse

from interviews.models import AttributeRating, InterviewStep, Rating, Scorecard
from tests import factories

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def plan_url(posting):
    return reverse("dashboard:posting_plan", args=[posting.pk])


def step_named(posting, name):
    return InterviewStep.objects.get(stage__posting=posting, name=name)


def test_the_plan_tab_lists_each_stages_steps_with_attributes_and_pool(
    as_recruiter, posting, interviewer
):
    step_named(posting, "Technical interview").interviewers.add(interviewer)
    page = as_recruiter.get(plan_url(posting)).content.decode()
    assert page.index("Recruiter screen") < page.index("Technical interview")
    assert page.index("Technical interview") < page.index("Team interview")
    assert "Problem solving" in page and "Interviewers: Erin" in page
    assert "Add a step" in page


def test_a_recruiter_adds_a_step_with_attributes_one_per_line_and_a_pool(
    as_recruiter, posting, interviewer
):
    stage = posting.stages.get(name="Interview")
    response = as_recruiter.post(
        plan_url(posting),
        {
            "stage": stage.pk,
            "name": "System design",
            "kind": "onsite",
            "duration_minutes": 90,
            "guidance": "Draw it.",
            "attributes": "Scalability\n\nTrade-offs\nscalability\n",
            "interviewers": [interviewer.pk],
        },
        follow=True,
    )
    assert messages_of(response) == ["Step added: “System design”."]
    step = step_named(posting, "System design")
    assert (step.kind, step.duration_minutes, step.guidance) == ("onsite", 90, "Draw it.")
    assert list(step.attributes.values_list("name", flat=True)) == ["Scalability", "Trade-offs"]
    assert list(step.interviewers.all()) == [interviewer]


def test_bad_input_is_a_form_error_and_nothing_is_stored(as_recruiter, posting):
    stage = posting.stages.get(name="Interview")
    before = InterviewStep.objects.count()
    for data, error in [
        ({"name": "Team interview", "duration_minutes": 45}, "already has a step called"),
        ({"name": "Long", "duration_minutes": 9000}, "less than or equal to 480"),
        ({"name": "", "duration_minutes": 45}, "This field is required"),
        ({"name": "X", "duration_minutes": 45, "attributes": "a" * 81}, "under 80 characters"),
    ]:
        response = as_recruiter.post(
            plan_url(posting), {"stage": stage.pk, "kind": "video", **data}
        )
        assert response.status_code == 200
        assert error in response.content.decode(), data
    assert InterviewStep.objects.count() == before


def test_removing_a_rated_attribute_is_refused_on_the_form(as_recruiter, posting, application):
    step = step_named(posting, "Technical interview")
    interview = factories.scheduled_interview(
        application, step, interviewers=[factories.UserFactory(username="erin")]
    )
    card = Scorecard.objects.create(interview=interview, interviewer=interview.seats.get().user)
    AttributeRating.objects.create(
        scorecard=card, attribute=step.attributes.get(name="Code quality"), value=Rating.NO
    )
    response = as_recruiter.post(
        reverse("dashboard:step_edit", args=[posting.pk, step.pk]),
        {
            "stage": step.stage_id,
            "name": "Technical interview",
            "kind": "video",
            "duration_minutes": 60,
            "attributes": "Problem solving",
        },
    )
    assert response.status_code == 200
    assert "“Code quality” was rated in a scorecard" in response.content.decode()
    assert step.attributes.count() == 3


def test_editing_a_step_prefills_its_attributes_in_order_and_saves_changes(as_recruiter, posting):
    step = step_named(posting, "Team interview")
    url = reverse("dashboard:step_edit", args=[posting.pk, step.pk])
    assert "Collaboration\nOwnership\nCommunication" in as_recruiter.get(url).content.decode()
    response = as_recruiter.post(
        url,
        {
            "stage": step.stage_id,
            "name": "Culture add",
            "kind": "onsite",
            "duration_minutes": 30,
            "attributes": "Ownership\nCollaboration",
        },
        follow=True,
    )
    assert messages_of(response) == ["Step saved: “Culture add”."]
    step.refresh_from_db()
    assert (step.name, step.kind, step.duration_minutes) == ("Culture add", "onsite", 30)
    assert list(step.attributes.values_list("name", flat=True)) == ["Ownership", "Collaboration"]


def test_steps_reorder_and_a_step_with_interviews_is_not_deleted(
    as_recruiter, posting, application
):
    technical, team = (step_named(posting, n) for n in ("Technical interview", "Team interview"))
    response = as_recruiter.post(
        reverse("dashboard:step_move", args=[posting.pk, team.pk]), {"direction": "up"}, follow=True
    )
    assert messages_of(response) == ["Moved “Team interview” up."]
    team.refresh_from_db()
    assert team.position == 0

    factories.scheduled_interview(
        application, technical, interviewers=[factories.UserFactory(username="erin")]
    )
    delete = reverse("dashboard:step_delete", args=[posting.pk, technical.pk])
    assert "1 interview was held or scheduled" in as_recruiter.get(delete).content.decode()
    response = as_recruiter.post(delete, follow=True)
    assert messages_of(response) == [
        "“Technical interview” has 1 interview, so it stays: their feedback refers to it. "
        "Rename it or leave its pool empty instead."
    ]
    response = as_recruiter.post(
        reverse("dashboard:step_delete", args=[posting.pk, team.pk]), follow=True
    )
    assert messages_of(response) == ["Step deleted: “Team interview”."]
    assert not InterviewStep.objects.filter(pk=team.pk).exists()


def test_copying_another_postings_plan_adds_its_steps(as_recruiter, posting, other_posting):
    factories.interview_step(other_posting, name="SQL exercise", attributes=("Joins",))
    response = as_recruiter.post(
        reverse("dashboard:plan_copy", args=[posting.pk]), {"source": other_posting.pk}, follow=True
    )
    assert messages_of(response) == ["Copied 1 step from “Data Scientist”."]
    assert step_named(posting, "SQL exercise").attributes.get().name == "Joins"


def test_a_hiring_manager_reads_the_plan_but_changes_nothing(as_manager, posting, other_posting):
    step = step_named(posting, "Technical interview")
    page = as_manager.get(plan_url(posting)).content.decode()
    assert "Technical interview" in page and "Add a step" not in page
    detail = as_manager.get(reverse("dashboard:step_edit", args=[posting.pk, step.pk]))
    assert detail.status_code == 200
    assert "Problem solving, Technical depth, Code quality" in detail.content.decode()
    assert "<form" not in detail.content.decode().split("posting-tabs")[1]
    writes = [
        (plan_url(posting), {"stage": step.stage_id, "name": "Sneaky", "duration_minutes": 30}),
        (reverse("dashboard:step_edit", args=[posting.pk, step.pk]), {"name": "Renamed"}),
        (reverse("dashboard:step_move", args=[posting.pk, step.pk]), {"direction": "down"}),
        (reverse("dashboard:step_delete", args=[posting.pk, step.pk]), {}),
        (reverse("dashboard:plan_copy", args=[posting.pk]), {"source": other_posting.pk}),
    ]
    for url, data in writes:
        assert as_manager.post(url, data).status_code == 403, url
    step.refresh_from_db()
    assert (step.name, step.position) == ("Technical interview", 0)
    assert InterviewStep.objects.filter(stage__posting=posting).count() == 3


def test_a_step_of_another_posting_is_not_found_under_this_one(
    as_recruiter, posting, other_posting
):
    other = step_named(other_posting, "Technical interview")
    url = reverse("dashboard:step_edit", args=[posting.pk, other.pk])
    assert as_recruiter.get(url).status_code == 404
