"""The pipeline's rules as the dashboard shows them: pages ask them, never write a pipeline."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import services
from applications.models import Application, Stage
from tests.factories import submit

pytestmark = pytest.mark.django_db


def in_stage(application, name):
    application.stage = application.posting.stages.get(name=name)
    Application.objects.filter(pk=application.pk).update(stage=application.stage)
    return application


def test_showing_a_board_and_its_pipeline_settings_writes_nothing(as_recruiter, posting):
    with CaptureQueriesContext(connection) as queries:
        for url in (
            reverse("dashboard:board", args=[posting.pk]),
            reverse("dashboard:posting_stages", args=[posting.pk]),
        ):
            assert as_recruiter.get(url).status_code == 200
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "django_session" not in q["sql"]
    ]
    assert writes == []


def test_the_dashboard_says_why_a_withdrawn_application_cannot_move(
    as_recruiter, posting, skills_mismatch
):
    application = submit(posting)
    services.withdraw(application=application)
    for name, data in (
        ("dashboard:move", {"stage": posting.stages.get(name="Screen").pk}),
        ("dashboard:reject", {"rejection_reason": skills_mismatch.pk, "reason": "Not a fit"}),
    ):
        response = as_recruiter.post(
            reverse(name, args=[posting.pk, application.pk]), data, follow=True
        )
        assert response.status_code == 200
        assert "Jane Doe withdrew their application, so it stays withdrawn." in [
            str(m) for m in response.context["messages"]
        ]
    application.refresh_from_db()
    assert application.stage.kind == Stage.Kind.WITHDRAWN


def test_a_withdrawn_application_offers_no_move_or_reject_on_its_page(as_recruiter, posting):
    application = submit(posting)
    services.withdraw(application=application)
    page = as_recruiter.get(application.get_dashboard_url()).content.decode()
    assert reverse("dashboard:move", args=[posting.pk, application.pk]) not in page
    assert reverse("dashboard:reject", args=[posting.pk, application.pk]) not in page


def test_a_hired_application_offers_a_move_but_no_reject(as_recruiter, posting):
    application = in_stage(submit(posting), "Hired")
    page = as_recruiter.get(application.get_dashboard_url()).content.decode()
    assert reverse("dashboard:move", args=[posting.pk, application.pk]) in page
    assert reverse("dashboard:reject", args=[posting.pk, application.pk]) not in page
