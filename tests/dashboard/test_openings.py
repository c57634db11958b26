"""A posting's openings, its hires, and wrapping it up once they are all filled: close it and
reject the applications still open in one step, or keep it open without being asked again."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from applications.models import Application, Stage, StageChange
from applications.pipeline import StageKind
from applications.services import move_application
from dashboard import services
from notifications.models import OutboxEmail
from postings import models as posting_models
from postings.models import Posting
from tests import factories

pytestmark = pytest.mark.django_db


def hire(application, by=None):
    return move_application(
        application=application,
        to_stage=application.posting.stages.get(kind=Stage.Kind.HIRED),
        by=by,
    )


def stage_of(application) -> str:
    return Application.objects.get(pk=application.pk).stage.kind


# Openings and hires


def test_postings_know_the_hired_kind_the_pipeline_uses():
    assert posting_models.HIRED_KIND == StageKind.HIRED


def test_a_posting_has_one_opening_unless_told_otherwise(posting):
    assert posting.openings == 1
    assert posting.hires == 0
    assert not posting.is_filled


def test_the_database_refuses_a_posting_with_no_openings(posting):
    with pytest.raises(IntegrityError), transaction.atomic():
        Posting.objects.filter(pk=posting.pk).update(openings=0)


def test_a_hire_fills_a_posting_of_one_opening(applicants):
    hire(applicants["jane"])
    posting = Posting.objects.with_hires().get(pk=applicants["jane"].posting_id)
    assert posting.hires == 1
    assert posting.is_filled
    assert posting.openings_left == 0


def test_two_openings_need_two_hires(posting, applicants):
    Posting.objects.filter(pk=posting.pk).update(openings=2)
    hire(applicants["jane"])
    assert not Posting.objects.get(pk=posting.pk).is_filled
    hire(applicants["ben"])
    assert Posting.objects.get(pk=posting.pk).is_filled


def test_a_hire_undone_unfills_the_posting(posting, applicants):
    hire(applicants["jane"])
    move_application(application=applicants["jane"], to_stage=posting.stages.get(name="Offer"))
    assert not Posting.objects.get(pk=posting.pk).is_filled


def test_hires_are_counted_for_a_whole_list_in_one_query(
    posting, other_posting, applicants, django_assert_num_queries
):
    hire(applicants["jane"])
    with django_assert_num_queries(1):
        postings = {p.pk: p for p in Posting.objects.with_hires()}
        filled = {pk for pk, p in postings.items() if p.is_filled}
    assert filled == {posting.pk}
    assert list(Posting.objects.filled()) == [posting]


# Asking, and being asked no more


def test_a_filled_open_posting_awaits_wrap_up_until_a_recruiter_answers(
    posting, applicants, recruiter
):
    hire(applicants["jane"])
    assert Posting.objects.get(pk=posting.pk).awaits_wrap_up
    assert list(Posting.objects.awaiting_wrap_up()) == [posting]
    assert services.keep_posting_open(posting=posting, by=recruiter)
    assert not Posting.objects.get(pk=posting.pk).awaits_wrap_up
    assert not Posting.objects.awaiting_wrap_up().exists()


def test_keeping_a_posting_open_asks_again_only_after_another_hire(posting, applicants, recruiter):
    hire(applicants["jane"])
    services.keep_posting_open(posting=posting, by=recruiter)
    assert not services.keep_posting_open(posting=posting, by=recruiter)
    hire(applicants["ben"])
    assert Posting.objects.get(pk=posting.pk).awaits_wrap_up
    assert list(Posting.objects.awaiting_wrap_up()) == [posting]


def test_a_closed_or_draft_posting_is_never_asked(posting, applicants):
    hire(applicants["jane"])
    for status in (Posting.Status.CLOSED, Posting.Status.DRAFT):
        Posting.objects.filter(pk=posting.pk).update(status=status)
        assert not Posting.objects.get(pk=posting.pk).awaits_wrap_up
        assert not Posting.objects.awaiting_wrap_up().exists()


# Wrapping up


def test_wrapping_up_closes_the_posting_and_rejects_every_open_application(
    posting, applicants, recruiter, skills_mismatch
):
    jane, ben, ada, dev = (applicants[name] for name in ("jane", "ben", "ada", "dev"))
    hire(jane)
    move_application(application=ada, to_stage=posting.stages.get(name="Interview"))
    withdrawn = move_application(application=dev, to_stage=posting.stages.get(name="Withdrawn"))
    assert withdrawn is not None

    result = services.fill_posting(
        posting=posting, by=recruiter, rejection_reason=skills_mismatch, note="Role filled"
    )

    assert result == services.FillResult(closed=True, rejected=2)
    posting.refresh_from_db()
    assert posting.status == Posting.Status.CLOSED
    assert not posting.awaits_wrap_up
    assert stage_of(jane) == StageKind.HIRED
    assert stage_of(dev) == StageKind.WITHDRAWN
    for application in (ben, ada):
        assert stage_of(application) == StageKind.REJECTED
        change = StageChange.objects.filter(application=application).latest("at", "pk")
        assert (change.by, change.rejection_reason, change.reason) == (
            recruiter,
            skills_mismatch,
            "Role filled",
        )


def test_their_rejection_emails_wait_the_postings_rejection_delay(
    posting, applicants, recruiter, skills_mismatch
):
    Posting.objects.filter(pk=posting.pk).update(rejection_email_delay_hours=72)
    hire(applicants["jane"])
    services.fill_posting(
        posting=Posting.objects.get(pk=posting.pk), by=recruiter, rejection_reason=skills_mismatch
    )
    emails = OutboxEmail.objects.filter(kind=OutboxEmail.Kind.REJECTION).select_related(
        "application"
    )
    assert sorted(email.to for email in emails) == [
        "ada@corp.example",
        "ben@example.com",
        "dev@example.com",
    ]
    for email in emails:
        change = StageChange.objects.filter(application=email.application).latest("at", "pk")
        assert email.status == OutboxEmail.Status.PENDING
        assert email.send_after == change.at + timedelta(hours=72)


def test_wrapping_up_twice_changes_nothing_the_second_time(
    posting, applicants, recruiter, skills_mismatch
):
    hire(applicants["jane"])
    services.fill_posting(posting=posting, by=recruiter, rejection_reason=skills_mismatch)
    emails = OutboxEmail.objects.count()
    again = services.fill_posting(posting=posting, by=recruiter, rejection_reason=skills_mismatch)
    assert again == services.FillResult(closed=False, rejected=0)
    assert OutboxEmail.objects.count() == emails


def test_wrapping_up_may_keep_the_posting_open(posting, applicants, recruiter, skills_mismatch):
    hire(applicants["jane"])
    result = services.fill_posting(
        posting=posting, by=recruiter, rejection_reason=skills_mismatch, close=False
    )
    assert result == services.FillResult(closed=False, rejected=3)
    posting.refresh_from_db()
    assert posting.status == Posting.Status.OPEN
    assert not posting.awaits_wrap_up


def test_a_posting_not_yet_filled_cannot_be_wrapped_up(
    posting, applicants, recruiter, skills_mismatch
):
    with pytest.raises(ValidationError, match="0 of 1 openings filled"):
        services.fill_posting(posting=posting, by=recruiter, rejection_reason=skills_mismatch)
    assert Posting.objects.get(pk=posting.pk).status == Posting.Status.OPEN
    assert stage_of(applicants["ben"]) == StageKind.APPLIED


def test_wrapping_up_needs_a_reason(posting, applicants, recruiter):
    hire(applicants["jane"])
    with pytest.raises(services.CannotMove, match="Choose a reason"):
        services.fill_posting(posting=posting, by=recruiter, rejection_reason=None)
    assert Posting.objects.get(pk=posting.pk).status == Posting.Status.OPEN


def test_a_hiring_manager_cannot_wrap_up_nor_keep_open(
    posting, applicants, hiring_manager, skills_mismatch
):
    hire(applicants["jane"])
    with pytest.raises(PermissionDenied):
        services.fill_posting(posting=posting, by=hiring_manager, rejection_reason=skills_mismatch)
    with pytest.raises(PermissionDenied):
        services.keep_posting_open(posting=posting, by=hiring_manager)
    posting.refresh_from_db()
    assert (posting.status, posting.fill_answered_at_hires) == (Posting.Status.OPEN, None)
    assert stage_of(applicants["ben"]) == StageKind.APPLIED


def test_a_reopened_posting_is_not_asked_again_until_another_hire(
    posting, applicants, recruiter, skills_mismatch
):
    from postings.services import publish_posting

    Posting.objects.filter(pk=posting.pk).update(openings=2)
    hire(applicants["jane"])
    hire(applicants["ben"])
    services.fill_posting(posting=posting, by=recruiter, rejection_reason=skills_mismatch)
    publish_posting(posting=posting)
    assert not Posting.objects.get(pk=posting.pk).awaits_wrap_up


# The pages


def test_the_posting_form_edits_the_openings(as_recruiter, posting):
    url = reverse("dashboard:posting_edit", args=[posting.pk])
    page = as_recruiter.get(url)
    form = page.context["form"]
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and key not in ("teams", "locations")
    }
    data.update(
        teams=[team.pk for team in posting.teams.all()],
        openings=3,
        **{"sections-TOTAL_FORMS": 0, "sections-INITIAL_FORMS": 0},
    )
    data.pop("closes_at", None)
    response = as_recruiter.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert Posting.objects.get(pk=posting.pk).openings == 3


def test_a_blank_openings_box_keeps_the_postings_number(posting):
    from dashboard.forms_postings import PostingForm

    Posting.objects.filter(pk=posting.pk).update(openings=4)
    posting.refresh_from_db()
    form = PostingForm({"openings": ""}, instance=posting)
    form.is_valid()
    assert "openings" not in form.errors
    assert form.cleaned_data["openings"] == 4


@pytest.mark.parametrize("openings", ["0", "-1", "abc"])
def test_the_posting_form_refuses_openings_below_one(as_recruiter, posting, openings):
    from dashboard.forms_postings import PostingForm

    form = PostingForm({"openings": openings}, instance=posting)
    assert not form.is_valid()
    assert "openings" in form.errors
    assert Posting.objects.get(pk=posting.pk).openings == 1


def test_posting_pages_say_how_many_openings_are_filled(as_recruiter, posting, applicants):
    hire(applicants["jane"])
    for url in (
        reverse("dashboard:posting_edit", args=[posting.pk]),
        reverse("dashboard:posting_questions", args=[posting.pk]),
        reverse("dashboard:board", args=[posting.pk]),
        reverse("dashboard:board_list", args=[posting.pk]),
    ):
        assert "1 of 1 opening filled" in as_recruiter.get(url).content.decode(), url
    listing = as_recruiter.get(reverse("dashboard:postings")).content.decode()
    assert "Filled" in listing


def test_the_careers_page_says_nothing_of_openings(client, posting, applicants):
    hire(applicants["jane"])
    page = client.get(posting.get_absolute_url()).content.decode()
    assert "opening" not in page.lower()


BANNER = 'id="fill-banner-title"'


def test_the_board_asks_a_recruiter_to_wrap_up_a_filled_posting(as_recruiter, posting, applicants):
    url = reverse("dashboard:board", args=[posting.pk])
    assert BANNER not in as_recruiter.get(url).content.decode()
    hire(applicants["jane"])
    page = as_recruiter.get(url).content.decode()
    assert BANNER in page
    assert "Close and reject 3" in page
    assert reverse("dashboard:posting_fill", args=[posting.pk]) in page


def test_the_candidate_page_and_posting_pages_ask_too(as_recruiter, posting, applicants):
    hire(applicants["jane"])
    for url in (
        applicants["ben"].get_dashboard_url(),
        reverse("dashboard:posting_edit", args=[posting.pk]),
        reverse("dashboard:posting_team", args=[posting.pk]),
    ):
        assert BANNER in as_recruiter.get(url).content.decode(), url


def test_a_hiring_manager_reads_that_it_is_filled_without_the_form(as_manager, posting, applicants):
    hire(applicants["jane"])
    page = as_manager.get(reverse("dashboard:board", args=[posting.pk])).content.decode()
    assert BANNER in page
    assert "A recruiter decides whether to close the posting." in page
    assert reverse("dashboard:posting_fill", args=[posting.pk]) not in page


def test_hiring_on_the_board_swaps_the_banner_in(as_recruiter, posting, applicants):
    hired = posting.stages.get(kind=Stage.Kind.HIRED)
    response = as_recruiter.post(
        reverse("dashboard:move", args=[posting.pk, applicants["jane"].pk]),
        {"stage": hired.pk},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert '<div id="fill-banner" hx-swap-oob="true">' in page
    assert BANNER in page


def test_the_wrap_up_form_closes_and_rejects_and_says_so(
    as_recruiter, posting, applicants, skills_mismatch
):
    hire(applicants["jane"])
    board = reverse("dashboard:board", args=[posting.pk])
    response = as_recruiter.post(
        reverse("dashboard:posting_fill", args=[posting.pk]),
        {"rejection_reason": skills_mismatch.pk, "reason": "Filled", "next": board},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == board
    page = response.content.decode()
    assert "is closed. Rejected 3 applications; their emails go out in 48 hours." in page
    assert BANNER not in page
    assert Posting.objects.get(pk=posting.pk).status == Posting.Status.CLOSED
    assert Application.objects.filter(stage__kind=StageKind.REJECTED).count() == 3


def test_the_wrap_up_form_without_a_reason_changes_nothing(as_recruiter, posting, applicants):
    hire(applicants["jane"])
    response = as_recruiter.post(
        reverse("dashboard:posting_fill", args=[posting.pk]), {"rejection_reason": ""}, follow=True
    )
    assert "Choose a reason" in response.content.decode()
    assert Posting.objects.get(pk=posting.pk).status == Posting.Status.OPEN
    assert not Application.objects.filter(stage__kind=StageKind.REJECTED).exists()


def test_keep_it_open_makes_the_banner_go_away(as_recruiter, posting, applicants):
    hire(applicants["jane"])
    response = as_recruiter.post(
        reverse("dashboard:posting_keep_open", args=[posting.pk]), follow=True
    )
    page = response.content.decode()
    assert "stays open" in page
    assert BANNER not in page
    assert Posting.objects.get(pk=posting.pk).status == Posting.Status.OPEN


def test_wrapping_up_a_posting_not_filled_is_refused_on_the_page(
    as_recruiter, posting, applicants, skills_mismatch
):
    response = as_recruiter.post(
        reverse("dashboard:posting_fill", args=[posting.pk]),
        {"rejection_reason": skills_mismatch.pk},
        follow=True,
    )
    assert "nothing to wrap up yet" in response.content.decode()
    assert Posting.objects.get(pk=posting.pk).status == Posting.Status.OPEN


def test_a_hiring_manager_posting_the_forms_is_refused(
    as_manager, posting, applicants, skills_mismatch
):
    hire(applicants["jane"])
    for name in ("dashboard:posting_fill", "dashboard:posting_keep_open"):
        response = as_manager.post(
            reverse(name, args=[posting.pk]), {"rejection_reason": skills_mismatch.pk}
        )
        assert response.status_code == 403
    posting.refresh_from_db()
    assert (posting.status, posting.fill_answered_at_hires) == (Posting.Status.OPEN, None)


def test_bulk_factories_still_fill(posting):
    """Bulk-made hires count like any other."""
    factories.bulk_applications(posting, 3, stage=posting.stages.get(kind=Stage.Kind.HIRED))
    assert Posting.objects.with_hires().get(pk=posting.pk).hires == 3


# The dashboard home


def filled_posting(title: str, *, open_applicants: int) -> Posting:
    posting = factories.PostingFactory(title=title)
    factories.bulk_applications(posting, 1, stage=posting.stages.get(kind=Stage.Kind.HIRED))
    factories.bulk_applications(posting, open_applicants)
    return posting


def test_home_lists_filled_postings_to_wrap_up_for_recruiters(
    as_recruiter, posting, applicants, other_posting, recruiter
):
    hire(applicants["jane"])
    kept = filled_posting("Site Reliability Engineer", open_applicants=1)
    services.keep_posting_open(posting=kept, by=recruiter)
    response = as_recruiter.get(reverse("dashboard:home"))
    [shown] = response.context["to_wrap_up"]
    assert shown == posting
    assert (shown.hires, shown.remaining_count) == (1, 3)
    page = response.content.decode()
    assert "Filled postings to wrap up" in page
    assert "1 of 1 opening filled · 3 applications still open" in page


def test_home_lists_none_for_a_hiring_manager(as_manager, posting, applicants):
    hire(applicants["jane"])
    response = as_manager.get(reverse("dashboard:home"))
    assert response.context["to_wrap_up"] == []
    assert "Filled postings to wrap up" not in response.content.decode()


def test_home_reads_postings_to_wrap_up_in_one_query_however_many(
    client, recruiter, django_assert_num_queries
):
    from dashboard import home

    filled_posting("One", open_applicants=2)
    with django_assert_num_queries(1):
        assert len(home.postings_to_wrap_up(recruiter)) == 1
    for n in range(5):
        filled_posting(f"More {n}", open_applicants=n)
    with django_assert_num_queries(1):
        shown = home.postings_to_wrap_up(recruiter)
    assert len(shown) == 6
    assert sorted(p.remaining_count for p in shown) == [0, 1, 2, 2, 3, 4]
    client.force_login(recruiter)
    with django_assert_num_queries(HOME_AS_RECRUITER):
        assert client.get(reverse("dashboard:home")).status_code == 200


# The home's own page count (tests/dashboard/test_queries.py, its offer lists included) and
# the list of postings to wrap up: one query, however many; and the nav's Inbox count, read
# once and then cached.
HOME_AS_RECRUITER = 15
