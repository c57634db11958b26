"""The trust review's attacks from the applicant's side of the site: items 5, 11 and 15, and
the rate-limited upload of item 4.

The apply form answered 409 "already applied", so anyone could learn whether an address had
applied; an erasure left the person's name in a digest queued before it and in Django admin's
history; a hired applicant withdrew by a hand-made POST; and a rate-limited upload was parsed
(11.8 s for a hostile PDF) before the 429.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from applications import emails, services
from applications.models import Application, Candidate
from notifications.models import OutboxEmail
from tests.factories import submit

pytestmark = pytest.mark.django_db


# Item 4: a rate-limited upload is refused before it is read


def test_a_rate_limited_submission_is_refused_before_its_resume_is_read(
    client, apply_url, form_data, settings, private_root
):
    settings.APPLY_RATE_LIMIT = 1
    assert client.post(apply_url, form_data()).status_code == 302
    not_a_resume = SimpleUploadedFile("resume.pdf", b"MZ\x90\x00 not a pdf at all")
    response = client.post(apply_url, form_data(email="two@example.com", resume=not_a_resume))
    assert response.status_code == 429
    html = response.content.decode()
    assert html.count("many applications from your network") == 1
    # Had the form been validated, the file would have been read and refused.
    assert "is not a PDF or Word" not in html
    assert 'value="Jane Doe"' in html  # what was typed comes back
    assert Application.objects.count() == 1


# Item 5: a duplicate is answered like any application


def test_a_duplicate_is_answered_like_a_new_application_and_the_address_gets_its_link(
    client, posting, form_data, mailoutbox, django_capture_on_commit_callbacks
):
    submit(posting, email="jane@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        new = client.post(
            "/jobs/backend-engineer/apply/", form_data(email="someone.new@example.com")
        )
        duplicate = client.post("/jobs/backend-engineer/apply/", form_data())
    assert duplicate.status_code == new.status_code == 302
    assert duplicate["Location"] == new["Location"]
    thanks = client.get(duplicate["Location"]).content.decode()
    assert "Check your inbox" in thanks and "already" not in thanks
    [email] = [m for m in mailoutbox if "already applied" in m.subject]
    assert email.to == ["jane@example.com"]
    assert Application.objects.get(candidate__email="jane@example.com").status_token in email.body
    # Submitting again at once does not flood the inbox.
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/jobs/backend-engineer/apply/", form_data())
    assert len([m for m in mailoutbox if "already applied" in m.subject]) == 1


def test_asking_for_the_manage_link_reveals_nothing_about_unknown_addresses(
    client, posting, mailoutbox, django_capture_on_commit_callbacks
):
    submit(posting, email="jane@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post("/my-applications/", {"email": "nobody@example.com"})
        known = client.post("/my-applications/", {"email": "JANE@example.com"})
    assert unknown.status_code == known.status_code == 200
    assert unknown.content == known.content
    assert "If that address applied" in known.content.decode()
    [email] = mailoutbox
    assert email.to == ["jane@example.com"]


# Item 11: an erasure leaves nothing of the person behind


def test_erasure_rewrites_a_digest_not_yet_sent_without_the_erased_person(team, apply):
    jane = apply(name="Jane Doe", email="jane@example.com")
    apply(name="Max Power", email="max@example.com")
    today = timezone.localdate()
    # Queued but held back (as while the broker is down): not sent before the erasure.
    with transaction.atomic():
        emails.queue_daily_digests(today)
    digest = OutboxEmail.objects.get(kind="digest")
    assert digest.status == "pending" and "Jane Doe" in digest.body_text

    services.erase(application=jane)

    digest.refresh_from_db()
    assert digest.status == "pending"
    assert "Jane" not in digest.subject + digest.body_text + digest.body_html
    assert "Max Power" in digest.body_text and "Max Power" in digest.body_html
    assert digest.subject == f"1 new application on {today:%B} {today.day}"


def test_erasure_cancels_a_failed_digest_that_named_only_the_erased_person(team, apply):
    jane = apply(name="Jane Doe", email="jane@example.com")
    with transaction.atomic():
        emails.queue_daily_digests(timezone.localdate())
    OutboxEmail.objects.filter(kind="digest").update(status="failed", last_error="SMTP down")

    services.erase(application=jane)

    digest = OutboxEmail.objects.get(kind="digest")
    assert digest.status == "cancelled"
    assert "Jane" not in digest.subject + digest.body_text + digest.body_html


def test_django_admin_history_forgets_the_erased_persons_name(
    application, recruiter, django_capture_on_commit_callbacks
):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    for obj in (application, application.candidate):
        LogEntry.objects.log_actions(
            user_id=recruiter.pk, queryset=[obj], action_flag=CHANGE, change_message="[]"
        )
    assert LogEntry.objects.filter(object_repr__contains="Jane").count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        services.erase_all(candidate=application.candidate)

    entries = LogEntry.objects.filter(
        content_type__in=ContentType.objects.get_for_models(Application, Candidate).values()
    )
    assert sorted(entries.values_list("object_repr", flat=True)) == [
        "Erased application",
        "Erased candidate",
    ]


# Item 15: a closed application cannot be withdrawn


@pytest.mark.parametrize("stage_name", ["Hired", "Rejected", "Withdrawn"])
def test_a_closed_application_cannot_be_withdrawn_even_by_a_hand_made_post(
    client, application, stage_name
):
    stage = application.posting.stages.get(name=stage_name)
    services.move_application(application=application, to_stage=stage)
    application.refresh_from_db()
    withdrawn_at = application.withdrawn_at
    page = client.get(f"/status/{application.status_token}/").content.decode()
    assert "Withdraw my application" not in page
    response = client.post(f"/status/{application.status_token}/withdraw/", follow=True)
    assert "can no longer be withdrawn" in response.content.decode()
    application.refresh_from_db()
    assert application.stage == stage and application.withdrawn_at == withdrawn_at
    assert application.stage_changes.count() == 2
    assert services.withdraw(application=application) is None
