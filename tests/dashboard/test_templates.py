"""The Templates pages: the list of candidate emails, editing with the placeholders beside
the editor, the live preview from a real application, reset to default, per-posting versions
and the message templates."""

import pytest
from django.urls import reverse

from conversations import email_templates
from conversations.models import EmailTemplate, MessageTemplate
from tests import factories

pytestmark = pytest.mark.django_db


def edit_url(kind="stage_changed", posting=None):
    if posting is None:
        return reverse("dashboard:email_template", args=[kind])
    return reverse("dashboard:email_template_posting", args=[posting.pk, kind])


def test_the_list_shows_every_candidate_email_and_its_state(
    as_recruiter, recruiter, posting, other_posting
):
    email_templates.save_email_template(kind="rejection", subject="S", body="B", by=recruiter)
    email_templates.save_email_template(
        kind="rejection", posting=other_posting, subject="S", body="B", by=recruiter
    )
    page = as_recruiter.get(reverse("dashboard:templates")).content.decode()
    for email in email_templates.EMAILS.values():
        assert email.label in page
    assert "Customised" in page
    assert edit_url("rejection", other_posting) in page
    assert (
        'href="/dashboard/templates/"'
        in as_recruiter.get(reverse("dashboard:home")).content.decode()
    )


def test_the_edit_page_lists_the_placeholders_and_previews_the_most_recent_application(
    as_recruiter, application, posting
):
    later = factories.submit(posting, email="zed@example.com", name="Zed Later")
    page = as_recruiter.get(edit_url("stage_changed")).content.decode()
    assert "{{ stage.name }}" in page and "{{ candidate.first_name }}" in page
    assert "Hi Zed Later," in page  # the default wording, filled from the newest application
    assert later.status_token not in page  # the candidate's key is never shown to staff
    assert "private-link-shown-to-the-candidate-only" in page


def test_saving_stores_the_wording_and_the_email_uses_it(as_recruiter, recruiter, application):
    response = as_recruiter.post(
        edit_url(),
        {
            "subject": "News about {{ posting.title }}",
            "body": "Dear {{ candidate.first_name }}",
            "save": "1",
        },
    )
    assert response.status_code == 302
    row = EmailTemplate.objects.get(kind="stage_changed", posting=None)
    assert (row.subject, row.body, row.updated_by) == (
        "News about {{ posting.title }}",
        "Dear {{ candidate.first_name }}",
        recruiter,
    )
    page = as_recruiter.get(edit_url()).content.decode()
    assert "Customised" in page and "Dear Jane" in page


@pytest.mark.parametrize(
    "data, error",
    [
        (
            {"subject": "Hi {{ candidate.email }}", "body": "B"},
            "Unknown placeholders: {{ candidate.email }}",
        ),
        (
            {"subject": "S", "body": "{{ settings.SECRET_KEY }} {{ x }}"},
            "Unknown placeholders: {{ settings.SECRET_KEY }}, {{ x }}",
        ),
        ({"subject": "S\r\nBcc: x@example.com", "body": "B"}, "A subject is one line."),
        ({"subject": "S", "body": "x" * 1_048_576}, "at most 10000 characters"),
        ({"subject": "S" * 201, "body": "B"}, "at most 200 characters"),
        ({"subject": "", "body": "B"}, "This field is required."),
    ],
)
def test_bad_wording_is_refused_with_a_clear_message_and_nothing_stored(
    as_recruiter, application, data, error
):
    response = as_recruiter.post(edit_url(), {**data, "save": "1"})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not EmailTemplate.objects.exists()


def test_the_preview_button_works_without_javascript_and_stores_nothing(as_recruiter, application):
    response = as_recruiter.post(
        edit_url(),
        {
            "subject": "Hello {{ candidate.first_name }}",
            "body": "<b>{{ posting.title }}</b>",
            "preview": "1",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Hello Jane" in page and "&lt;b&gt;Backend Engineer&lt;/b&gt;" in page
    assert not EmailTemplate.objects.exists()


def test_htmx_gets_just_the_preview_filled_from_the_chosen_application(
    as_recruiter, application, posting
):
    factories.submit(posting, email="zed@example.com", name="Zed Later")
    response = as_recruiter.post(
        edit_url(),
        {
            "subject": "S",
            "body": "For {{ candidate.name }} {{ unknown }}",
            "application": application.pk,
        },
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert "<html" not in page and "<form" not in page
    assert "For Jane Doe {{ unknown }}" in page
    assert not EmailTemplate.objects.exists()


def test_a_preview_outside_the_scope_falls_back_to_the_most_recent_in_scope(
    as_recruiter, application, other_posting
):
    other = factories.submit(other_posting, email="zoe@example.com", name="Zoe Other")
    response = as_recruiter.post(
        edit_url("stage_changed", application.posting),
        {"subject": "S", "body": "For {{ candidate.name }}", "application": other.pk},
        headers={"HX-Request": "true"},
    )
    assert "For Jane Doe" in response.content.decode()


def test_no_application_gives_a_clear_message(as_recruiter, posting):
    page = as_recruiter.get(edit_url("rejection", posting)).content.decode()
    assert "No application to fill the preview with yet" in page


def test_a_postings_version_starts_from_the_global_wording_and_is_reachable_from_the_posting(
    as_recruiter, recruiter, application, posting
):
    email_templates.save_email_template(
        kind="rejection", subject="Global S", body="Global B", by=recruiter
    )
    tabs = as_recruiter.get(reverse("dashboard:posting_edit", args=[posting.pk])).content.decode()
    assert reverse("dashboard:posting_email_templates", args=[posting.pk]) in tabs
    listing = as_recruiter.get(reverse("dashboard:posting_email_templates", args=[posting.pk]))
    assert edit_url("rejection", posting) in listing.content.decode()
    page = as_recruiter.get(edit_url("rejection", posting)).content.decode()
    assert "Uses the wording for every posting" in page and "Global B" in page
    as_recruiter.post(
        edit_url("rejection", posting), {"subject": "Own S", "body": "Own B", "save": "1"}
    )
    assert EmailTemplate.objects.get(kind="rejection", posting=posting).body == "Own B"
    assert EmailTemplate.objects.get(kind="rejection", posting=None).body == "Global B"


def test_emails_about_every_application_have_no_posting_version(as_recruiter, posting):
    assert as_recruiter.get(edit_url("erasure", posting)).status_code == 404
    assert as_recruiter.get(edit_url("nonsense")).status_code == 404


def test_reset_asks_first_then_restores_the_default(as_recruiter, recruiter, application):
    email_templates.save_email_template(kind="rejection", subject="S", body="B", by=recruiter)
    url = reverse("dashboard:email_template_reset", args=["rejection"])
    confirm = as_recruiter.get(url).content.decode()
    assert "Reset “Rejection” to its default?" in confirm
    assert EmailTemplate.objects.exists()
    assert as_recruiter.post(url).status_code == 302
    assert not EmailTemplate.objects.exists()
    page = as_recruiter.get(edit_url("rejection")).content.decode()
    assert "Default wording" in page


def test_message_templates_are_created_edited_and_deleted(as_recruiter, posting):
    new = reverse("dashboard:message_template_new")
    data = {
        "name": "Follow-up after interview",
        "posting": "",
        "subject": "Thanks, {{ candidate.first_name }}",
        "body": "Hi {{ candidate.first_name }}",
    }
    assert as_recruiter.post(new, data).status_code == 302
    template = MessageTemplate.objects.get()
    assert template.posting is None
    # A second of the same name for every posting is refused by name.
    response = as_recruiter.post(new, data)
    assert response.status_code == 400
    assert "A message template for every posting has this name." in response.content.decode()
    edit = reverse("dashboard:message_template_edit", args=[template.pk])
    as_recruiter.post(edit, {**data, "posting": posting.pk, "body": "Hello {{ sender.name }}"})
    template.refresh_from_db()
    assert (template.posting, template.body) == (posting, "Hello {{ sender.name }}")
    bad = as_recruiter.post(edit, {**data, "body": "{{ stage.name }}"})
    assert "Unknown placeholders: {{ stage.name }}" in bad.content.decode()
    delete = reverse("dashboard:message_template_delete", args=[template.pk])
    assert "Delete the message template" in as_recruiter.get(delete).content.decode()
    as_recruiter.post(delete)
    assert not MessageTemplate.objects.exists()


def test_the_list_page_query_count_is_pinned_however_many_versions(
    as_recruiter, recruiter, django_assert_max_num_queries
):
    def grow(n):
        for i in range(n):
            posting = factories.PostingFactory(title=f"P{i}", slug=f"p-{i}-{n}")
            for kind in ("rejection", "stage_changed"):
                email_templates.save_email_template(
                    kind=kind, posting=posting, subject="S", body="B", by=recruiter
                )
            MessageTemplate.objects.create(name=f"M{i}", posting=posting, subject="S", body="B")

    url = reverse("dashboard:templates")
    grow(2)
    as_recruiter.get(url)  # the nav's Inbox count is read once, then cached: warm it
    with django_assert_max_num_queries(TEMPLATE_LIST) as few:
        assert as_recruiter.get(url).status_code == 200
    grow(20)
    with django_assert_max_num_queries(TEMPLATE_LIST) as many:
        assert as_recruiter.get(url).status_code == 200
    assert len(few.captured_queries) == len(many.captured_queries)


# Session, user, profile; the email templates; the message templates.
TEMPLATE_LIST = 5
