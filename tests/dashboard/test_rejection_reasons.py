"""The list of rejection reasons recruiters keep: every rejection picks one of them."""

from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse

from applications.models import RejectionReason

pytestmark = pytest.mark.django_db

URL = "dashboard:rejection_reasons"
seeding = import_module("applications.migrations.0007_rejection_reasons")


@pytest.fixture(autouse=True)
def seeded(db):
    """The list the migration seeds (again, should a test before this one have emptied the
    database: seeding is idempotent)."""
    seeding.seed_reasons(apps, None)


def formset_data(rows, *, initial):
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": str(initial)}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"form-{i}-{key}"] = value
    return data


def current_rows():
    return [
        {"id": str(r.pk), "label": r.label, "position": str(r.position), "active": "on"}
        for r in RejectionReason.objects.all()
    ]


def test_the_seeded_list_is_offered_in_order(as_recruiter):
    html = as_recruiter.get(reverse(URL)).content.decode()
    labels = ["Not enough experience", "Skills mismatch", "Position filled", "Other"]
    positions = [html.index(f'value="{label}"') for label in labels]
    assert positions == sorted(positions)


def test_a_recruiter_adds_a_reason_and_retires_another(as_recruiter):
    rows = current_rows()
    rows[0].pop("active")  # unticked: no longer offered, still on past rejections
    rows.append({"label": "  Salary expectations  ", "position": "9", "active": "on"})
    response = as_recruiter.post(reverse(URL), formset_data(rows, initial=len(rows) - 1))
    assert response.status_code == 302
    added = RejectionReason.objects.get(label="Salary expectations")
    assert (added.position, added.active) == (9, True)
    assert not RejectionReason.objects.get(pk=rows[0]["id"]).active
    assert "Salary expectations" in [r.label for r in RejectionReason.objects.active()]


def test_a_name_twice_ignoring_case_is_refused_and_nothing_is_saved(as_recruiter):
    rows = current_rows()
    before = list(RejectionReason.objects.values_list("label", "position", "active"))
    rows.append({"label": "skills MISMATCH", "position": "9", "active": "on"})
    response = as_recruiter.post(reverse(URL), formset_data(rows, initial=len(rows) - 1))
    assert response.status_code == 400
    assert "listed twice" in response.content.decode()
    assert list(RejectionReason.objects.values_list("label", "position", "active")) == before


def test_an_empty_name_is_refused_with_a_message(as_recruiter):
    rows = current_rows()
    rows[0]["label"] = "   "
    response = as_recruiter.post(reverse(URL), formset_data(rows, initial=len(rows)))
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert RejectionReason.objects.filter(label="Not enough experience").exists()
