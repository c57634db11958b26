"""The dashboard home and the user's settings."""

import pytest
from django.urls import reverse

from accounts.models import Profile
from applications.models import Application
from applications.services import move_application
from dashboard.services import add_note
from tests import factories
from tests.dashboard.test_settings import profile_data
from tests.factories import apply

pytestmark = pytest.mark.django_db


def test_home_lists_open_postings_with_counts_per_stage(as_manager, posting, application):
    ben = apply(posting, name="Ben Okafor", email="ben@example.com")
    move_application(application=ben, to_stage=posting.stages.get(name="Interview"))
    factories.PostingFactory(title="Old draft", status="draft", published_at=None).hiring_team.add(
        posting.hiring_team.first()
    )
    response = as_manager.get(reverse("dashboard:home"))
    [shown] = response.context["postings"]
    assert shown == posting and shown.total == 2
    counts = {stage.name: n for stage, n in shown.stage_counts}
    assert counts == {
        "Applied": 1,
        "Screen": 0,
        "Interview": 1,
        "Offer": 0,
        "Hired": 0,
        "Rejected": 0,
        "Withdrawn": 0,
    }
    html = response.content.decode()
    interview = posting.stages.get(name="Interview")
    assert f'href="/dashboard/postings/{posting.pk}/board/?stage={interview.pk}"' in html


def test_waiting_for_review_holds_new_and_flagged_applications_still_open(as_manager, posting):
    new = apply(posting, name="New One", email="new@example.com")
    flagged = apply(posting, name="Flagged One", email="flag@example.com")
    screen, rejected = posting.stages.get(name="Screen"), posting.stages.get(name="Rejected")
    Application.objects.filter(pk=flagged.pk).update(needs_review=True, stage=screen)
    done = apply(posting, name="Moved On", email="moved@example.com")
    move_application(application=done, to_stage=screen)
    gone = apply(posting, name="Rejected Flag", email="gone@example.com")
    Application.objects.filter(pk=gone.pk).update(needs_review=True, stage=rejected)
    response = as_manager.get(reverse("dashboard:home"))
    assert [a.name for a in response.context["waiting"]] == ["Flagged One", "New One"]
    assert response.context["waiting_total"] == 2
    assert new.pk in {a.pk for a in response.context["waiting"]}


def test_recent_activity_shows_moves_and_notes_newest_first(
    as_manager, posting, application, recruiter
):
    move_application(
        application=application, to_stage=posting.stages.get(name="Screen"), by=recruiter
    )
    add_note(application=application, author=recruiter, body="Great portfolio")
    response = as_manager.get(reverse("dashboard:home"))
    activity = response.context["activity"]
    assert "note" in activity[0] and activity[0]["note"].body == "Great portfolio"
    assert activity[1]["change"].to_stage.name == "Screen"
    html = response.content.decode()
    assert "Alice</span>\n            moved" in html or "moved" in html
    assert "Great portfolio" in html


def test_settings_switch_new_application_email_to_a_daily_digest(as_manager, hiring_manager):
    url = reverse("dashboard:settings")
    assert "A daily digest" in as_manager.get(url).content.decode()
    response = as_manager.post(url, profile_data(new_application_email="daily"), follow=True)
    assert "Settings saved." in response.content.decode()
    hiring_manager.profile.refresh_from_db()
    assert hiring_manager.profile.new_application_email == Profile.EmailFrequency.DAILY


def test_settings_refuse_an_unknown_choice_with_a_message(as_manager, hiring_manager):
    response = as_manager.post(
        reverse("dashboard:settings"), profile_data(new_application_email="hourly")
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    hiring_manager.profile.refresh_from_db()
    assert hiring_manager.profile.new_application_email == "instant"


def test_a_superuser_without_a_profile_sees_the_dashboard_and_a_settings_note(client, posting):
    admin = factories.UserFactory(username="root", profile=None, is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(reverse("dashboard:home")).status_code == 200
    page = client.get(reverse("dashboard:settings")).content.decode()
    assert "Email settings are for recruiters and hiring managers." in page


def test_admins_can_find_notes_in_django_admin(client, application, recruiter):
    add_note(application=application, author=recruiter, body="Remember the portfolio")
    admin = factories.UserFactory(username="root", profile=None, is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get("/admin/dashboard/note/", {"q": "portfolio"})
    assert response.status_code == 200
    assert "Jane Doe → Backend Engineer" in response.content.decode()
