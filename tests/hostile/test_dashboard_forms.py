"""Hostile input through the dashboard's forms, as a signed-in recruiter.

What recruiters type reaches applicants (posting titles, descriptions, pay notes) and their
teammates (notes, rejection reasons): it is stored as typed, shown escaped, and a form that
refuses it changes nothing. Hypothesis drives each form with anything at all: never a 500.
"""

import json
import re

import pytest
from django.utils.html import escape
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from applications.models import RejectionReason, StageChange
from dashboard.models import Note
from postings.models import Posting
from tests.factories import submit
from tests.hostile.test_apply_corpus import ACCEPTED
from tests.hostile.test_apply_fuzz import TEXT

pytestmark = pytest.mark.django_db

FUZZ = hypothesis_settings(max_examples=40)  # the rest: the "hostile" profile in conftest


@pytest.fixture
def staff(client, recruiter):
    client.force_login(recruiter)
    return client


@pytest.fixture
def application(posting):
    return submit(posting)


def posting_data(posting, **overrides) -> dict:
    """The dashboard's posting form as the edit page sends it, with one section."""
    data = {
        "title": posting.title,
        "slug": posting.slug,
        "teams": [team.pk for team in posting.teams.all()],
        "summary": posting.summary,
        "locations": [location.pk for location in posting.locations.all()],
        "employment_type": posting.employment_type,
        "workplace_type": posting.workplace_type,
        "salary_min": posting.salary_min,
        "salary_max": posting.salary_max,
        "salary_currency": posting.salary_currency,
        "salary_period": posting.salary_period,
        "pay_transparency_note": posting.pay_transparency_note,
        "equity": "on",
        "closes_at": "",
        "rejection_email_delay_hours": posting.rejection_email_delay_hours,
        "sections-TOTAL_FORMS": "1",
        "sections-INITIAL_FORMS": "1",
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "30",
        "sections-0-heading": "About the role",
        "sections-0-body": "Build things.",
        "sections-0-ORDER": "1",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


JSONLD = r'<script type="application/ld\+json">(.*?)</script>'


def edit_url(posting) -> str:
    return f"/dashboard/postings/{posting.pk}/edit/"


@pytest.mark.parametrize("payload", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_hostile_posting_text_reaches_applicants_escaped(staff, client, posting, payload):
    response = staff.post(
        edit_url(posting),
        posting_data(
            posting,
            title=payload,
            summary=payload,
            pay_transparency_note=payload,
            **{"sections-0-heading": payload, "sections-0-body": payload},
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    posting.refresh_from_db()
    assert posting.title == payload.strip()
    client.logout()
    for url in ["/", "/jobs/backend-engineer/", "/jobs/backend-engineer/apply/"]:
        html = client.get(url).content.decode()
        # The posting page's JSON-LD holds the title as JSON: no "<" can end its element.
        for block in re.findall(JSONLD, html, re.S):
            assert "<" not in block
            assert json.loads(block)["title"] == posting.title
        html = re.sub(JSONLD, "", html, flags=re.S)
        assert escape(posting.title) in html, url
        assert "<script>alert" not in html, url
        if set(payload) & set('<>"'):
            # (An apostrophe may stay as it is in the Markdown-rendered text: harmless there.)
            assert payload not in html, url


def test_the_posting_form_never_fails_and_saves_all_or_nothing(staff, posting):
    fields = {
        "title": TEXT,
        "slug": TEXT,
        "teams": st.lists(st.one_of(TEXT, st.integers().map(str)), max_size=3),
        "summary": TEXT,
        "locations": st.lists(st.one_of(TEXT, st.integers().map(str)), max_size=3),
        "employment_type": TEXT,
        "salary_min": st.one_of(TEXT, st.integers().map(str)),
        "salary_max": st.one_of(TEXT, st.integers().map(str)),
        "salary_currency": TEXT,
        "pay_transparency_note": TEXT,
        "closes_at": TEXT,
        "rejection_email_delay_hours": st.one_of(TEXT, st.integers().map(str)),
        "sections-TOTAL_FORMS": st.one_of(TEXT, st.integers(-5, 10_000).map(str)),
        "sections-0-heading": TEXT,
        "sections-0-body": TEXT,
        "sections-0-ORDER": TEXT,
    }

    @FUZZ
    @given(st.data())
    def check(data):
        chosen = data.draw(st.lists(st.sampled_from(sorted(fields)), max_size=3, unique=True))
        overrides = {name: data.draw(fields[name], label=name) for name in chosen}
        before = Posting.objects.values().get(pk=posting.pk)
        response = staff.post(edit_url(posting), posting_data(posting, **overrides))
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert Posting.objects.values().get(pk=posting.pk) == before

    check()


def test_notes_never_fail_are_kept_as_typed_and_shown_escaped(staff, application):
    url = f"/dashboard/postings/{application.posting_id}/applications/{application.pk}/"

    @FUZZ
    @given(body=st.one_of(TEXT, st.sampled_from(list(ACCEPTED.values()))))
    def check(body):
        before = Note.objects.count()
        response = staff.post(url + "notes/", {"body": body})
        assert response.status_code in (302, 400)
        if response.status_code == 400:
            assert Note.objects.count() == before
            return
        note = Note.objects.latest("pk")
        assert note.body == body.strip()
        html = staff.get(url).content.decode()
        assert escape(note.body) in html

    check()


def test_board_filters_and_actions_never_fail(staff, application):
    board = f"/dashboard/postings/{application.posting_id}/board/"
    stage_ids = [str(pk) for pk in application.posting.stages.values_list("pk", flat=True)]
    values = st.one_of(TEXT, st.sampled_from(stage_ids), st.integers().map(str))
    reason_ids = [str(pk) for pk in RejectionReason.objects.values_list("pk", flat=True)]
    reasons = st.one_of(values, st.sampled_from(reason_ids or [""]))
    filters = st.dictionaries(
        st.sampled_from(["q", "stage", "source", "submitted_from", "submitted_to", "page"]),
        values,
        max_size=4,
    )
    action = st.fixed_dictionaries(
        {
            "applications": st.lists(st.one_of(values, st.just(str(application.pk))), max_size=3),
            "action": st.one_of(values, st.just("reject")),
            "rejection_reason": reasons,
            "reason": TEXT,
            "quiet": st.sampled_from(["", "on"]),
        }
    )

    @FUZZ
    @given(query=filters, form=action)
    def check(query, form):
        assert staff.get(board, query).status_code == 200
        changes = StageChange.objects.count()
        response = staff.post(board + "bulk/", form)
        assert response.status_code == 302
        assert StageChange.objects.count() <= changes + 1
        reject = f"/dashboard/postings/{application.posting_id}/applications/{application.pk}/"
        rejecting = {"rejection_reason": form["rejection_reason"], "reason": form["reason"]}
        assert staff.post(reject + "reject/", rejecting).status_code == 302

    check()
