"""A resume attached to a form that failed on something else is kept for the corrected try."""

import pytest
from django.core.management import call_command

from applications import pending_resumes
from applications.models import Application
from applications.resumes import pdf_bytes_with_text
from tests.factories import pdf_upload

pytestmark = pytest.mark.django_db

ATTACH_AGAIN = "Please attach your resume again."


def pending_files(private_root):
    folder = private_root / pending_resumes.PENDING_DIR
    return sorted(p for p in folder.iterdir()) if folder.exists() else []


def failed_try(client, apply_url, form_data, **overrides):
    response = client.post(apply_url, form_data(email="not-an-address", **overrides))
    assert response.status_code == 400
    return response


def test_a_corrected_resubmission_without_a_file_stores_the_resume_of_the_first_try(
    client, apply_url, form_data, private_root
):
    upload = pdf_upload("Jane Doe kept resume", name="Jane CV.pdf")
    first = failed_try(client, apply_url, form_data, resume=upload)
    form = first.context["form"]
    assert "email" in form.errors and "resume" not in form.errors
    html = first.content.decode()
    assert "<strong>Jane CV.pdf</strong> is attached — choose another file to replace it." in html
    reference = form.data["resume_token"]
    assert f'name="resume_token" value="{reference}"' in html
    assert len(pending_files(private_root)) == 1

    second = client.post(apply_url, form_data(resume=None, resume_token=reference))
    assert second.status_code == 302
    application = Application.objects.get()
    assert application.resume.original_filename == "Jane CV.pdf"
    assert "kept resume" in application.resume.text
    with application.resume.file.open("rb") as stored:
        assert stored.read() == pdf_bytes_with_text("Jane Doe kept resume")
    # Moved into the application: the kept copy is gone.
    assert pending_files(private_root) == []


def test_a_new_file_on_the_second_try_replaces_the_kept_one(client, apply_url, form_data):
    first = failed_try(client, apply_url, form_data, resume=pdf_upload("old one"))
    reference = first.context["form"].data["resume_token"]
    client.post(
        apply_url, form_data(resume=pdf_upload("new one", name="new.pdf"), resume_token=reference)
    )
    assert Application.objects.get().resume.original_filename == "new.pdf"


def test_an_expired_reference_asks_for_the_resume_again(
    client, apply_url, form_data, settings, private_root
):
    first = failed_try(client, apply_url, form_data)
    reference = first.context["form"].data["resume_token"]
    settings.PENDING_RESUME_MAX_AGE = -120  # every reference made is now too old
    second = client.post(apply_url, form_data(resume=None, resume_token=reference))
    assert second.status_code == 400
    [error] = second.context["form"].errors["resume"]
    assert ATTACH_AGAIN in error
    html = second.content.decode()
    assert "is attached" not in html
    assert reference not in html
    assert Application.objects.count() == 0

    assert pending_resumes.remove_stale() == 1
    assert pending_files(private_root) == []


def test_the_periodic_cleanup_keeps_fresh_files_and_removes_stale_ones(
    client, apply_url, form_data, settings, private_root
):
    failed_try(client, apply_url, form_data)
    call_command("remove_pending_resumes")
    assert len(pending_files(private_root)) == 1
    settings.PENDING_RESUME_MAX_AGE = -120
    call_command("remove_pending_resumes")
    assert pending_files(private_root) == []


def test_a_reference_for_another_posting_is_refused(client, apply_url, form_data, posting):
    first = failed_try(client, apply_url, form_data)
    reference = first.context["form"].data["resume_token"]
    posting.pk += 1000  # the reference names the posting it was made for
    assert pending_resumes.filename(reference, posting=posting) is None
    with pytest.raises(pending_resumes.PendingResumeError):
        pending_resumes.open_kept(reference, posting=posting)
