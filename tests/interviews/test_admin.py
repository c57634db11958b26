"""The interviews in Django admin: every page opens, the plan is editable, what services
write is read only, and a calendar's password is never shown."""

import pytest
from django.urls import reverse

from interviews.models import CalendarConnection, Decision, InterviewStep, Scorecard
from tests.interviews.helpers import held_interview, submitted_scorecard

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(application, interviewer):
    step = InterviewStep.objects.get(stage__posting=application.posting, name="Technical interview")
    interview = held_interview(application, step, interviewers=[interviewer])
    card = submitted_scorecard(interview, interviewer, "yes", key_points="Good.")
    decision = Decision.objects.create(application=application, outcome="hold")
    calendar = CalendarConnection.objects.create(
        user=interviewer,
        url="https://dav.example.com/erin/",
        username="erin",
        password_encrypted="gAAAAA-ciphertext-never-shown",
    )
    return {
        "interviewstep": step,
        "interview": interview,
        "scorecard": card,
        "decision": decision,
        "calendarconnection": calendar,
    }


def test_every_interviews_admin_page_opens(admin_client, rows):
    for model, obj in rows.items():
        for url in (
            reverse(f"admin:interviews_{model}_changelist"),
            reverse(f"admin:interviews_{model}_change", args=[obj.pk]),
        ):
            assert admin_client.get(url).status_code == 200, url
    assert admin_client.get(reverse("admin:interviews_workinghours_changelist")).status_code == 200


def test_a_calendars_password_is_never_displayed_nor_editable(admin_client, rows):
    calendar = rows["calendarconnection"]
    for url in (
        reverse("admin:interviews_calendarconnection_changelist"),
        reverse("admin:interviews_calendarconnection_change", args=[calendar.pk]),
    ):
        page = admin_client.get(url).content.decode()
        assert "ciphertext" not in page and "password_encrypted" not in page
        assert "dav.example.com" in page
    change = reverse("admin:interviews_calendarconnection_change", args=[calendar.pk])
    admin_client.post(change, {"password_encrypted": "replaced", "username": "mallory"})
    calendar.refresh_from_db()
    assert (calendar.password_encrypted, calendar.username) == (
        "gAAAAA-ciphertext-never-shown",
        "erin",
    )


def test_scorecards_and_decisions_are_read_only_in_the_admin(admin_client, rows):
    assert admin_client.get(reverse("admin:interviews_scorecard_add")).status_code == 403
    assert admin_client.get(reverse("admin:interviews_decision_add")).status_code == 403
    change = reverse("admin:interviews_scorecard_change", args=[rows["scorecard"].pk])
    admin_client.post(change, {"recommendation": "strong_no"})
    assert Scorecard.objects.get().recommendation == "yes"


def test_a_rated_attribute_cannot_be_deleted_from_the_admin(admin_client, rows, interviewer):
    from interviews.models import AttributeRating

    step = rows["interviewstep"]
    attribute = step.attributes.first()
    AttributeRating.objects.create(scorecard=rows["scorecard"], attribute=attribute, value=3)
    attributes = list(step.attributes.all())
    data = {
        "stage": step.stage_id,
        "name": step.name,
        "kind": step.kind,
        "duration_minutes": step.duration_minutes,
        "guidance": step.guidance,
        "position": step.position,
        "attributes-TOTAL_FORMS": len(attributes),
        "attributes-INITIAL_FORMS": len(attributes),
        "attributes-MIN_NUM_FORMS": 0,
        "attributes-MAX_NUM_FORMS": 1000,
    }
    for i, each in enumerate(attributes):
        data |= {
            f"attributes-{i}-id": each.pk,
            f"attributes-{i}-step": step.pk,
            f"attributes-{i}-name": each.name,
            f"attributes-{i}-position": each.position,
        }
    data["attributes-0-DELETE"] = "on"
    response = admin_client.post(
        reverse("admin:interviews_interviewstep_change", args=[step.pk]), data
    )
    assert response.status_code == 200  # the form again, with the refusal
    assert step.attributes.filter(pk=attribute.pk).exists()


def test_the_step_list_names_each_steps_posting(admin_client, rows):
    page = admin_client.get(reverse("admin:interviews_interviewstep_changelist")).content.decode()
    assert "Technical interview" in page and "Backend Engineer" in page
