"""A corpus of hostile fields through the application form, by the test client.

Whatever comes in: never a 500; a rejected submission stores no row and no file; an accepted
string is kept exactly as typed and shown escaped wherever applicants, recruiters and emails
see it; and no email carries a header the input put there.
"""

from email import message_from_bytes
from email.policy import default as email_policy

import pytest
from django.test import Client
from django.utils.html import escape

from applications.models import Application, Candidate
from notifications.models import OutboxEmail
from tests.hostile.helpers import APPLY_URL

pytestmark = pytest.mark.django_db

# Strings that are fine to store, and dangerous to show unescaped or to run.
ACCEPTED = {
    "script": '<script>alert("xss")</script>',
    "attribute": '"><img src=x onerror=alert(1)>',
    "template": "{{ request.META }}{% debug %}",
    "sql": "Robert'); DROP TABLE applications_candidate;--",
    "unicode": "Zoë \u202egnp.exe \u200d😀 ﷽",
}

# Every header our emails may carry; input must never add one (a Bcc, say) or repeat one.
EMAIL_HEADERS = {
    "Content-Type",
    "Content-Transfer-Encoding",
    "MIME-Version",
    "Subject",
    "From",
    "To",
    "Reply-To",
    "Date",
    "Message-ID",
    "Auto-Submitted",
    "Precedence",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
    "X-Auto-Response-Suppress",
    "X-ATS-Email-Kind",
}


def hostile_submission(valid_data, questions, payload):
    """The payload in every free-text field the form has."""
    url = "https://example.com/" + payload.replace(" ", "")
    return valid_data(
        name=payload,
        location=payload,
        cover_letter=f"{payload}\n\n{payload}",
        links=url,
        **{
            questions["Short"].field_name: payload,
            questions["Long"].field_name: f"{payload}\n{payload}",
            questions["Portfolio"].field_name: url,
        },
    )


def staff_pages(application, recruiter):
    """HTML of every page where staff see this application's data."""
    staff = Client()
    staff.force_login(recruiter)
    admin = Client()
    admin.force_login(
        type(recruiter).objects.create_superuser("root", "root@example.com", "x" * 20)
    )
    return {
        "dashboard": staff.get(
            f"/dashboard/postings/{application.posting_id}/applications/{application.pk}/"
        ),
        "admin application": admin.get(f"/admin/applications/application/{application.pk}/change/"),
        "admin candidate": admin.get(
            f"/admin/applications/candidate/{application.candidate_id}/change/"
        ),
        "admin list": admin.get("/admin/applications/application/"),
    }


def assert_shown_escaped(html: str, payload: str, where: str):
    assert escape(payload) in html, f"{where} does not show the payload"
    if escape(payload) != payload:
        assert payload not in html, f"{where} shows the payload unescaped"


def assert_clean_headers(message, *, to: str):
    parsed = message_from_bytes(message.message().as_bytes(), policy=email_policy)
    names = list(parsed.keys())
    assert set(names) <= EMAIL_HEADERS, names
    assert len(names) == len(set(names)), names
    assert parsed.get_all("To") == [to]
    assert "\n" not in parsed["Subject"] and "\r" not in parsed["Subject"]


@pytest.mark.parametrize("payload", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_a_hostile_string_in_every_field_is_stored_verbatim_and_shown_escaped_everywhere(
    client,
    valid_data,
    questions,
    payload,
    recruiter,
    hiring_manager,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    data = hostile_submission(valid_data, questions, payload)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(APPLY_URL, data)
    assert response.status_code == 302, response.context["form"].errors

    application = Application.objects.select_related("candidate").get()
    candidate = application.candidate
    assert application.name == candidate.name == payload.strip()
    assert application.location == candidate.location == payload.strip()
    assert application.cover_letter == f"{payload}\n\n{payload}".strip()
    answers = {a.question.label: a.value for a in application.answers.select_related("question")}
    assert answers["Short"] == payload.strip()
    assert Candidate.objects.count() == 1  # the SQL fragment was data, not SQL

    status = client.get(application.get_status_url()).content.decode()
    assert_shown_escaped(status, payload.strip(), "the status page")

    for where, page in staff_pages(application, recruiter).items():
        assert page.status_code == 200, where
        assert_shown_escaped(page.content.decode(), payload.strip(), where)

    kinds = {message.extra_headers["X-ATS-Email-Kind"]: message for message in mailoutbox}
    assert set(kinds) == {"application_received", "new_application"}
    assert_clean_headers(kinds["application_received"], to=candidate.email)
    assert_clean_headers(kinds["new_application"], to=hiring_manager.email)
    for message in mailoutbox:
        html = message.alternatives[0][0]
        assert_shown_escaped(html, payload.strip(), f"the {message.subject!r} email")
        assert payload.strip() in message.body  # plain text needs no escaping
    assert payload.strip() in kinds["new_application"].subject


KB100 = "x" * 100_000

# (field or question label, value, what the applicant reads next to the field)
REJECTED = [
    ("name", "Jane\x00Doe", "Null characters are not allowed."),
    ("name", KB100, "at most 200 characters"),
    ("name", "Jane\r\nBcc: victim@example.com", "one line of ordinary text"),
    ("name", "Jane\u2028Bcc: victim@example.com", "one line of ordinary text"),
    ("name", "Jane\x85Bcc: victim@example.com", "one line of ordinary text"),
    ("name", "Jane\x1b[31mDoe", "one line of ordinary text"),
    ("location", "Oakland\rBcc: victim@example.com", "one line of ordinary text"),
    ("email", "jane@example.com\r\nBcc: victim@example.com", "Enter a valid email address."),
    ("email", "jane@example.com, victim@example.com", "Enter a valid email address."),
    ("email", "Jane <jane@example.com>", "Enter a valid email address."),
    ("email", "jаne@example.com", "Enter a valid email address."),  # Cyrillic а
    ("email", "ｊａｎｅ@example.com", "Enter a valid email address."),  # full-width
    ("email", "a" * 250 + "@example.com", "at most 254 characters"),
    ("email", "jane@" + "a" * 64 + ".com", "Enter a valid email address."),
    ("email", "' OR '1'='1", "Enter a valid email address."),
    ("email", "jane\x00@example.com", "Null characters are not allowed."),
    ("phone", "<script>alert(1)</script>", "Enter a phone number"),
    ("phone", "+1 415 555 0100\r\nBcc: x", "one line of ordinary text"),
    ("cover_letter", KB100, "at most 10000 characters"),
    ("cover_letter", "Dear team,\x00", "Null characters are not allowed."),
    ("cover_letter", "Dear team,\x07\x08", "characters we cannot store"),
    ("links", "javascript:alert(1)", "is not a full web address"),
    ("links", "data:text/html,<script>alert(1)</script>", "is not a full web address"),
    ("links", KB100, "at most 2000 characters"),
    ("Short", KB100, "at most 300 characters"),
    ("Short", "yes\x00", "Null characters are not allowed."),
    ("Long", "x" * 5001, "at most 5000 characters"),
    ("Years", "NaN", "Enter a number."),
    ("Years", "1e999999", "Enter a number."),
    ("Years", "1;DROP TABLE answer", "Enter a number."),
    ("Portfolio", "javascript:alert(1)//https://", "starting with https://"),
    ("Team", "<script>", "Select a valid choice."),
    ("Team", "Core' OR '1'='1", "Select a valid choice."),
    ("Languages", "Rust", "Select a valid choice."),
    ("Internship", "maybe", "Select a valid choice."),
]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    REJECTED,
    ids=[f"{field}-{i}" for i, (field, _, _) in enumerate(REJECTED)],
)
def test_hostile_input_is_refused_next_to_its_field_and_nothing_is_stored(
    client, valid_data, questions, nothing_stored, field, value, message
):
    name = questions[field].field_name if field in questions else field
    response = client.post(APPLY_URL, valid_data(**{name: value}))
    assert response.status_code == 400
    errors = response.context["form"].errors[name]
    assert any(message in error for error in errors), errors
    assert "before you submit:" in response.content.decode()
    nothing_stored()


def test_100_kb_in_every_text_field_at_once_is_refused_field_by_field(
    client, valid_data, questions, nothing_stored
):
    text_fields = ["name", "email", "phone", "location", "cover_letter", "links"]
    text_fields += [questions[label].field_name for label in ("Short", "Long", "Portfolio")]
    response = client.post(APPLY_URL, valid_data(**dict.fromkeys(text_fields, KB100)))
    assert response.status_code == 400
    assert set(text_fields) <= set(response.context["form"].errors)
    nothing_stored()


def test_thousands_of_values_for_one_field_get_a_clear_400_page(
    client, valid_data, questions, nothing_stored
):
    languages = questions["Languages"].field_name
    response = client.post(APPLY_URL, valid_data(**{languages: ["Python"] * 5000}))
    assert response.status_code == 400
    assert "too many fields" in response.content.decode()
    nothing_stored()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("jane@exаmple.com", "jane@xn--exmple-4nf.com"),  # Cyrillic а: shown as xn--
        ("jane@ｅｘａｍｐｌｅ.com", "jane@example.com"),  # full-width letters
        ("jane@ex\u200bample.com", "jane@example.com"),  # a zero-width space
        ("Jane@EXAMPLE.com", "Jane@example.com"),
    ],
)
def test_email_domains_are_stored_as_mail_servers_read_them(
    client, valid_data, typed, stored, mailoutbox, django_capture_on_commit_callbacks
):
    # Otherwise look-alike spellings of one mailbox make several candidates, and a look-alike
    # domain reads like the real one to a recruiter.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(APPLY_URL, valid_data(email=typed))
    assert response.status_code == 302
    assert Candidate.objects.get().email == stored
    [confirmation] = mailoutbox
    assert_clean_headers(confirmation, to=stored)


def test_a_look_alike_spelling_of_an_address_that_applied_is_a_duplicate(client, valid_data):
    assert client.post(APPLY_URL, valid_data(email="jane@example.com")).status_code == 302
    response = client.post(APPLY_URL, valid_data(email="jane@ｅｘａｍｐｌｅ.com"))
    assert response.status_code == 302  # answered as any application is
    assert Application.objects.count() == 1
    assert OutboxEmail.objects.filter(kind="status_link", to="jane@example.com").count() == 1


def test_control_characters_in_tracking_parameters_and_the_referrer_are_dropped(client, valid_data):
    # On PostgreSQL a NUL in any of these failed the whole application with a 500.
    response = client.post(
        APPLY_URL + "?utm_source=link%00edin&utm_medium=e%0Dmail&utm_campaign=%00",
        valid_data(),
        HTTP_REFERER="https://example.com/jobs\x00?ref=1",
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.utm_source == "linkedin"
    assert application.utm_medium == "email"
    assert application.utm_campaign == ""
    assert application.referrer == "https://example.com/jobs?ref=1"
