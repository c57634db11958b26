"""The application form: each field's validation with the message the applicant reads."""

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile

from applications import pending_resumes
from applications.models import Answer, Application, Candidate, Resume, StageChange
from notifications.models import OutboxEmail
from postings.models import Question
from tests.factories import QuestionFactory, pdf_upload

pytestmark = pytest.mark.django_db


def stored_files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def assert_nothing_stored(private_root):
    """No row, and no file but a resume kept for the corrected try (see pending_resumes)."""
    assert Application.objects.count() == 0
    assert Candidate.objects.count() == 0
    assert Answer.objects.count() == 0
    assert Resume.objects.count() == 0
    assert OutboxEmail.objects.count() == 0
    pending = private_root / pending_resumes.PENDING_DIR
    assert [p for p in stored_files(private_root) if pending not in p.parents] == []


def test_the_form_shows_contact_fields_resume_questions_and_consent(client, apply_url):
    html = client.get(apply_url).content.decode()
    for text in [
        # Each contact field tells the browser what to fill in, and a phone which keypad.
        'type="text" name="name" autocomplete="name"',
        'type="email" name="email" autocomplete="email"',
        'type="tel" name="phone" autocomplete="tel"',
        'type="text" name="location" autocomplete="address-level2"',
        'name="links" cols="40" rows="2" autocomplete="url"',
        'type="file" name="resume"',
        "Are you applying to the internship?",
        'name="consent"',
        'enctype="multipart/form-data"',
        "csrfmiddlewaretoken",
    ]:
        assert text in html


def test_a_valid_submission_stores_everything_and_redirects_to_confirmation(
    client, apply_url, form_data, internship_question, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply_url + "?utm_source=linkedin&utm_campaign=spring", form_data())
    assert response.status_code == 302
    assert response["Location"] == "/jobs/backend-engineer/apply/thanks/"
    application = Application.objects.get()
    assert application.name == application.candidate.name == "Jane Doe"
    assert application.links == application.candidate.links == ["https://github.com/jane"]
    assert application.stage.name == "Applied"
    assert application.utm_source == "linkedin"
    assert application.utm_campaign == "spring"
    assert application.answers.get(question=internship_question).value is True
    assert application.resume.content_type == "application/pdf"
    assert "Jane Doe" in application.resume.text
    assert StageChange.objects.get(application=application).to_stage == application.stage
    assert OutboxEmail.objects.filter(kind="application_received").count() == 1

    confirmation = client.get(response["Location"]).content.decode()
    assert "Thank you for applying" in confirmation
    assert "Check your inbox" in confirmation
    # The link reaches the applicant only through their inbox.
    assert application.status_token not in confirmation
    assert (
        application.status_token in OutboxEmail.objects.get(kind="application_received").body_text
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Please enter your name."),
        ("name", "J", "Ensure this value has at least 2 characters (it has 1)."),
        (
            "name",
            "Jane\r\nBcc: victim@example.com",
            "Your name can only be one line of ordinary text.",
        ),
        ("name", "x" * 201, "Ensure this value has at most 200 characters (it has 201)."),
        ("email", "", "Please enter your email address, so we can reply."),
        ("email", "not-an-email", "Enter a valid email address."),
        ("email", "jane@example.com\nBcc: x@example.com", "Enter a valid email address."),
        ("phone", "call me maybe", "Enter a phone number with digits only, e.g. +1 415 555 0100."),
        ("location", "Oakland\x00", "Null characters are not allowed."),
        (
            "links",
            "github.com/jane",
            "“github.com/jane” is not a full web address (start it with https://).",
        ),
        ("links", "\n".join(f"https://e.com/{i}" for i in range(6)), "Add at most 5 links."),
        ("consent", None, "We need your consent to process your application."),
        ("resume", None, "Please attach your resume."),
    ],
)
def test_each_field_explains_its_error_next_to_it_and_keeps_what_was_typed(
    client, apply_url, form_data, private_root, field, value, message
):
    response = client.post(apply_url, form_data(**{field: value}))
    assert response.status_code == 400
    form = response.context["form"]
    assert message in form.errors[field]
    html = response.content.decode()
    assert "Please fix this before you submit:" in html
    assert "is-invalid" in html
    if field != "name":
        assert 'value="Jane Doe"' in html  # what was typed elsewhere stays
    assert_nothing_stored(private_root)


def test_the_internship_question_is_required(
    client, apply_url, form_data, internship_question, private_root
):
    response = client.post(apply_url, form_data(**{internship_question.field_name: None}))
    assert response.status_code == 400
    assert response.context["form"].errors[internship_question.field_name] == [
        "Please answer this question."
    ]
    assert_nothing_stored(private_root)


def test_questions_are_rendered_and_validated_by_type(client, posting, apply_url, form_data):
    number = QuestionFactory(
        posting=posting, label="Years of experience?", kind=Question.Kind.NUMBER, position=5
    )
    url = QuestionFactory(
        posting=posting, label="Portfolio", kind=Question.Kind.URL, required=False, position=6
    )
    choice = QuestionFactory(
        posting=posting,
        label="Team?",
        kind=Question.Kind.SINGLE_CHOICE,
        choices=["Core", "Monetization"],
        position=7,
    )
    many = QuestionFactory(
        posting=posting,
        label="Languages?",
        kind=Question.Kind.MULTIPLE_CHOICE,
        choices=["Python", "Go", "Java"],
        required=False,
        position=8,
    )
    html = client.get(apply_url).content.decode()
    assert 'inputmode="decimal"' in html
    assert 'type="url"' in html
    assert f'type="checkbox" name="{many.field_name}"' in html or (
        f'name="{many.field_name}"' in html and 'type="checkbox"' in html
    )
    response = client.post(
        apply_url,
        form_data(
            **{number.field_name: "many", url.field_name: "ftp://x", choice.field_name: "Other"}
        ),
    )
    errors = response.context["form"].errors
    assert errors[number.field_name] == ["Enter a number."]
    assert errors[url.field_name] == ["Enter a full web address starting with https://."]
    assert (
        "Select a valid choice. Other is not one of the available choices."
        in errors[choice.field_name]
    )

    response = client.post(
        apply_url,
        form_data(
            **{
                number.field_name: "4.5",
                choice.field_name: "Core",
                many.field_name: ["Go", "Python"],
            }
        ),
    )
    assert response.status_code == 302
    answers = {a.question_id: a.value for a in Answer.objects.select_related("question")}
    assert str(answers[number.pk]) == "4.500000"
    assert answers[choice.pk] == "Core"
    assert answers[many.pk] == ["Python", "Go"]
    assert url.pk not in answers  # optional and left blank: no row


def test_a_knockout_answer_flags_the_application_for_review(
    client, apply_url, form_data, internship_question
):
    internship_question.knockout_answer = "yes"
    internship_question.save()
    client.post(apply_url, form_data())
    application = Application.objects.get()
    assert application.needs_review and application.knocked_out
    assert application.stage.name == "Applied"


def test_a_posting_may_reject_knockouts_automatically_with_a_delayed_email(
    client,
    posting,
    apply_url,
    form_data,
    internship_question,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    internship_question.knockout_answer = "yes"
    internship_question.save()
    posting.auto_reject_knockouts = True
    posting.rejection_email_delay_hours = 48
    posting.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(apply_url, form_data())
    application = Application.objects.get()
    assert application.stage.kind == "rejected"
    assert "knock-out" in application.stage_changes.last().reason
    rejection = OutboxEmail.objects.get(kind="rejection")
    assert rejection.status == "pending"
    hours = (rejection.send_after - application.submitted_at).total_seconds() / 3600
    assert 47.9 < hours < 48.1
    # Only the confirmation went out now; the rejection waits.
    assert [m.subject for m in mailoutbox] == ["We received your application for Backend Engineer"]


class TestResumeChecks:
    """The resume is judged by its bytes, never by its name or declared type."""

    def post_resume(self, client, apply_url, form_data, upload):
        return client.post(apply_url, form_data(resume=upload))

    @pytest.mark.parametrize(
        ("content", "name", "content_type"),
        [
            (
                b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200,
                "resume.pdf",
                "application/pdf",
            ),
            (b"<html><script>alert(1)</script></html>", "resume.pdf", "application/pdf"),
            (b"%PDF-1.4 this is not really a pdf", "resume.pdf", "application/pdf"),
            (
                b"PK\x03\x04 not really a zip",
                "resume.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
            (b"plain text resume", "resume.txt", "text/plain"),
            (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "resume.pdf", "application/pdf"),
        ],
        ids=["exe-renamed-pdf", "html-as-pdf", "broken-pdf", "broken-docx", "text", "png-as-pdf"],
    )
    def test_spoofed_or_broken_files_are_rejected_with_a_clear_message(
        self, client, apply_url, form_data, private_root, content, name, content_type
    ):
        response = self.post_resume(
            client, apply_url, form_data, SimpleUploadedFile(name, content, content_type)
        )
        assert response.status_code == 400
        [error] = response.context["form"].errors["resume"]
        assert "PDF" in error and ("not a PDF or Word" in error or "couldn't read" in error)
        assert_nothing_stored(private_root)

    def test_an_empty_file_is_rejected(self, client, apply_url, form_data, private_root):
        response = self.post_resume(
            client, apply_url, form_data, SimpleUploadedFile("r.pdf", b"", "application/pdf")
        )
        assert response.context["form"].errors["resume"] == ["The submitted file is empty."]
        assert_nothing_stored(private_root)

    def test_a_file_over_10_mb_is_rejected(
        self, client, apply_url, form_data, private_root, settings
    ):
        settings.RESUME_MAX_BYTES = 50_000  # The same check at 10 MB, without a 10 MB test upload.
        big = pdf_upload(text="x " * 40_000)
        response = self.post_resume(client, apply_url, form_data, big)
        [error] = response.context["form"].errors["resume"]
        assert error.startswith("Your resume is ") and "the limit is" in error
        assert_nothing_stored(private_root)

    def test_a_request_over_the_limit_is_refused_before_its_body_is_read(
        self, client, apply_url, settings
    ):
        settings.APPLY_MAX_REQUEST_BYTES = 1000
        response = client.post(apply_url, {"name": "x" * 2000})
        assert response.status_code == 413
        assert "Resumes can be at most 10 MB" in response.content.decode()

    def test_too_many_files_get_a_clear_400(self, client, apply_url, form_data, private_root):
        data = form_data()
        data["resume"] = [pdf_upload(name=f"r{i}.pdf") for i in range(6)]
        response = client.post(apply_url, data)
        assert response.status_code == 400
        assert "too many files" in response.content.decode()
        assert_nothing_stored(private_root)

    def test_a_docx_resume_is_accepted_and_its_text_extracted(self, client, apply_url, form_data):
        from tests.applications.docx import docx_bytes

        upload = SimpleUploadedFile(
            "cv.docx", docx_bytes("Grace Hopper COBOL compilers"), "application/octet-stream"
        )
        response = self.post_resume(client, apply_url, form_data, upload)
        assert response.status_code == 302
        resume = Resume.objects.get()
        assert resume.content_type.endswith("wordprocessingml.document")
        assert "COBOL compilers" in resume.text
        assert resume.file.name.endswith(".docx") and "cv" not in resume.file.name

    def test_stored_names_come_from_the_server_not_the_applicant(
        self, client, apply_url, form_data, private_root
    ):
        upload = pdf_upload(name="../../etc/passwd.pdf")
        client.post(apply_url, form_data(resume=upload))
        resume = Resume.objects.get()
        assert resume.original_filename == "passwd.pdf"
        [stored] = stored_files(private_root)
        assert stored.is_relative_to(private_root / "resumes")
        assert "passwd" not in stored.name


def test_the_honeypot_stores_nothing_but_looks_like_success(
    client, apply_url, form_data, private_root
):
    response = client.post(apply_url, form_data(website="http://spam.example.com"), follow=True)
    assert response.redirect_chain == [("/jobs/backend-engineer/apply/thanks/", 302)]
    assert "Thank you for applying" in response.content.decode()
    assert_nothing_stored(private_root)


def test_failed_attempts_do_not_count_against_the_application_limit(
    client, apply_url, form_data, settings
):
    # A person fixing typos: more failed tries than the limit of applications, then success.
    for _ in range(settings.APPLY_RATE_LIMIT + 1):
        assert client.post(apply_url, form_data(email="")).status_code == 400
    response = client.post(apply_url, form_data())
    assert response.status_code == 302
    assert Application.objects.count() == 1


def test_the_rate_limit_stops_an_ip_after_the_limit_of_accepted_applications(
    client, apply_url, form_data, settings
):
    settings.APPLY_RATE_LIMIT = 2
    for address in ["one@example.com", "two@example.com"]:
        assert client.post(apply_url, form_data(email=address)).status_code == 302
    response = client.post(apply_url, form_data(email="three@example.com"))
    assert response.status_code == 429
    assert "many applications from your network" in response.content.decode()
    assert not Candidate.objects.filter(email="three@example.com").exists()
    assert Application.objects.count() == 2
    # Another address is unaffected.
    other = client.post(apply_url, form_data(email="four@example.com"), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_attempts_of_any_kind_are_bounded_more_loosely_before_validation(
    client, apply_url, form_data, settings, private_root
):
    assert settings.APPLY_ATTEMPT_LIMIT == 5 * settings.APPLY_RATE_LIMIT
    for _ in range(settings.APPLY_ATTEMPT_LIMIT):
        assert client.post(apply_url, form_data(email="", resume=None)).status_code == 400
    not_a_resume = SimpleUploadedFile("resume.pdf", b"MZ\x90\x00 not a pdf at all")
    response = client.post(apply_url, form_data(resume=not_a_resume))
    assert response.status_code == 429
    html = response.content.decode()
    assert html.count("many applications from your network") == 1
    # Had the form been validated, the file would have been read and refused.
    assert "is not a PDF or Word" not in html
    assert_nothing_stored(private_root)


def test_the_rate_limit_works_with_redis(client, apply_url, form_data, settings, redis_available):
    from tests.conftest import redis_url

    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url(offset=5),
        },
    }
    from django.core.cache import caches

    caches["ratelimit"].clear()
    settings.APPLY_RATE_LIMIT = 1
    assert client.post(apply_url, form_data(email="")).status_code == 400
    assert client.post(apply_url, form_data()).status_code == 302
    assert client.post(apply_url, form_data(email="two@example.com")).status_code == 429


def test_csrf_is_enforced(posting, apply_url, form_data):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(apply_url, form_data())
    assert response.status_code == 403
    assert "Your session expired" in response.content.decode()
    assert Application.objects.count() == 0


def test_a_closed_posting_takes_no_applications(
    client, posting, apply_url, form_data, private_root
):
    posting.status = posting.Status.CLOSED
    posting.save()
    assert client.post(apply_url, form_data()).status_code == 410
    assert_nothing_stored(private_root)


def test_the_error_summary_links_each_error_to_its_field(client, apply_url, form_data, posting):
    languages_question = QuestionFactory(
        posting=posting, label="Languages", kind="multiple_choice", choices=["Python", "Go"]
    )
    response = client.post(apply_url, form_data(email="nope", consent=None))
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="form-errors" tabindex="-1"' in html
    assert "Please fix these 3 before you submit:" in html
    languages = response.context["form"][languages_question.field_name]
    for anchor, text in [
        ("id_email", "Email: Enter a valid email address."),
        (f"{languages.auto_id}_0", "Languages: Please answer this question."),
        ("id_consent", "We need your consent to process your application."),
    ]:
        assert f'<a href="#{anchor}">' in html and text in html
        assert f'id="{anchor}"' in html
    assert 'src="/static/js/apply.js"' in html


def test_every_page_links_a_favicon_and_a_skip_link(client, posting):
    html = client.get(f"/jobs/{posting.slug}/").content.decode()
    assert '<a class="skip-link visually-hidden-focusable" href="#main">Skip to content</a>' in html
    assert 'id="main"' in html
    for name, start in [("img/favicon.ico", b"\x00\x00\x01\x00"), ("img/favicon.svg", b"<svg")]:
        assert f'href="/static/{name}"' in html
        with open(finders.find(name), "rb") as icon:  # served: tests/e2e/test_apply.py
            assert icon.read().startswith(start)
