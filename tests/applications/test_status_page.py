"""The applicant's private status page: /status/<token>/."""

import json

import pytest
from django.apps import apps

from applications import services
from applications.models import Application
from notifications.models import OutboxEmail
from tests.factories import PostingFactory, submit

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


def test_withdrawing(client, application, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/status/{application.status_token}/withdraw/", follow=True)
    html = response.content.decode()
    assert "Your application has been withdrawn" in html
    assert "Withdrawn" in html
    assert "Withdraw my application" not in html
    application.refresh_from_db()
    assert application.stage.kind == "withdrawn" and application.withdrawn_at
    assert any(
        m.subject == "You withdrew your application for Backend Engineer" for m in mailoutbox
    )
    # Withdrawing again changes nothing.
    client.post(f"/status/{application.status_token}/withdraw/")
    assert application.stage_changes.count() == 2


def test_withdraw_and_erase_need_post(client, application):
    assert client.get(f"/status/{application.status_token}/withdraw/").status_code == 405
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
        if model._meta.app_label not in {"applications", "notifications", "dashboard", "postings"}:
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
    assert len([p for p in private_root.rglob("*") if p.is_file()]) == 2
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
