"""Any staff member refers someone; their "my referrals" shows what the person would see."""

import pytest
from django.urls import reverse

from applications.models import Application
from applications.services import move_application
from dashboard.services import add_note
from notifications.models import OutboxEmail
from sourcing.models import Origin
from tests import factories
from tests.sourcing.conftest import stored_files

pytestmark = pytest.mark.django_db


def refer(client, posting, **overrides):
    data = {
        "posting": posting.pk,
        "name": "Rita Referred",
        "email": "rita@example.com",
        "links": "https://github.com/rita",
        "relationship": "We built the billing system together at Acme.",
        **overrides,
    }
    return client.post(reverse("dashboard:refer"), data)


def test_an_interviewer_refers_someone_who_lands_first_stage_marked_as_a_referral(
    client, interviewer, posting, hiring_manager
):
    client.force_login(interviewer)
    assert client.get(reverse("dashboard:refer")).status_code == 200
    response = refer(client, posting)
    assert response.status_code == 302 and response["Location"] == reverse("dashboard:my_referrals")
    application = Application.objects.get(candidate__email="rita@example.com")
    assert application.stage.kind == "applied" and application.source == "Referral"
    origin = Origin.objects.get(application=application)
    assert (origin.source, origin.by, origin.link) == (
        "referral",
        interviewer,
        "https://github.com/rita",
    )
    assert "billing system" in origin.relationship
    # The team hears of it; the person does not, until the team writes to them.
    assert OutboxEmail.objects.filter(to=hiring_manager.email).exists()
    assert not OutboxEmail.objects.filter(to="rita@example.com").exists()
    # Referring shows her nothing of the pipeline.
    assert client.get(reverse("dashboard:board", args=[posting.pk])).status_code == 404
    assert client.get(application.get_dashboard_url()).status_code == 404
    assert (
        client.get(reverse("dashboard:candidate", args=[application.candidate_id])).status_code
        == 404
    )


def test_my_referrals_shows_only_the_candidate_facing_stage(
    client, interviewer, posting, recruiter
):
    client.force_login(interviewer)
    refer(client, posting)
    application = Application.objects.get(candidate__email="rita@example.com")
    screen = posting.stages.get(name="Screen")
    screen.name, screen.candidate_name = "Phone screen w/ Bob", "Under review"
    screen.save()
    move_application(application=application, to_stage=screen, by=recruiter)
    add_note(application=application, author=recruiter, body="Secret: weak on SQL")
    page = client.get(reverse("dashboard:my_referrals")).content.decode()
    assert "Rita Referred" in page and "Backend Engineer" in page
    assert "Under review" in page
    assert "Phone screen" not in page and "Secret" not in page
    # A rejection she has not been told of yet is not told to her referrer either.
    rejected = posting.stages.get(kind="rejected")
    move_application(application=application, to_stage=rejected, by=recruiter, notify=True)
    page = client.get(reverse("dashboard:my_referrals")).content.decode()
    assert "Under review" in page and rejected.candidate_name not in page


def test_another_staff_members_referrals_are_not_listed(client, interviewer, recruiter, posting):
    from django.test import Client

    other = Client()
    other.force_login(recruiter)
    refer(other, posting)
    client.force_login(interviewer)
    assert "Rita" not in client.get(reverse("dashboard:my_referrals")).content.decode()


def test_a_referral_needs_a_resume_or_a_link_and_a_closed_posting_refuses(
    client, interviewer, posting, private_root
):
    client.force_login(interviewer)
    response = refer(client, posting, links="")
    assert response.status_code == 400
    assert "Attach their resume or give a link" in response.content.decode()
    closed = factories.PostingFactory(title="Closed role", status="closed")
    response = refer(client, closed, resume=factories.pdf_upload())
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert not Application.objects.exists() and stored_files(private_root) == []


def test_a_referral_with_a_resume_keeps_it_privately(client, interviewer, posting, private_root):
    client.force_login(interviewer)
    refer(client, posting, links="", resume=factories.pdf_upload("Rita Go"))
    application = Application.objects.get(candidate__email="rita@example.com")
    assert application.resume.text == "Rita Go"
    assert (private_root / application.resume.file.name).exists()


def test_referring_someone_already_in_the_pipeline_does_not_say_so(
    client, interviewer, posting, application, private_root
):
    client.force_login(interviewer)
    files = stored_files(private_root)
    response = refer(client, posting, email="JANE@example.com", resume=factories.pdf_upload())
    assert response.status_code == 400
    page = response.content.decode()
    assert "We could not take this referral for Backend Engineer" in page
    assert "already" not in page
    assert Application.objects.count() == 1 and stored_files(private_root) == files


def test_erasure_takes_the_referrers_words_the_link_and_the_tags(client, interviewer, posting):
    from applications.services import erase_all
    from sourcing.models import CandidateTag
    from sourcing.services import add_tag

    client.force_login(interviewer)
    refer(client, posting)
    application = Application.objects.get(candidate__email="rita@example.com")
    add_tag(candidate=application.candidate, name="billing", by=interviewer)
    erase_all(candidate=application.candidate)
    origin = Origin.objects.get(application=application)
    assert (origin.relationship, origin.link) == ("", "")
    assert not CandidateTag.objects.exists()
    assert "Their data was erased" in client.get(reverse("dashboard:my_referrals")).content.decode()
