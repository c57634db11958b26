import threading

import pytest
from django.db import connection

from applications import services
from applications.models import Application, Candidate, Stage, StageChange
from tests.conftest import need
from tests.factories import PostingFactory, submit

pytestmark = pytest.mark.django_db


def test_a_posting_gets_the_default_pipeline_once(posting):
    stages = services.ensure_pipeline(posting)
    assert [(s.name, s.candidate_name, s.kind, s.notify_candidate) for s in stages] == [
        ("Applied", "Application received", "applied", False),
        ("Screen", "Under review", "active", True),
        ("Interview", "Interviewing", "active", True),
        ("Offer", "Offer", "active", True),
        ("Hired", "Hired", "hired", True),
        ("Rejected", "Not moving forward", "rejected", True),
        ("Withdrawn", "Withdrawn", "withdrawn", False),
    ]
    assert services.ensure_pipeline(posting) == stages
    assert Stage.objects.count() == 7


def test_one_candidate_per_email_ignoring_case(posting):
    other = PostingFactory()
    first = submit(posting, email="Jane@Example.com")
    second = submit(other, email="jane@example.COM", name="Jane Q. Doe")
    assert first.candidate_id == second.candidate_id
    candidate = Candidate.objects.get()
    assert candidate.name == "Jane Q. Doe"  # the newest details win


def test_applying_twice_to_one_posting_makes_no_second_application(posting, private_root):
    first = submit(posting, email="jane@example.com")
    with pytest.raises(services.DuplicateApplication) as raised:
        submit(posting, email="JANE@example.com")
    assert raised.value.application == first
    assert Application.objects.count() == 1
    assert len([p for p in private_root.rglob("*") if p.is_file()]) == 1


def test_the_duplicate_page_offers_to_email_the_status_link(
    client, posting, form_data, mailoutbox, django_capture_on_commit_callbacks
):
    submit(posting, email="jane@example.com")
    response = client.post("/jobs/backend-engineer/apply/", form_data())
    assert response.status_code == 409
    html = response.content.decode()
    assert "You have already applied for this role" in html
    assert 'action="/jobs/backend-engineer/apply/status-link/"' in html
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            "/jobs/backend-engineer/apply/status-link/", {"email": "jane@example.com"}
        )
    assert "Check your email" in sent.content.decode()
    [email] = [m for m in mailoutbox if "status link" in m.subject]
    assert email.to == ["jane@example.com"]
    assert Application.objects.get().status_token in email.body


def test_asking_for_a_status_link_reveals_nothing_about_unknown_addresses(
    client, posting, mailoutbox
):
    response = client.post(
        "/jobs/backend-engineer/apply/status-link/", {"email": "nobody@example.com"}
    )
    assert response.status_code == 200
    assert "If that address applied" in response.content.decode()
    assert mailoutbox == []


def test_moving_writes_history(posting, recruiter):
    application = submit(posting)
    screen = posting.stages.get(name="Screen")
    change = services.move_application(
        application=application, to_stage=screen, by=recruiter, reason="Strong CV"
    )
    application.refresh_from_db()
    assert application.stage == screen
    assert (change.from_stage.name, change.to_stage.name, change.by, change.reason) == (
        "Applied",
        "Screen",
        recruiter,
        "Strong CV",
    )
    assert services.move_application(application=application, to_stage=screen) is None
    assert StageChange.objects.filter(application=application).count() == 2


def test_a_stage_of_another_posting_is_refused(posting):
    application = submit(posting)
    foreign = services.ensure_pipeline(PostingFactory())[1]
    with pytest.raises(ValueError, match="another posting"):
        services.move_application(application=application, to_stage=foreign)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_duplicate_submissions_give_exactly_one_application():
    need(connection.vendor == "postgresql", "concurrency needs PostgreSQL (set DATABASE_URL)")
    from tests.factories import backend_engineer_posting

    posting = backend_engineer_posting()
    services.ensure_pipeline(posting)
    barrier = threading.Barrier(2)
    outcomes = []

    def apply():
        from django.db import connections

        try:
            barrier.wait()
            submit(posting, email="race@example.com")
            outcomes.append("created")
        except services.DuplicateApplication:
            outcomes.append("duplicate")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=apply) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["created", "duplicate"]
    assert Application.objects.count() == 1
    assert Candidate.objects.count() == 1
