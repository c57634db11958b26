"""The pipeline board: columns and cards, moving (htmx and plain forms), filters and search,
paging long columns, and bulk actions."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, StageChange
from dashboard.board import MAX_PAGE, PER_COLUMN
from notifications.models import OutboxEmail
from tests.dashboard.conftest import apply
from tests.factories import bulk_applications

pytestmark = pytest.mark.django_db


def board_url(posting):
    return reverse("dashboard:board", args=[posting.pk])


def names(response):
    return sorted(card.name for column in response.context["columns"] for card in column.cards)


def stage_emails(application):
    return list(
        OutboxEmail.objects.filter(application=application, kind__in=["stage_changed", "rejection"])
    )


@pytest.fixture
def applicants(posting, internship_question, application):
    """Jane (internship, linkedin, applied today) plus three more with varied answers."""
    ben = apply(
        posting,
        name="Ben Okafor",
        email="ben@example.com",
        source="indeed",
        resume_text="Go Kafka gRPC",
    )
    ada = apply(
        posting,
        name="Ada Moreno",
        email="ada@corp.example",
        answers={internship_question: True},
        resume_text="Rust distributed caching",
    )
    dev = apply(posting, name="Dev Patel", email="dev@example.com", resume_text="Java Spring")
    Application.objects.filter(pk=dev.pk).update(submitted_at=timezone.now() - timedelta(days=30))
    return {"jane": application, "ben": ben, "ada": ada, "dev": dev}


def test_the_board_has_a_column_per_stage_with_cards_badges_and_flags(
    as_manager, posting, applicants
):
    Application.objects.filter(pk=applicants["ben"].pk).update(needs_review=True)
    response = as_manager.get(board_url(posting))
    assert response.status_code == 200
    columns = response.context["columns"]
    assert [c.stage.name for c in columns] == [
        "Applied",
        "Screen",
        "Interview",
        "Offer",
        "Hired",
        "Rejected",
        "Withdrawn",
    ]
    assert [c.count for c in columns] == [4, 0, 0, 0, 0, 0, 0]
    cards = {card.name: card for card in columns[0].cards}
    assert cards["Jane Doe"].badges == ["Internship"]
    assert cards["Ben Okafor"].badges == []
    html = response.content.decode()
    assert html.count('<span class="badge text-bg-info">Internship</span>') == 2
    assert html.count(">Needs review</span>") == 1
    # Every card is focusable and draggable, and carries a plain form to move it.
    assert html.count('draggable="true" tabindex="0"') == 4
    assert html.count('name="stage" id="move-') == 4


def test_dragging_a_card_posts_its_move_form_through_htmx_and_gets_the_card_back(
    as_manager, posting, application, hiring_manager, django_capture_on_commit_callbacks, mailoutbox
):
    screen = posting.stages.get(name="Screen")
    with django_capture_on_commit_callbacks(execute=True):
        response = as_manager.post(
            reverse("dashboard:move", args=[posting.pk, application.pk]),
            {"stage": screen.pk, "next": board_url(posting)},
            HTTP_HX_REQUEST="true",
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="card-{application.pk}"' in html and f'data-stage-id="{screen.pk}"' in html
    assert 'hx-swap-oob="true">Moved Jane Doe to Screen.' in html

    change = StageChange.objects.filter(application=application).latest()
    assert (change.from_stage.name, change.to_stage, change.by) == (
        "Applied",
        screen,
        hiring_manager,
    )
    [email] = stage_emails(application)
    assert (email.kind, email.to, email.status) == ("stage_changed", "jane@example.com", "sent")
    assert "Under review" in email.body_text
    assert [m.subject for m in mailoutbox if m.to == ["jane@example.com"]][-1] == email.subject


def test_the_move_form_works_without_javascript_and_returns_to_the_filtered_board(
    as_manager, posting, application, django_capture_on_commit_callbacks
):
    interview = posting.stages.get(name="Interview")
    back = board_url(posting) + "?source=linkedin"
    with django_capture_on_commit_callbacks(execute=True):
        response = as_manager.post(
            reverse("dashboard:move", args=[posting.pk, application.pk]),
            {"stage": interview.pk, "next": back},
        )
    assert response.status_code == 302 and response["Location"] == back
    page = as_manager.get(back).content.decode()
    assert "Moved Jane Doe to Interview." in page
    application.refresh_from_db()
    assert application.stage == interview
    assert [e.kind for e in stage_emails(application)] == ["stage_changed"]


def test_moving_to_a_stage_that_does_not_notify_writes_history_but_no_email(
    as_manager, posting, application, django_capture_on_commit_callbacks
):
    screen = posting.stages.get(name="Screen")
    screen.notify_candidate = False
    screen.save()
    with django_capture_on_commit_callbacks(execute=True):
        as_manager.post(
            reverse("dashboard:move", args=[posting.pk, application.pk]), {"stage": screen.pk}
        )
    assert StageChange.objects.filter(application=application, to_stage=screen).count() == 1
    assert stage_emails(application) == []


def test_moving_to_rejected_from_the_menu_schedules_the_rejection_email(
    as_manager, posting, application, django_capture_on_commit_callbacks
):
    rejected = posting.stages.get(name="Rejected")
    with django_capture_on_commit_callbacks(execute=True):
        as_manager.post(
            reverse("dashboard:move", args=[posting.pk, application.pk]), {"stage": rejected.pk}
        )
    [email] = stage_emails(application)
    assert (email.kind, email.status) == ("rejection", "pending")
    assert email.send_after > timezone.now() + timedelta(hours=47)


def test_moving_to_the_same_stage_changes_nothing(as_manager, posting, application):
    applied = posting.stages.get(name="Applied")
    response = as_manager.post(
        reverse("dashboard:move", args=[posting.pk, application.pk]),
        {"stage": applied.pk},
        follow=True,
    )
    assert "already in Applied" in response.content.decode()
    assert StageChange.objects.filter(application=application).count() == 1
    assert stage_emails(application) == []


def test_a_stage_of_another_posting_is_refused_with_a_message(
    as_recruiter, posting, application, other_application
):
    foreign = other_application.posting.stages.get(name="Screen")
    url = reverse("dashboard:move", args=[posting.pk, application.pk])
    htmx = as_recruiter.post(url, {"stage": foreign.pk}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 422
    assert htmx.content.decode() == "Choose one of this posting's stages."
    plain = as_recruiter.post(url, {"stage": "nonsense"}, follow=True)
    assert "Choose one of this posting&#x27;s stages." in plain.content.decode()
    application.refresh_from_db()
    assert application.stage.name == "Applied"


def test_an_erased_application_cannot_move(as_recruiter, posting, application):
    from applications.services import erase

    erase(application=application)
    screen = posting.stages.get(name="Screen")
    response = as_recruiter.post(
        reverse("dashboard:move", args=[posting.pk, application.pk]),
        {"stage": screen.pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "erased" in response.content.decode()


# Filters and search


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Ada Moreno", "Ben Okafor", "Dev Patel", "Jane Doe"]),
        ({"answer_{q}": "yes"}, ["Ada Moreno", "Jane Doe"]),
        ({"answer_{q}": "no"}, ["Ben Okafor", "Dev Patel"]),
        ({"source": "linkedin"}, ["Jane Doe"]),
        ({"source": "direct"}, ["Ada Moreno", "Dev Patel"]),
        ({"q": "okafor"}, ["Ben Okafor"]),
        ({"q": "corp.example"}, ["Ada Moreno"]),
        ({"q": "kafka"}, ["Ben Okafor"]),  # resume text
        ({"q": "jane kubernetes"}, ["Jane Doe"]),  # every word must match somewhere
        ({"q": "jane rust"}, []),
        ({"submitted_to": "{month_ago}"}, ["Dev Patel"]),
        ({"submitted_from": "{yesterday}"}, ["Ada Moreno", "Ben Okafor", "Jane Doe"]),
        ({"answer_{q}": "yes", "q": "ada"}, ["Ada Moreno"]),
    ],
)
def test_each_filter_narrows_the_board(
    as_manager, posting, applicants, internship_question, params, expected
):
    today = timezone.localdate()
    values = {
        "q": internship_question.pk,
        "month_ago": (today - timedelta(days=29)).isoformat(),
        "yesterday": (today - timedelta(days=1)).isoformat(),
    }
    query = {key.format(**values): value.format(**values) for key, value in params.items()}
    response = as_manager.get(board_url(posting), query)
    assert response.status_code == 200
    assert names(response) == expected


def test_the_stage_filter_keeps_one_stages_cards(as_manager, posting, applicants):
    screen = posting.stages.get(name="Screen")
    Application.objects.filter(pk=applicants["ben"].pk).update(stage=screen)
    response = as_manager.get(board_url(posting), {"stage": screen.pk})
    assert names(response) == ["Ben Okafor"]
    assert [c.count for c in response.context["columns"]][:2] == [0, 1]


def test_bad_filter_values_are_explained_and_the_rest_still_apply(as_manager, posting, applicants):
    response = as_manager.get(
        board_url(posting),
        {"submitted_from": "not-a-date", "stage": "999999", "source": "linkedin"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a valid date." in html
    assert "Select a valid choice." in html
    assert names(response) == ["Jane Doe"]
    reversed_range = as_manager.get(
        board_url(posting), {"submitted_from": "2025-05-02", "submitted_to": "2025-05-01"}
    )
    assert "The end date must not be before the start date." in reversed_range.content.decode()


# Long columns


def test_a_long_column_shows_25_cards_and_loads_the_rest_by_htmx_or_a_plain_page(
    as_manager, posting, application
):
    bulk_applications(posting, PER_COLUMN + 4, stage=posting.stages.get(name="Applied"))
    response = as_manager.get(board_url(posting), {"source": "direct"})
    applied = response.context["columns"][0]
    assert (applied.count, len(applied.cards)) == (PER_COLUMN + 4, PER_COLUMN)
    more = reverse("dashboard:board_column", args=[posting.pk, applied.stage.pk])
    assert f'hx-get="{more}?source=direct&amp;page=2"' in response.content.decode()

    fragment = as_manager.get(more, {"source": "direct", "page": 2}, HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert "<html" not in html
    assert html.count('class="board-card card"') == 4
    assert "Load more" not in html

    page = as_manager.get(more, {"source": "direct", "page": 2})
    assert "<html" in page.content.decode() and len(page.context["cards"]) == 4
    first = as_manager.get(more, {"source": "direct", "page": 1})
    assert len(first.context["cards"]) == PER_COLUMN and first.context["has_more"]
    assert as_manager.get(more, {"page": "x"}).status_code == 200


# Bulk actions


def bulk(client, posting, **data):
    return client.post(reverse("dashboard:bulk_action", args=[posting.pk]), data, follow=True)


def test_bulk_move_moves_every_selected_card_with_history_and_emails(
    as_manager, posting, applicants, django_capture_on_commit_callbacks
):
    screen = posting.stages.get(name="Screen")
    chosen = [applicants["jane"], applicants["ben"], applicants["ada"]]
    with django_capture_on_commit_callbacks(execute=True):
        response = bulk(
            as_manager, posting, applications=[a.pk for a in chosen], action=screen.pk, notify="on"
        )
    assert "Moved 3 applications to Screen." in response.content.decode()
    assert Application.objects.filter(stage=screen).count() == 3
    assert StageChange.objects.filter(to_stage=screen).count() == 3
    assert OutboxEmail.objects.filter(kind="stage_changed").count() == 3
    assert applicants["dev"].stage.name == "Applied"


def test_bulk_move_without_the_email_box_sends_nothing(
    as_manager, posting, applicants, django_capture_on_commit_callbacks
):
    screen = posting.stages.get(name="Screen")
    with django_capture_on_commit_callbacks(execute=True):
        bulk(as_manager, posting, applications=[applicants["ben"].pk], action=screen.pk)
    assert Application.objects.get(pk=applicants["ben"].pk).stage == screen
    assert OutboxEmail.objects.filter(kind="stage_changed").count() == 0


def test_bulk_reject_needs_a_reason_and_then_rejects_with_it(
    as_manager, posting, applicants, django_capture_on_commit_callbacks
):
    ids = [applicants["ben"].pk, applicants["dev"].pk]
    refused = bulk(as_manager, posting, applications=ids, action="reject", reason="  ")
    assert "Give a reason for rejecting." in refused.content.decode()
    assert not StageChange.objects.filter(to_stage__kind="rejected").exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = bulk(
            as_manager,
            posting,
            applications=ids,
            action="reject",
            reason="Role filled",
            notify="on",
        )
    assert "Moved 2 applications to Rejected." in done.content.decode()
    changes = StageChange.objects.filter(to_stage__kind="rejected")
    assert sorted(c.application_id for c in changes) == sorted(ids)
    assert {c.reason for c in changes} == {"Role filled"}
    assert OutboxEmail.objects.filter(kind="rejection", status="pending").count() == 2


def test_bulk_reject_can_skip_the_email(as_manager, posting, applicants):
    bulk(as_manager, posting, applications=[applicants["ben"].pk], action="reject", reason="No")
    assert Application.objects.get(pk=applicants["ben"].pk).stage.name == "Rejected"
    assert not OutboxEmail.objects.filter(kind="rejection").exists()


def test_bulk_actions_explain_what_is_missing_and_touch_nothing_outside_the_posting(
    as_recruiter, posting, applicants, other_application
):
    screen = posting.stages.get(name="Screen")
    nothing = bulk(as_recruiter, posting, action=screen.pk)
    assert "Select at least one application first." in nothing.content.decode()
    no_action = bulk(as_recruiter, posting, applications=[applicants["ben"].pk])
    assert "Choose what to do with the selected applications." in no_action.content.decode()
    mixed = bulk(
        as_recruiter,
        posting,
        applications=[applicants["ben"].pk, other_application.pk],
        action=screen.pk,
    )
    assert "Select a valid choice." in mixed.content.decode()
    assert not StageChange.objects.filter(to_stage=screen).exists()


def test_each_card_menu_offers_every_stage_with_its_own_selected_and_names_escaped(
    as_manager, posting, applicants
):
    posting.stages.filter(name="Offer").update(name="Offer <b>&</b> close")
    screen = posting.stages.get(name="Screen")
    Application.objects.filter(pk=applicants["ben"].pk).update(stage=screen)
    html = as_manager.get(board_url(posting)).content.decode()
    stages = list(posting.stages.all())
    applied = stages[0]
    # Three cards in Applied, one in Screen: each menu selects the card's own stage.
    assert html.count(f'<option value="{applied.pk}" selected>Applied</option>') == 3
    assert html.count(f'<option value="{screen.pk}" selected>Screen</option>') == 1
    # The other three cards' menus, and the filter form's stage list.
    assert html.count(f'<option value="{screen.pk}">Screen</option>') == 4
    # Four card menus and the filter's stage list, escaped in every one.
    assert html.count(f'<option value="{stages[3].pk}">Offer &lt;b&gt;&amp;&lt;/b&gt; close') == 5
    assert "Offer <b>&</b> close" not in html


# Extreme values in the query string


HUGE = "99999999999999999999"  # beyond a 64-bit integer
EXTREME_DATES = ["9999-12-31", "0001-01-01", "-1", HUGE, "2025-13-45", "x"]


def filtered_urls(posting):
    """The three views that read the board's filters."""
    column = reverse(
        "dashboard:board_column", args=[posting.pk, posting.stages.get(name="Applied").pk]
    )
    return {
        "board": board_url(posting),
        "column": column,
        "export": reverse("dashboard:export_csv", args=[posting.pk]),
    }


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


@pytest.mark.parametrize("field", ["submitted_from", "submitted_to"])
@pytest.mark.parametrize("value", EXTREME_DATES)
@pytest.mark.parametrize("view", ["board", "column", "export"])
def test_an_extreme_date_filter_is_a_form_error_never_a_server_error(
    as_manager, posting, applicants, field, value, view
):
    response = as_manager.get(filtered_urls(posting)[view], {field: value})
    assert response.status_code == 200
    if view == "board":
        expected = (
            "Enter a date between 1900-01-01 and 2999-12-31."
            if value in ("9999-12-31", "0001-01-01")
            else "Enter a valid date."
        )
        assert expected in body(response)
        # The bad filter is not applied: every applicant is still there.
        assert names(response) == ["Ada Moreno", "Ben Okafor", "Dev Patel", "Jane Doe"]
    if view == "export":
        assert "Jane Doe" in body(response)


def test_the_last_and_first_allowed_days_still_filter(as_manager, posting, applicants):
    response = as_manager.get(
        board_url(posting), {"submitted_from": "1900-01-01", "submitted_to": "2999-12-31"}
    )
    assert "Enter a date" not in response.content.decode()
    assert names(response) == ["Ada Moreno", "Ben Okafor", "Dev Patel", "Jane Doe"]


@pytest.mark.parametrize(
    "params",
    [
        {"stage": HUGE},
        {"stage": "-1"},
        {"source": HUGE},
        {"answer_{q}": HUGE},
        {f"answer_{HUGE}": "yes"},
        {"q": HUGE},
        {"q": "x" * 5000},
    ],
)
@pytest.mark.parametrize("view", ["board", "column", "export"])
def test_other_extreme_filter_values_never_give_a_server_error(
    as_manager, posting, applicants, internship_question, params, view
):
    query = {key.format(q=internship_question.pk): value for key, value in params.items()}
    assert as_manager.get(filtered_urls(posting)[view], query).status_code == 200


@pytest.mark.parametrize(
    ("page", "shown"),
    [
        (HUGE, None),
        ("9223372036854775807", None),  # the largest 64-bit integer
        ("1" + "0" * 5000, 1),  # more digits than Python converts: not a number
        ("-5", 1),
        ("0", 1),
        ("x", 1),
        ("", 1),
        ("2.5", 1),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_a_column_page_out_of_range_is_a_404_or_the_first_page_never_a_server_error(
    as_manager, posting, applicants, page, shown, htmx
):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = as_manager.get(filtered_urls(posting)["column"], {"page": page}, **headers)
    if shown is None:
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert response.context["page"] == shown
        assert "Jane Doe" in response.content.decode()


def test_the_last_page_a_column_can_have_still_answers_and_is_empty(
    as_manager, posting, applicants
):
    column = filtered_urls(posting)["column"]
    response = as_manager.get(column, {"page": MAX_PAGE})
    assert response.status_code == 200
    assert response.context["cards"] == []
    assert as_manager.get(column, {"page": MAX_PAGE + 1}).status_code == 404


@pytest.mark.parametrize("view", ["board", "column", "export"])
def test_a_posting_or_stage_id_beyond_a_64_bit_integer_is_a_404(
    as_manager, posting, applicants, view
):
    urls = {
        "board": f"/dashboard/postings/{HUGE}/board/",
        "column": f"/dashboard/postings/{posting.pk}/board/stages/{HUGE}/",
        "export": f"/dashboard/postings/{HUGE}/export.csv",
    }
    assert as_manager.get(urls[view]).status_code == 404
