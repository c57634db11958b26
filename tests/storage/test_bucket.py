"""Private files in an S3-compatible bucket: moto's S3 server, over HTTP, on a free port."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from applications import pending_resumes
from applications.models import Application, Resume
from applications.services import erase, move_application
from conversations.models import Attachment
from offers import services as offers
from offers.models import Offer
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_application_stores_its_resume_in_the_bucket_encrypted_and_private(
    client, bucket, apply_url, form_data, private_root
):
    upload = factories.pdf_upload("Jane Doe Python Django")
    response = client.post(apply_url, form_data(resume=upload))

    assert response.status_code == 302
    resume = Resume.objects.get()
    assert bucket.names() == [resume.file.name]
    assert bucket.read(resume.file.name) == factories.pdf_upload("Jane Doe Python Django").read()
    head = bucket.client.head_object(Bucket=bucket.name, Key=resume.file.name)
    assert head["ServerSideEncryption"] == "AES256"
    grants = bucket.client.get_object_acl(Bucket=bucket.name, Key=resume.file.name)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert "URI" not in grants[0]["Grantee"]  # the owner, not AllUsers or AuthenticatedUsers
    assert not private_root.exists()


def test_the_team_downloads_a_resume_from_the_bucket_and_another_team_cannot(
    client, bucket, application, hiring_manager, other_manager
):
    stored = bucket.read(application.resume.file.name)
    url = reverse("dashboard:resume_download", args=[application.posting_id, application.pk])

    client.force_login(hiring_manager)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"

    client.force_login(other_manager)
    assert client.get(url).status_code == 404


def test_the_applicant_reads_their_letter_and_the_team_a_reply_attachment_from_the_bucket(
    client, bucket, application, recruiter, hiring_manager, other_manager
):
    offer = _offer_with_letter(application, recruiter, b"%PDF-1.4 the letter")
    # As sending leaves it, without WeasyPrint: the letter made, hashed and stored.
    Offer.objects.filter(pk=offer.pk).update(
        status=Offer.Status.SENT, sent_at=timezone.now(), pdf_sha256="0" * 64
    )
    letter = client.get(reverse("offers:letter", args=[application.status_token, offer.pk]))
    assert letter.status_code == 200
    assert b"".join(letter.streaming_content) == b"%PDF-1.4 the letter"
    assert letter["Content-Length"] == str(len(b"%PDF-1.4 the letter"))

    factories.reply(application, attachment=("cv.pdf", b"%PDF-1.4 the reply"))
    attachment = Attachment.objects.get()
    url = reverse(
        "dashboard:message_attachment",
        args=[application.posting_id, application.pk, attachment.pk],
    )
    client.force_login(hiring_manager)
    response = client.get(url)
    assert b"".join(response.streaming_content) == b"%PDF-1.4 the reply"
    client.force_login(other_manager)
    assert client.get(url).status_code == 404


def _offer_with_letter(application, recruiter, data: bytes):
    move_application(application=application, to_stage=application.posting.stages.get(name="Offer"))
    offer = offers.draft_offer(application=application, by=recruiter, terms=factories.offer_terms())
    offer.pdf.save("letter.pdf", ContentFile(data), save=True)
    return offer


def test_a_resume_kept_for_a_corrected_form_waits_in_the_bucket_and_goes_when_stale(
    client, bucket, apply_url, form_data, settings
):
    first = client.post(apply_url, form_data(email="not-an-address"))
    reference = first.context["form"].data["resume_token"]
    [kept] = bucket.names()
    assert kept.startswith(f"{pending_resumes.PENDING_DIR}/")

    client.post(apply_url, form_data(resume=None, resume_token=reference))
    assert bucket.names() == [Resume.objects.get().file.name]

    client.post(apply_url, form_data(email="not-an-address"))
    assert pending_resumes.remove_stale() == 0
    settings.PENDING_RESUME_MAX_AGE = -120
    assert pending_resumes.remove_stale() == 1
    assert bucket.names() == [Resume.objects.get().file.name]


def test_a_resume_missing_from_the_bucket_is_a_404_not_an_error(
    client, bucket, application, hiring_manager
):
    bucket.client.delete_object(Bucket=bucket.name, Key=application.resume.file.name)
    client.force_login(hiring_manager)
    url = reverse("dashboard:resume_download", args=[application.posting_id, application.pk])
    assert client.get(url).status_code == 404


def test_erasure_deletes_the_resume_the_letter_and_the_attachments_once_committed(
    bucket, application, recruiter, django_capture_on_commit_callbacks
):
    factories.reply(application, attachment=("cv.pdf", factories.pdf_upload().read()))
    offer = _offer_with_letter(application, recruiter, b"%PDF-1.4 letter")
    files = [
        application.resume.file.name,
        Attachment.objects.get().file.name,
        offer.pdf.name,
    ]
    assert bucket.names() == sorted(files)

    with django_capture_on_commit_callbacks() as callbacks:
        erase(application=application)
        assert bucket.names() == sorted(files)  # nothing goes before the commit
    for callback in callbacks:
        callback()

    assert bucket.names() == []


def test_erasure_commits_when_the_store_is_down_and_leaves_the_files_to_the_sweep(
    bucket, application, bucket_storage, django_capture_on_commit_callbacks, caplog
):
    name = application.resume.file.name
    bucket_storage("s3://testing:testing-secret@127.0.0.1:1/unreachable?secure=false")

    with django_capture_on_commit_callbacks(execute=True):
        assert erase(application=application)

    assert Application.objects.get(pk=application.pk).erased_at is not None
    assert bucket.names() == [name]
    assert f"Could not delete {name}" in caplog.text


def test_the_orphan_sweep_lists_then_deletes_files_no_row_names_and_reports_rows_without_file(
    bucket, application, applicants, capsys
):
    default_storage.save("resumes/2020/01/nobody.pdf", ContentFile(b"%PDF-1.4 nobody"))
    default_storage.save("pending-resumes/" + "a" * 32, ContentFile(b"%PDF-1.4 kept"))
    gone = applicants["ben"].resume.file.name
    bucket.client.delete_object(Bucket=bucket.name, Key=gone)

    call_command("storage_orphans", "--grace-hours", "0")
    dry = capsys.readouterr().out
    assert "orphan file: resumes/2020/01/nobody.pdf" in dry
    assert (
        f"row without file: applications.Resume {applicants['ben'].resume.pk} file: {gone}" in dry
    )
    assert "pending-resumes" not in dry
    assert "Orphan files: 1 (dry run, nothing deleted" in dry
    assert "resumes/2020/01/nobody.pdf" in bucket.names()

    call_command("storage_orphans")
    assert "Orphan files: 0" in capsys.readouterr().out  # too new to judge by default

    call_command("storage_orphans", "--delete", "--grace-hours", "0")
    swept = capsys.readouterr().out
    assert "Orphan files: 1 (deleted 1)" in swept
    assert "Rows without file: 1 (reported only)" in swept
    assert "resumes/2020/01/nobody.pdf" not in bucket.names()
    assert "pending-resumes/" + "a" * 32 in bucket.names()
    assert Resume.objects.filter(pk=applicants["ben"].resume.pk).exists()


def test_the_migration_copies_local_files_verifies_them_and_skips_them_the_second_time(
    bucket, private_root, capsys
):
    files = {
        "resumes/2024/05/one.pdf": b"%PDF-1.4 one",
        "offers/2024/05/two.pdf": b"%PDF-1.4 two" * 100_000,
        "replies/abc/three.docx": b"PK\x03\x04 three",
    }
    for name, data in files.items():
        (private_root / name).parent.mkdir(parents=True, exist_ok=True)
        (private_root / name).write_bytes(data)

    call_command("migrate_storage_to_bucket", verbosity=2)
    first = capsys.readouterr().out
    assert "Copied 3 files" in first
    assert "skipped 0" in first and "failed 0" in first
    assert first.count("SHA-256 verified") == 3
    assert bucket.names() == sorted(files)
    for name, data in files.items():
        assert hashlib.sha256(bucket.read(name)).digest() == hashlib.sha256(data).digest()
        head = bucket.client.head_object(Bucket=bucket.name, Key=name)
        assert head["ServerSideEncryption"] == "AES256"

    call_command("migrate_storage_to_bucket")
    assert "Copied 0 files (0 bytes; 0 replaced a differing copy), skipped 3" in (
        capsys.readouterr().out
    )

    bucket.client.put_object(Bucket=bucket.name, Key="resumes/2024/05/one.pdf", Body=b"torn")
    call_command("migrate_storage_to_bucket")
    assert "Copied 1 files (12 bytes; 1 replaced a differing copy), skipped 2" in (
        capsys.readouterr().out
    )
    assert bucket.read("resumes/2024/05/one.pdf") == b"%PDF-1.4 one"
    assert (private_root / "resumes/2024/05/one.pdf").exists()  # one way: nothing local goes


def test_the_migration_refuses_when_private_storage_is_not_a_bucket(private_root):
    private_root.mkdir()
    with pytest.raises(CommandError, match="set ATS_STORAGE_URL"):
        call_command("migrate_storage_to_bucket")


def test_readyz_reports_the_bucket_when_it_answers(client, settings, bucket):
    settings.REDIS_URL = None
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "storage": "ok"}


@pytest.mark.parametrize(
    "where",
    [
        "127.0.0.1:1/nothing-listens-here",  # the store is down
        "{server}/no-such-bucket",  # it answers, but the bucket is not there
    ],
)
def test_readyz_reports_a_store_it_cannot_use_as_not_ready(
    client, settings, s3_server, bucket_storage, where
):
    settings.REDIS_URL = None
    bucket_storage(f"s3://testing:testing-secret@{where.format(server=s3_server)}?secure=false")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"].startswith("error: ")
    assert "testing-secret" not in response.content.decode()
