"""The attack of the trust review, step by step: Mallory knows Jane's email address and tries to
read, rename and erase Jane's application with it. An address proves nothing until its inbox
answers, so every step must leave Jane's data untouched and show Mallory nothing of it."""

import re
import time

import pytest
from django.core import signing
from django.test import Client

from applications.models import MANAGE_LINK_MAX_AGE, Application, Candidate
from notifications.models import OutboxEmail
from tests.factories import PostingFactory, QuestionFactory, pdf_upload, submit

pytestmark = pytest.mark.django_db

JANE = {
    "name": "Jane Victim",
    "email": "jane@example.com",
    "phone": "+1 415 555 0100",
    "location": "Oakland, CA",
    "links": "https://github.com/jane-victim",
    "cover_letter": "My secret cover letter about Monetization",
}
JANE_RESUME = "Jane Victim private resume text"
# Everything of Jane's that Mallory must never see.
SECRETS = [
    "Jane Victim",
    "415 555 0100",
    "Oakland",
    "jane-victim",
    "secret cover letter",
    "private resume text",
]


@pytest.fixture
def data_posting(db):
    posting = PostingFactory(title="Data Engineer", slug="data-engineer")
    QuestionFactory(posting=posting, label="Do you know SQL?", position=0)
    return posting


def form(posting, person: dict, resume_text: str) -> dict:
    data = {
        **person,
        "resume": pdf_upload(resume_text),
        "consent": "on",
        "website": "",
    }
    for question in posting.questions.all():
        data[question.field_name] = "no"
    return data


def links_in(text: str) -> set[str]:
    return set(re.findall(r"/(?:status|my-applications)/[^\s\"'<>]+/", text))


def test_applying_with_someone_elses_address_gets_nothing_of_theirs(
    posting, data_posting, recruiter, django_capture_on_commit_callbacks
):
    jane, mallory = Client(), Client(REMOTE_ADDR="10.6.6.6")
    with django_capture_on_commit_callbacks(execute=True):
        applied = jane.post("/jobs/backend-engineer/apply/", form(posting, JANE, JANE_RESUME))
    assert applied.status_code == 302
    genuine = Application.objects.get()
    seen = []  # every response Mallory receives

    # 1. Mallory applies to another posting with Jane's address in another case.
    mallory_says = {
        "name": "Mallory Attacker",
        "email": "JANE@Example.com",
        "phone": "+1 666 555 0199",
        "location": "Nowhere",
        "links": "https://evil.example/mallory",
        "cover_letter": "hello",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = mallory.post(
            "/jobs/data-engineer/apply/",
            form(data_posting, mallory_says, "Mallory resume"),
            follow=True,
        )
    seen.append(response)
    assert "Check your inbox" in response.content.decode()
    planted = Application.objects.exclude(pk=genuine.pk).get()
    # Jane's record is as she left it; what Mallory typed stays on Mallory's application.
    candidate = Candidate.objects.get()
    assert (candidate.name, candidate.phone, candidate.location) == (
        "Jane Victim",
        "+1 415 555 0100",
        "Oakland, CA",
    )
    assert candidate.links == ["https://github.com/jane-victim"]
    assert (planted.name, planted.phone) == ("Mallory Attacker", "+1 666 555 0199")
    # The link to the planted application went to Jane's inbox, not to Mallory's browser.
    received = OutboxEmail.objects.get(kind="application_received", application=planted)
    assert received.to.lower() == "jane@example.com"
    assert planted.status_token not in response.content.decode()

    # 2. Mallory applies to Jane's posting: answered as a new application, nothing changes.
    with django_capture_on_commit_callbacks(execute=True):
        response = mallory.post(
            "/jobs/backend-engineer/apply/",
            form(posting, mallory_says, "Mallory resume"),
            follow=True,
        )
    seen.append(response)
    assert response.status_code == 200 and "Check your inbox" in response.content.decode()
    genuine.refresh_from_db()
    assert genuine.name == "Jane Victim"
    assert genuine.cover_letter == JANE["cover_letter"]
    assert JANE_RESUME in genuine.resume.text
    reminder = OutboxEmail.objects.get(kind="status_link")
    assert reminder.to == "jane@example.com"

    # 3. Mallory asks for the link to all applications of the address: it goes to Jane.
    with django_capture_on_commit_callbacks(execute=True):
        response = mallory.post("/my-applications/", {"email": "jane@example.com"})
    seen.append(response)
    assert OutboxEmail.objects.get(kind="manage_link").to == "jane@example.com"

    # 4. Even holding the planted application's own link (which only Jane's inbox received),
    # its export and erasure reach that application alone.
    planted_link = planted.get_status_url()
    export = mallory.get(planted_link + "data.json")
    assert export.status_code == 200
    seen.append(export)
    with django_capture_on_commit_callbacks(execute=True):
        seen.append(mallory.post(planted_link + "erase/", {"confirm": "yes"}))
    genuine.refresh_from_db()
    assert genuine.erased_at is None and genuine.name == "Jane Victim"
    assert genuine.resume.file.storage.exists(genuine.resume.file.name)
    assert jane.get(genuine.get_status_url()).status_code == 200

    # Nothing of Jane's, and no link of hers, in anything Mallory saw.
    for response in seen:
        body = response.content.decode()
        for secret in SECRETS:
            assert secret not in body, (secret, response.request["PATH_INFO"])
        assert genuine.status_token not in body
        assert not links_in(body) - {planted_link}

    # The hiring team sees Jane under her own name, and is told when an address is shared.
    staff = Client()
    staff.force_login(recruiter)
    page = staff.get(genuine.get_dashboard_url()).content.decode()
    assert '<h1 class="h3 mb-1">Jane Victim</h1>' in page


def test_the_hiring_team_sees_when_an_address_applied_under_another_name(
    posting, data_posting, recruiter, django_capture_on_commit_callbacks
):
    jane, mallory = Client(), Client(REMOTE_ADDR="10.6.6.6")
    jane.post("/jobs/backend-engineer/apply/", form(posting, JANE, JANE_RESUME))
    mallory.post(
        "/jobs/data-engineer/apply/",
        form(data_posting, {**JANE, "name": "Mallory Attacker"}, "x"),
    )
    genuine, planted = Application.objects.order_by("pk")
    staff = Client()
    staff.force_login(recruiter)
    on_planted = staff.get(planted.get_dashboard_url()).content.decode()
    assert "Another name at this address" in on_planted
    assert "The first application from this address gave another name" in on_planted
    assert "“Jane Victim” (Backend Engineer)" in on_planted
    on_genuine = staff.get(genuine.get_dashboard_url()).content.decode()
    assert "“Mallory Attacker” (Data Engineer)" in on_genuine
    # Each board card carries the name its own application gave.
    board = staff.get(f"/dashboard/postings/{data_posting.pk}/board/").content.decode()
    assert "Mallory Attacker" in board and "Jane Victim" not in board


def test_a_manage_link_lists_and_erases_only_after_the_emailed_link_is_opened(
    posting, data_posting, django_capture_on_commit_callbacks, mailoutbox
):
    jane = Client()
    with django_capture_on_commit_callbacks(execute=True):
        jane.post("/jobs/backend-engineer/apply/", form(posting, JANE, JANE_RESUME))
        jane.post("/jobs/data-engineer/apply/", form(data_posting, JANE, JANE_RESUME))
        jane.post("/my-applications/", {"email": "jane@example.com"})
    [email] = [m for m in mailoutbox if m.subject.startswith("Your applications")]
    [link] = links_in(email.body)
    page = jane.get(link)
    assert page["Referrer-Policy"] == "same-origin"
    html = page.content.decode()
    assert "Backend Engineer" in html and "Data Engineer" in html
    for application in Application.objects.all():
        assert application.get_status_url() in html
    # A forged, altered or foreign link opens nothing.
    for bad in [link[:-5] + "AAAA/", "/my-applications/" + "x" * 40 + "/"]:
        assert jane.get(bad).status_code == 404
        assert jane.post(bad + "erase/", {"confirm": "yes"}).status_code == 404
    assert Application.objects.filter(erased_at__isnull=True).count() == 2

    export = jane.get(link + "data.json")
    assert [a["posting"] for a in export.json()["applications"]] == [
        "Backend Engineer",
        "Data Engineer",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        jane.post(link + "erase/", {"confirm": "yes"})
    assert Application.objects.filter(erased_at__isnull=True).count() == 0
    assert jane.get(link).status_code == 404


def test_a_manage_link_expires_after_a_day(posting, monkeypatch):
    candidate = submit(posting, email="jane@example.com").candidate
    token = candidate.manage_token()
    assert Candidate.objects.for_manage_token(token) == candidate
    now = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now + MANAGE_LINK_MAX_AGE + 1)
    assert Candidate.objects.for_manage_token(token) is None
    assert Client().get(f"/my-applications/{token}/").status_code == 404
