"""A recruiter adds someone to a posting: the candidate of the address, a checked resume in
private storage, the stage history, and an email only when asked for."""

import pytest
from django.urls import reverse

from applications.models import Application, Candidate, Resume, StageChange
from notifications.models import OutboxEmail
from sourcing.models import Origin
from tests import factories
from tests.sourcing.conftest import stored_files

pytestmark = pytest.mark.django_db


def test_a_recruiter_adds_a_sourced_candidate_at_a_chosen_stage_without_emailing_them(
    as_recruiter, add_url, add_data, recruiter, posting, private_root
):
    response = as_recruiter.post(add_url, add_data(resume=factories.pdf_upload("Sam Rust")))

    application = Application.objects.get(candidate__email="sam@example.com")
    assert response.status_code == 302
    assert response["Location"] == application.get_dashboard_url()
    assert application.stage.name == "Screen" and application.posting == posting
    assert application.source == "Sourced" and application.consented_at is None
    assert application.links == ["https://www.linkedin.com/in/sam"]
    assert application.resume.text == "Sam Rust"
    assert (private_root / application.resume.file.name).exists()
    change = StageChange.objects.get(application=application)
    assert (change.from_stage, change.to_stage.name, change.by) == (None, "Screen", recruiter)
    origin = Origin.objects.get(application=application)
    assert (origin.source, origin.by, origin.added_by) == ("sourced", recruiter, recruiter)
    assert not OutboxEmail.objects.filter(to="sam@example.com").exists()


def test_the_confirmation_with_the_status_link_goes_only_when_ticked(
    as_recruiter, add_url, add_data, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        as_recruiter.post(add_url, add_data(send_confirmation="on"))
    application = Application.objects.get(candidate__email="sam@example.com")
    sent = [m for m in mailoutbox if m.to == ["sam@example.com"]]
    assert len(sent) == 1
    assert application.get_status_url() in sent[0].body
    assert sent[0].subject == "You are a candidate for Backend Engineer"
    assert "has added you as a candidate" in sent[0].body and "applying" not in sent[0].body


def test_the_resume_is_optional_and_sourced_by_may_be_a_colleague(
    as_recruiter, add_url, add_data, hiring_manager
):
    as_recruiter.post(add_url, add_data(source="agency", sourced_by=hiring_manager.pk))
    application = Application.objects.get(candidate__email="sam@example.com")
    assert not Resume.objects.filter(application=application).exists()
    assert application.source == "Agency" and application.origin.by == hiring_manager


def test_a_known_address_reuses_its_candidate_and_changes_nothing_of_theirs(
    as_recruiter, add_url, add_data, other_posting
):
    first = factories.apply(other_posting, name="Sam Original", email="sam@example.com")
    as_recruiter.post(add_url, add_data(name="Somebody Else", email="SAM@Example.com", phone=""))
    candidate = Candidate.objects.get(pk=first.candidate_id)
    assert candidate.name == "Sam Original"
    added = candidate.applications.exclude(pk=first.pk).get()
    assert added.name == "Somebody Else"  # kept on the application, as the apply form does
    assert added.name_differs_from_candidate


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"name": ""}, "This field is required."),
        ({"source": "linkedin"}, "Select a valid choice."),
        ({"stage": "hired"}, "Select a valid choice."),
        ({"resume_bytes": b"MZ not a resume"}, "is not a PDF or Word (.docx) file"),
        ({"links": "javascript:alert(1)"}, "is not a full web address"),
    ],
)
def test_bad_input_is_a_clear_form_error_and_stores_nothing(
    as_recruiter, add_url, add_data, posting, private_root, overrides, message
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    if overrides.pop("resume_bytes", None):
        overrides["resume"] = SimpleUploadedFile("cv.pdf", b"MZ not a resume")
    if overrides.get("stage") == "hired":
        overrides["stage"] = posting.stages.get(kind="hired").pk
    # A good resume alongside each bad field: it must not be left behind either.
    data = {"resume": factories.pdf_upload(), **overrides}
    response = as_recruiter.post(add_url, add_data(**data))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Application.objects.exists() and not Candidate.objects.exists()
    assert not Origin.objects.exists() and stored_files(private_root) == []


def test_adding_someone_already_in_the_pipeline_is_refused_and_leaves_no_file(
    as_recruiter, add_url, add_data, posting, private_root, application
):
    files = stored_files(private_root)
    response = as_recruiter.post(
        add_url, add_data(email="jane@example.com", resume=factories.pdf_upload())
    )
    assert response.status_code == 400
    assert "jane@example.com is already in the pipeline of Backend Engineer" in (
        response.content.decode()
    )
    assert Application.objects.count() == 1 and stored_files(private_root) == files


def test_the_board_offers_add_a_candidate(as_recruiter, posting):
    page = as_recruiter.get(reverse("dashboard:board", args=[posting.pk])).content.decode()
    assert reverse("dashboard:add_candidate", args=[posting.pk]) in page


def test_django_admin_adds_through_the_same_service(client, posting, private_root):
    admin = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    url = reverse("admin:sourcing_origin_add")
    assert client.get(url).status_code == 200
    stage = posting.stages.get(kind="applied")
    response = client.post(
        url,
        {
            "name": "Ann Admin",
            "email": "ann@example.com",
            "source": "event",
            "sourced_by": admin.pk,
            "stage": stage.pk,
            "resume": factories.pdf_upload("Ann"),
        },
    )
    application = Application.objects.get(candidate__email="ann@example.com")
    assert response.status_code == 302
    assert application.stage == stage and application.source == "Event"
    assert application.stage_changes.get().by == admin
    assert application.origin.added_by == admin and application.resume.text == "Ann"
    assert not OutboxEmail.objects.filter(to="ann@example.com").exists()
    again = client.post(
        url,
        {
            "name": "Ann",
            "email": "ann@example.com",
            "source": "event",
            "sourced_by": admin.pk,
            "stage": stage.pk,
        },
    )
    assert again.status_code == 400 and "already in the pipeline" in again.content.decode()
