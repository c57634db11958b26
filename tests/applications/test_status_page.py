"""The applicant's private status page: /status/<token>/."""

import json
from datetime import datetime, timedelta

import pytest
from django.apps import apps
from django.db.models import F
from django.utils import timezone

from applications import pipeline, services
from applications.models import Application, StageChange
from conversations.services import send_message
from notifications.delivery import deliver
from notifications.models import OutboxEmail
from tests.factories import PostingFactory, reply, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(posting):
    return submit(posting, email="jane@example.com", phone="+1 415 555 0100", location="Oakland")


def test_the_token_carries_at_least_128_bits(application):
    assert len(application.status_token) == 43  # 32 random bytes, base64url
    assert Application._meta.get_field("status_token").unique


def test_a_good_token_shows_posting_stage_and_date(client, application):
    response = client.get(f"/status/{application.status_token}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Backend Engineer" in html
    assert "Application received" in html
    assert application.submitted_at.strftime("%B") in html
    assert "Withdraw my application" in html
    assert response["Referrer-Policy"] == "same-origin"
    assert "noindex" in html


def test_the_stage_shown_is_the_candidate_facing_name(client, application):
    services.move_application(
        application=application, to_stage=application.posting.stages.get(name="Screen")
    )
    html = client.get(f"/status/{application.status_token}/").content.decode()
    assert "Under review" in html
    assert ">Screen<" not in html


@pytest.mark.parametrize(
    "mutate",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # one character changed
        lambda t: t[:-1],  # too short
        lambda t: t + "x",  # too long
        lambda t: t[:20] + "!" + t[21:],  # not base64url
        lambda t: "0" * 43,  # well-formed but unknown
    ],
    ids=["mutated", "short", "long", "bad-character", "unknown"],
)
def test_bad_or_mutated_tokens_get_the_same_404_as_any_unknown_page(client, application, mutate):
    unknown_page = client.get("/no-such-page/")
    response = client.get(f"/status/{mutate(application.status_token)}/")
    assert response.status_code == 404
    assert response.content == unknown_page.content


def test_withdrawing_asks_first_and_a_post_without_confirmation_changes_nothing(
    client, application
):
    status_url = f"/status/{application.status_token}/"
    page = client.get(status_url).content.decode()
    # The status page links to a page that asks; nothing on it withdraws in one click.
    assert f'href="{status_url}withdraw/"' in page
    assert f'action="{status_url}withdraw/"' not in page
    confirm = client.get(status_url + "withdraw/")
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "Withdraw your application?" in html
    assert "cannot apply to it again" in html
    assert 'name="confirm" value="yes"' in html
    assert confirm["Referrer-Policy"] == "same-origin"

    response = client.post(status_url + "withdraw/", follow=True)
    assert "Nothing was changed" in response.content.decode()
    application.refresh_from_db()
    assert application.stage.kind == "applied" and application.withdrawn_at is None
    assert application.stage_changes.count() == 1
    assert not OutboxEmail.objects.filter(kind="withdrawal").exists()


def test_withdrawing(client, application, django_capture_on_commit_callbacks, mailoutbox):
    url = f"/status/{application.status_token}/withdraw/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm": "yes"}, follow=True)
    html = response.content.decode()
    assert "Your application has been withdrawn" in html
    assert "Withdrawn" in html
    assert "Withdraw my application" not in html
    application.refresh_from_db()
    assert application.stage.kind == "withdrawn" and application.withdrawn_at
    [email] = [m for m in mailoutbox if m.subject.startswith("You withdrew")]
    assert email.subject == "You withdrew your application for Backend Engineer"
    # True to what the site does: this posting refuses a second application from the address.
    assert "apply again" not in email.body
    assert "cannot take a new one from you" in email.body
    assert "apply to our other roles" in email.body
    # Withdrawing again changes nothing, and its page is gone.
    client.post(url, {"confirm": "yes"})
    assert application.stage_changes.count() == 2
    assert client.get(url).status_code == 302


def test_erase_needs_post(client, application):
    assert client.get(f"/status/{application.status_token}/erase/").status_code == 405


def test_downloading_my_data(client, application, internship_question):
    response = client.get(f"/status/{application.status_token}/data.json")
    assert response["Content-Disposition"] == 'attachment; filename="my-application-data.json"'
    data = json.loads(response.content)
    [app] = data["applications"]
    assert app["contact"]["email"] == "jane@example.com"
    assert app["contact"]["name"] == "Jane Doe"
    assert app["posting"] == "Backend Engineer"
    assert app["status"] == "Application received"
    assert app["answers"] == [{"question": internship_question.label, "answer": "No"}]
    assert app["resume"]["filename"] == "resume.pdf"


def test_erasure_needs_confirmation(client, application):
    response = client.post(f"/status/{application.status_token}/erase/", follow=True)
    assert "Tick the box" in response.content.decode()
    application.refresh_from_db()
    assert application.erased_at is None


PERSONAL = ["Jane", "jane@example.com", "415 555 0100", "Oakland", "I like", "Jane Doe resume"]


def every_stored_string():
    """Every text value in every table of our apps, to search for personal data."""
    values = []
    for model in apps.get_models():
        if model._meta.app_label not in {
            "applications",
            "notifications",
            "dashboard",
            "postings",
            "conversations",
        }:
            continue
        fields = [f.attname for f in model._meta.concrete_fields]
        for row in model.objects.values_list(*fields):
            values.extend(str(v) for v in row if v not in (None, ""))
    return values


def test_erasing_from_a_status_link_erases_that_application_only(
    client, posting, private_root, django_capture_on_commit_callbacks, mailoutbox
):
    application = submit(
        posting, email="jane@example.com", phone="+1 415 555 0100", location="Oakland"
    )
    other = submit(PostingFactory(title="Data Engineer"), email="JANE@example.com")
    token = application.status_token

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/status/{token}/erase/", {"confirm": "yes"})
    assert "Other applications you made, if any, are as they were" in response.content.decode()

    application.refresh_from_db()
    assert application.erased_at and application.name == "" and application.phone == ""
    assert not hasattr(application, "resume") or application.resume is None
    assert client.get(f"/status/{token}/").status_code == 404
    # The other application, and the address it needs, are untouched.
    other.refresh_from_db()
    assert other.erased_at is None and other.name == "Jane Doe"
    assert other.candidate.email == "jane@example.com"
    assert other.resume.file.storage.exists(other.resume.file.name)
    assert len([p for p in private_root.rglob("*") if p.is_file()]) == 1
    assert client.get(f"/status/{other.status_token}/").status_code == 200
    assert mailoutbox[-1].subject == "Your data has been erased"
    assert "Your other applications are as they were" in mailoutbox[-1].body


def test_erasing_everything_leaves_no_personal_data_in_any_table_or_storage(
    client, posting, private_root, django_capture_on_commit_callbacks, mailoutbox
):
    application = submit(
        posting, email="jane@example.com", phone="+1 415 555 0100", location="Oakland"
    )
    Application.objects.filter(pk=application.pk).update(cover_letter="I like backends")
    other = submit(PostingFactory(), email="JANE@example.com", location="Oakland")
    services.move_application(
        application=application,
        to_stage=posting.stages.get(name="Screen"),
        reason="Jane looks good",
    )
    # A conversation: a message the team wrote, and a reply with a file.
    message = send_message(
        application=application,
        author=None,
        subject="Hello {{ candidate.first_name }}",
        body="Dear {{ candidate.name }}",
    )
    reply(
        application,
        subject="Re: Hello Jane",
        body_text="Jane Doe here, I like it",
        in_reply_to=message.message_id,
        attachment=("Jane Doe.pdf", b"%PDF"),
    )
    assert len([p for p in private_root.rglob("*") if p.is_file()]) == 3
    token = application.status_token
    manage_url = application.candidate.get_manage_url()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(manage_url + "erase/", {"confirm": "yes"})
    assert "Your data has been erased" in response.content.decode()

    stored = "\n".join(every_stored_string())
    for personal in PERSONAL:
        assert personal not in stored, personal
    assert [p for p in private_root.rglob("*") if p.is_file()] == []
    # The rows remain for statistics, stripped; the old links are dead.
    assert (
        Application.objects.filter(
            pk__in=[application.pk, other.pk], erased_at__isnull=False
        ).count()
        == 2
    )
    assert client.get(f"/status/{token}/").status_code == 404
    assert client.get(manage_url).status_code == 404
    # The confirmation went to the address before it was forgotten.
    assert mailoutbox[-1].subject == "Your data has been erased"
    assert mailoutbox[-1].to == ["jane@example.com"]
    assert OutboxEmail.objects.get(kind="erasure").to == "erased@invalid"


def reject(application):
    """Reject through the service after a move the applicant was told of, as recruiters do."""
    stages = application.posting.stages
    services.move_application(application=application, to_stage=stages.get(name="Screen"))
    services.move_application(application=application, to_stage=stages.get(name="Rejected"))
    application.refresh_from_db()
    return application


def move_clock_back(application, hours):
    """Everything about this application happened `hours` earlier than it did."""
    shift = timedelta(hours=hours)
    Application.objects.filter(pk=application.pk).update(
        submitted_at=F("submitted_at") - shift, stage_changed_at=F("stage_changed_at") - shift
    )
    StageChange.objects.filter(application=application).update(at=F("at") - shift)
    OutboxEmail.objects.filter(application=application).update(
        send_after=F("send_after") - shift, created_at=F("created_at") - shift
    )


def test_a_rejection_shows_to_the_applicant_only_when_its_email_goes_out(
    client, application, mailoutbox
):
    application = reject(application)
    email = OutboxEmail.objects.get(application=application, kind="rejection")
    assert email.send_after > timezone.now()  # the posting's delay, 48 hours by default
    rejection = application.stage_changes.get(to_stage__kind="rejected")
    assert pipeline.notice_due_at(rejection) == email.send_after

    # Up to the moment the email is due, the applicant sees the step before it.
    just_before = email.send_after - timedelta(seconds=1)
    assert pipeline.candidate_stage(application, now=just_before).name == "Screen"
    assert pipeline.candidate_stage(application, now=email.send_after).name == "Rejected"

    status_url = application.get_status_url()
    html = client.get(status_url).content.decode()
    assert "Under review" in html and "Not moving forward" not in html
    manage = client.get(application.candidate.get_manage_url()).content.decode()
    assert "Under review" in manage and "Not moving forward" not in manage
    data = json.loads(client.get(status_url + "data.json").content)["applications"][0]
    assert data["status"] == "Under review"
    assert [step["status"] for step in data["history"]] == ["Application received", "Under review"]

    # Two days later the email goes out, and the pages say the same.
    move_clock_back(application, application.posting.rejection_email_delay_hours)
    assert deliver(email.pk).status == OutboxEmail.Status.SENT
    assert mailoutbox[-1].to == ["jane@example.com"]
    html = client.get(status_url).content.decode()
    assert "Not moving forward" in html
    manage = client.get(application.candidate.get_manage_url()).content.decode()
    assert "Not moving forward" in manage
    data = json.loads(client.get(status_url + "data.json").content)["applications"][0]
    assert data["status"] == "Not moving forward"
    assert data["history"][-1]["status"] == "Not moving forward"
    # Dated when the applicant was told, as the status page shows it.
    told = OutboxEmail.objects.get(pk=email.pk).send_after
    assert datetime.fromisoformat(data["history"][-1]["at"]) == told


def test_a_rejection_undone_before_its_email_was_due_never_shows(client, application):
    application = reject(application)
    interview = application.posting.stages.get(name="Interview")
    services.move_application(application=application, to_stage=interview)
    move_clock_back(application, 100)
    html = client.get(application.get_status_url()).content.decode()
    steps = html[html.index('id="application-steps"') :]
    assert "Not moving forward" not in html
    assert steps.index("Under review") < steps.index("Interviewing")


def test_the_status_page_lists_the_steps_passed_with_dates_in_candidate_facing_names(
    client, application
):
    stages = application.posting.stages
    move_clock_back(application, 24 * 3)
    services.move_application(application=application, to_stage=stages.get(name="Screen"))
    Application.objects.filter(pk=application.pk).update(stage_changed_at=timezone.now())
    html = client.get(application.get_status_url()).content.decode()
    steps = html[
        html.index('id="application-steps"') : html.index(
            "</ol>", html.index('id="application-steps"')
        )
    ]
    submitted = timezone.localtime(timezone.now() - timedelta(days=3))
    assert steps.index("Application received") < steps.index("Under review")
    assert submitted.strftime("%b ") + str(submitted.day) in steps
    assert ">Screen<" not in html and "Applied<" not in steps
    # What happens next: the steps ahead of this one, from the posting's own pipeline.
    ahead = html[html.index('id="next-steps"') :]
    assert ahead.index("Interviewing") < ahead.index("Offer") < ahead.index("Hired")
    assert "we email you when you reach it" in ahead
    assert "If we decide not to move forward, we tell you by email too" in ahead


def test_a_decided_application_has_no_next_steps(client, application):
    services.move_application(
        application=application, to_stage=application.posting.stages.get(name="Hired")
    )
    html = client.get(application.get_status_url()).content.decode()
    assert "Hired" in html and 'id="next-steps"' not in html


def test_the_confirmation_page_says_what_happens_next(client, posting, internship_question):
    from tests.factories import pdf_upload

    response = client.post(
        f"/jobs/{posting.slug}/apply/",
        {
            "name": "Jane Doe",
            "email": "jane@example.com",
            "resume": pdf_upload(),
            internship_question.field_name: "no",
            "consent": "on",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Thank you for applying" in html
    ahead = html[html.index('id="next-steps"') :]
    assert ahead.index("Under review") < ahead.index("Interviewing") < ahead.index("Hired")
    assert "Application received" not in ahead and "Withdrawn" not in ahead
