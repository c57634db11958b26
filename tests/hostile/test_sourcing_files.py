"""The apply form's hostile uploads, sent through the team's two other ways in: a recruiter
adding a candidate and a colleague's referral. The same checks hold: server-made names,
files judged by their bytes, bounded reading, a clear message and nothing stored."""

import re

import pytest
from django.urls import reverse

from applications.models import Resume
from applications.resumes import pdf_bytes_with_text
from sourcing.models import Origin
from tests.hostile.helpers import (
    docx_zip,
    lasting_files,
    many_entries_docx,
    multipart,
    row_counts,
    stored_files,
    zip_bomb_docx,
)
from tests.hostile.test_apply_files import HOSTILE_NAMES, MALFORMED_PDFS

pytestmark = pytest.mark.django_db

PDF = pdf_bytes_with_text("Sam Sourced Rust")


@pytest.fixture(params=["add candidate", "referral"])
def post_file(request, client, posting, recruiter, interviewer):
    """Post one of the two forms with one file, its filename sent exactly as given."""
    if request.param == "add candidate":
        client.force_login(recruiter)
        url = reverse("dashboard:add_candidate", args=[posting.pk])
        fields = {
            "name": "Sam Sourced",
            "email": "sam@example.com",
            "source": "sourced",
            "sourced_by": recruiter.pk,
            "stage": posting.stages.get(kind="applied").pk,
        }
    else:
        client.force_login(interviewer)
        url = reverse("dashboard:refer")
        fields = {
            "posting": posting.pk,
            "name": "Sam Sourced",
            "email": "sam@example.com",
            "relationship": "Worked together.",
        }

    def post(filename: str, content: bytes):
        body, content_type = multipart(fields, [("resume", filename, content)])
        return client.post(url, data=body, content_type=content_type)

    return post


@pytest.fixture
def nothing_stored(private_root):
    def check():
        assert row_counts() == dict.fromkeys(row_counts(), 0)
        assert not Origin.objects.exists()
        assert lasting_files(private_root) == []

    return check


def resume_error(response) -> str:
    assert response.status_code == 400
    [error] = response.context["form"].errors["resume"]
    return error


@pytest.mark.parametrize("filename", HOSTILE_NAMES[:8], ids=range(8))
def test_a_hostile_filename_never_influences_the_stored_name(
    post_file, filename, private_root, tmp_path
):
    response = post_file(filename, PDF)
    assert response.status_code == 302
    resume = Resume.objects.get()
    [stored] = stored_files(private_root)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [stored]
    assert re.fullmatch(r"resumes/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", resume.file.name)
    shown = resume.original_filename
    assert "/" not in shown and "\\" not in shown and shown.endswith(".pdf")


REFUSED = {
    "html-then-pdf": (b"<html><script>alert(1)</script></html>\n" + PDF, "is not a PDF or Word"),
    "svg": (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "is not a PDF"),
    "zip-bomb": (zip_bomb_docx(), "unpacks to far more than a resume needs"),
    "many-entries": (many_entries_docx(), "unpacks to far more than a resume needs"),
    "pdf-header-on-zip": (b"%PDF-1.7\n" + docx_zip(b"<w:t>x</w:t>"), "couldn't read this PDF"),
    "empty": (b"", "The submitted file is empty."),
    **{f"malformed-{key}": value for key, value in MALFORMED_PDFS.items()},
}


@pytest.mark.parametrize(("content", "refusal"), REFUSED.values(), ids=REFUSED.keys())
def test_a_hostile_file_gets_a_clear_message_and_stores_nothing(
    post_file, content, refusal, nothing_stored
):
    assert refusal in resume_error(post_file("resume.pdf", content))
    nothing_stored()
