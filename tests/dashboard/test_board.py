"""The pipeline board: columns and cards, moving (htmx and plain forms), filters and search,
paging long columns, and bulk actions."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, StageChange
from applications.services import move_application, withdraw
from dashboard.board import PER_COLUMN
from dashboard.services import reject
from notifications.models import OutboxEmail
from notifications.tasks import sweep_outbox
from tests import factories
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
    assert (
        'hx-swap-oob="true">Moved Jane Doe to Screen. The candidate is emailed in 2 minutes'
        " unless the card moves again." in html
    )

    change = StageChange.objects.filter(application=application).latest()
    assert (change.from_stage.name, change.to_stage, change.by) == (
        "Applied",
        screen,
        hiring_manager,
    )
    # Held back for a while, in case the card moves again; then the sweep sends it.
    [email] = stage_emails(application)
    assert (email.kind, email.to, email.status) == ("stage_changed", "jane@example.com", "pending")
    assert "Under review" in email.body_text
    OutboxEmail.objects.filter(pk=email.pk).update(send_after=timezone.now())
    sweep_outbox()
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


def test_moving_to_rejected_from_the_menu_needs_a_reason_then_schedules_the_email(
    as_manager, posting, application, django_capture_on_commit_callbacks, skills_mismatch
):
    rejected = posting.stages.get(name="Rejected")
    url = reverse("dashboard:move", args=[posting.pk, application.pk])
    refused = as_manager.post(url, {"stage": rejected.pk}, HTTP_HX_REQUEST="true")
    assert (refused.status_code, refused.content.decode()) == (
        422,
        "Choose a reason for rejecting.",
    )
    assert stage_emails(application) == []
    with django_capture_on_commit_callbacks(execute=True):
        as_manager.post(url, {"stage": rejected.pk, "rejection_reason": skills_mismatch.pk})
    assert StageChange.objects.latest().rejection_reason == skills_mismatch
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
        response = bulk(as_manager, posting, applications=[a.pk for a in chosen], action=screen.pk)
    assert "Moved 3 applications to Screen." in response.content.decode()
    assert Application.objects.filter(stage=screen).count() == 3
    assert StageChange.objects.filter(to_stage=screen).count() == 3
    assert OutboxEmail.objects.filter(kind="stage_changed").count() == 3
    assert applicants["dev"].stage.name == "Applied"


def test_bulk_move_with_dont_email_ticked_sends_nothing(
    as_manager, posting, applicants, django_capture_on_commit_callbacks
):
    screen = posting.stages.get(name="Screen")
    with django_capture_on_commit_callbacks(execute=True):
        bulk(as_manager, posting, applications=[applicants["ben"].pk], action=screen.pk, quiet="on")
    assert Application.objects.get(pk=applicants["ben"].pk).stage == screen
    assert OutboxEmail.objects.filter(kind="stage_changed").count() == 0


def test_bulk_reject_needs_a_reason_and_then_rejects_with_it(
    as_manager, posting, applicants, django_capture_on_commit_callbacks, skills_mismatch
):
    ids = [applicants["ben"].pk, applicants["dev"].pk]
    refused = bulk(as_manager, posting, applications=ids, action="reject", reason="Role filled")
    assert "Choose a reason for rejecting." in refused.content.decode()
    assert not StageChange.objects.filter(to_stage__kind="rejected").exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = bulk(
            as_manager,
            posting,
            applications=ids,
            action="reject",
            rejection_reason=skills_mismatch.pk,
            reason="Role filled",
        )
    assert "Moved 2 applications to Rejected." in done.content.decode()
    changes = StageChange.objects.filter(to_stage__kind="rejected")
    assert sorted(c.application_id for c in changes) == sorted(ids)
    assert {(c.rejection_reason, c.reason) for c in changes} == {(skills_mismatch, "Role filled")}
    assert OutboxEmail.objects.filter(kind="rejection", status="pending").count() == 2


def test_bulk_reject_can_skip_the_email(as_manager, posting, applicants, skills_mismatch):
    bulk(
        as_manager,
        posting,
        applications=[applicants["ben"].pk],
        action="reject",
        rejection_reason=skills_mismatch.pk,
        quiet="on",
    )
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
    # Stages that email the candidate say so in every menu.
    assert html.count(f'<option value="{screen.pk}" selected>Screen · emails</option>') == 1
    assert html.count(f'<option value="{screen.pk}">Screen · emails</option>') == 3
    # Four card menus and the filter's stage list, escaped in every one.
    assert html.count(f'<option value="{stages[3].pk}">Offer &lt;b&gt;&amp;&lt;/b&gt; close') == 5
    assert "Offer <b>&</b> close" not in html


def test_the_last_and_first_allowed_days_still_filter(as_manager, posting, applicants):
    response = as_manager.get(
        board_url(posting), {"submitted_from": "1900-01-01", "submitted_to": "2999-12-31"}
    )
    assert "Enter a date" not in response.content.decode()
    assert names(response) == ["Ada Moreno", "Ben Okafor", "Dev Patel", "Jane Doe"]


# Fitting a laptop: collapsed ways out, days in stage


def test_rejected_and_withdrawn_are_collapsed_columns_that_open_without_script(
    as_manager, posting, applicants, recruiter, skills_mismatch
):
    reject(
        application=applicants["ben"], by=recruiter, rejection_reason=skills_mismatch, notify=False
    )
    response = as_manager.get(board_url(posting))
    collapsed = [c.stage.name for c in response.context["columns"] if c.collapsed]
    assert collapsed == ["Rejected", "Withdrawn"]
    html = response.content.decode()
    rejected = posting.stages.get(name="Rejected")
    column = html[
        html.index(f'board-column-collapsed card shadow-sm" data-stage-id="{rejected.pk}"') :
    ]
    column = column[: column.index("</details>")]
    assert f'id="stage-count-{rejected.pk}">1</span>' in column
    assert f'id="card-{applicants["ben"].pk}"' in column


def test_each_card_says_how_long_it_has_been_in_its_stage(as_manager, posting, applicants):
    Application.objects.filter(pk=applicants["ben"].pk).update(
        stage_changed_at=timezone.now() - timedelta(days=3)
    )
    Application.objects.filter(pk=applicants["ada"].pk).update(
        stage_changed_at=timezone.now() - timedelta(days=1)
    )
    html = as_manager.get(board_url(posting)).content.decode()

    def days(application):
        card = html[html.index(f'id="card-{application.pk}"') :]
        card = card[card.index("days-in-stage") :]
        return card[card.index(">", card.index("<time")) + 1 : card.index("</time>")]

    assert days(applicants["jane"]) == "today"
    assert days(applicants["ada"]) == "1 day"
    assert days(applicants["ben"]) == "3 days"


# The list view


def list_url(posting):
    return reverse("dashboard:board_list", args=[posting.pk])


def rows(response):
    return [application.name for application in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Ada Moreno", "Ben Okafor", "Dev Patel", "Jane Doe"]),
        ("-name", ["Jane Doe", "Dev Patel", "Ben Okafor", "Ada Moreno"]),
        ("submitted", ["Dev Patel", "Jane Doe", "Ben Okafor", "Ada Moreno"]),
        ("stage", ["Jane Doe", "Ada Moreno", "Dev Patel", "Ben Okafor"]),
        ("days", ["Jane Doe", "Ada Moreno", "Dev Patel", "Ben Okafor"]),
        ("-days", ["Ben Okafor", "Dev Patel", "Ada Moreno", "Jane Doe"]),
        ("source", ["Jane Doe", "Dev Patel", "Ben Okafor", "Ada Moreno"]),
    ],
)
def test_the_list_sorts_by_the_column_its_query_names(
    as_manager, posting, applicants, sort, expected
):
    now = timezone.now()
    for i, who in enumerate(["jane", "ada", "dev", "ben"]):
        Application.objects.filter(pk=applicants[who].pk).update(
            stage_changed_at=now - timedelta(days=i), utm_source=["", "x", "indeed", "linkedin"][i]
        )
    Application.objects.filter(pk=applicants["ben"].pk).update(
        stage=posting.stages.get(name="Interview")
    )
    Application.objects.filter(pk=applicants["dev"].pk).update(
        stage=posting.stages.get(name="Screen")
    )
    response = as_manager.get(list_url(posting), {"sort": sort})
    assert response.status_code == 200
    assert response.context["sort"] == sort
    assert rows(response) == expected


@pytest.mark.parametrize("sort", ["candidate__email", "-", "--name", "name;drop", "pk", "x" * 500])
def test_a_sort_outside_the_list_is_the_newest_first(as_manager, posting, applicants, sort):
    response = as_manager.get(list_url(posting), {"sort": sort})
    assert response.status_code == 200
    assert response.context["sort"] == "-submitted"
    assert rows(response)[-1] == "Dev Patel"


def test_the_list_shows_the_boards_filtered_applications_and_keeps_the_filters(
    as_manager, posting, applicants, internship_question
):
    query = {f"answer_{internship_question.pk}": "yes", "sort": "name"}
    response = as_manager.get(list_url(posting), query)
    assert rows(response) == ["Ada Moreno", "Jane Doe"]
    html = response.content.decode()
    filters = f"answer_{internship_question.pk}=yes"
    assert f'href="{board_url(posting)}?{filters}"' in html  # Board | List keeps the filters
    assert f'href="?{filters}&amp;sort=-name"' in html  # sorting again keeps them too
    assert 'form="bulk-form"' in html and 'name="next" value="' in html


def test_the_list_pages_fifty_at_a_time_and_a_bad_page_is_a_page_never_an_error(
    as_manager, posting
):
    bulk_applications(posting, 60)
    first = as_manager.get(list_url(posting))
    assert len(first.context["page"].object_list) == 50
    second = as_manager.get(list_url(posting), {"page": "2"})
    assert len(second.context["page"].object_list) == 10
    for page in ["0", "-1", "abc", "9" * 40]:
        assert as_manager.get(list_url(posting), {"page": page}).status_code == 200


def test_a_bulk_move_from_the_list_returns_to_the_list(as_manager, posting, applicants):
    here = list_url(posting) + "?sort=name"
    screen = posting.stages.get(name="Screen")
    response = as_manager.post(
        reverse("dashboard:bulk_action", args=[posting.pk]),
        {
            "action": screen.pk,
            "applications": [applicants["ada"].pk, applicants["ben"].pk],
            "next": here,
        },
    )
    assert response.status_code == 302 and response.url == here
    moved = Application.objects.filter(stage=screen).values_list("name", flat=True)
    assert sorted(moved) == ["Ada Moreno", "Ben Okafor"]


def test_undo_after_a_board_move_moves_back_and_no_email_goes(as_manager, posting, application):
    applied, screen = posting.stages.get(name="Applied"), posting.stages.get(name="Screen")
    url = reverse("dashboard:move", args=[posting.pk, application.pk])
    moved = as_manager.post(url, {"stage": screen.pk}, HTTP_HX_REQUEST="true").content.decode()
    undo = re.search(
        r'<form class="d-inline"[^>]*hx-post="([^"]+)".*?name="stage" value="(\d+)"', moved
    )
    assert undo and undo.groups() == (url, str(applied.pk))
    assert 'Undo<span class="visually-hidden">: move Jane Doe back to Applied' in moved

    back = as_manager.post(url, {"stage": applied.pk}, HTTP_HX_REQUEST="true").content.decode()
    assert "Moved Jane Doe to Applied. The candidate is not emailed." in back
    application.refresh_from_db()
    assert application.stage == applied
    assert [e.status for e in stage_emails(application)] == ["cancelled"]


def test_a_move_out_of_rejected_offers_no_undo(as_manager, posting, application, skills_mismatch):
    rejected, screen = posting.stages.get(name="Rejected"), posting.stages.get(name="Screen")
    url = reverse("dashboard:move", args=[posting.pk, application.pk])
    as_manager.post(url, {"stage": rejected.pk, "rejection_reason": skills_mismatch.pk})
    moved = as_manager.post(url, {"stage": screen.pk}, HTTP_HX_REQUEST="true").content.decode()
    assert "Moved Jane Doe to Screen." in moved and "Undo" not in moved


def test_only_cards_the_pipeline_lets_be_rejected_offer_a_reject_form(
    as_manager, posting, applicants
):
    stages = {stage.name: stage for stage in posting.stages.all()}
    move_application(application=applicants["ben"], to_stage=stages["Hired"])
    withdraw(application=applicants["dev"])
    html = as_manager.get(board_url(posting)).content.decode()
    offered = set(re.findall(r'action="/dashboard/postings/\d+/applications/(\d+)/reject/"', html))
    assert offered == {str(applicants["jane"].pk), str(applicants["ada"].pk)}


def test_under_a_search_each_column_counts_every_match_and_shows_its_newest(
    client, recruiter, posting
):
    """The searched board reads all its columns in one query: counts beyond a screenful, the
    newest cards first, and nothing that does not match."""
    factories.bulk_applications(posting, PER_COLUMN + 5, stage=posting.stages.get(name="Screen"))
    factories.bulk_applications(posting, 3, stage=posting.stages.get(name="Applied"))
    factories.apply(posting, name="Zed Nomatch", email="zed@example.com")
    client.force_login(recruiter)
    response = client.get(reverse("dashboard:board", args=[posting.pk]), {"q": "applicant"})
    columns = {c.stage.name: c for c in response.context["columns"]}
    assert (columns["Screen"].count, len(columns["Screen"].cards)) == (PER_COLUMN + 5, PER_COLUMN)
    assert columns["Screen"].has_more
    assert (columns["Applied"].count, len(columns["Applied"].cards)) == (3, 3)
    newest = sorted(
        Application.objects.filter(stage__name="Screen", posting=posting),
        key=lambda a: (a.submitted_at, a.pk),
        reverse=True,
    )[:PER_COLUMN]
    assert [c.pk for c in columns["Screen"].cards] == [a.pk for a in newest]
    assert all(c.count == 0 for name, c in columns.items() if name not in ("Screen", "Applied"))
