import hashlib
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from applications import privacy, services
from applications.forms import ApplicationForm
from applications.models import Application, Candidate, StageChange
from tests.conftest import need
from tests.factories import PostingFactory, submit

pytestmark = pytest.mark.django_db


def test_one_candidate_per_email_ignoring_case_whose_details_no_submission_overwrites(posting):
    other = PostingFactory()
    first = submit(posting, email="Jane@Example.com", phone="+1 415 555 0100")
    second = submit(other, email="jane@example.COM", name="Jane Q. Doe", phone="+44 20 7946 0000")
    assert first.candidate_id == second.candidate_id
    candidate = Candidate.objects.get()
    # The first application's details stay; the second keeps what it said on itself.
    assert (candidate.name, candidate.phone) == ("Jane Doe", "+1 415 555 0100")
    assert (second.name, second.phone) == ("Jane Q. Doe", "+44 20 7946 0000")
    assert second.name_differs_from_candidate and not first.name_differs_from_candidate


def test_applying_twice_to_one_posting_makes_no_second_application(posting, private_root):
    first = submit(posting, email="jane@example.com")
    with pytest.raises(services.DuplicateApplication) as raised:
        submit(posting, email="JANE@example.com", name="Someone Else")
    assert raised.value.application == first
    assert Application.objects.count() == 1
    assert len([p for p in private_root.rglob("*") if p.is_file()]) == 1
    first.refresh_from_db()
    assert first.name == first.candidate.name == "Jane Doe"


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
    foreign = list(PostingFactory().stages.all())[1]
    with pytest.raises(ValueError, match="another posting"):
        services.move_application(application=application, to_stage=foreign)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_duplicate_submissions_give_exactly_one_application():
    need(connection.vendor == "postgresql", "concurrency needs PostgreSQL (set DATABASE_URL)")
    from tests.factories import backend_engineer_posting

    posting = backend_engineer_posting()
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


def test_submitting_records_when_and_to_which_privacy_notice_the_applicant_consented(posting):
    before = timezone.now()
    application = submit(posting)
    application.refresh_from_db()
    assert application.privacy_notice_version == privacy.CURRENT_VERSION == "1"
    assert before <= application.consented_at <= timezone.now()
    assert application.consented_at == application.submitted_at
    # The wording agreed to is the one the form shows.
    assert ApplicationForm(posting=posting).fields["consent"].label == application.privacy_notice


def test_a_published_privacy_notice_never_changes_its_wording():
    """Applications record the version they agreed to: a new wording is a new version."""
    published = {
        "1": "1d7b6d0ce0b26367e80f20c9cfd76e3ac1a0407fdc88d59a373a974b49c57335",
    }
    for version, digest in published.items():
        assert hashlib.sha256(privacy.PRIVACY_NOTICES[version].encode()).hexdigest() == digest
    assert privacy.CURRENT_VERSION in privacy.PRIVACY_NOTICES


def test_the_data_export_holds_the_consent_record_and_erasure_keeps_it(
    posting, django_capture_on_commit_callbacks
):
    application = submit(posting)
    application.refresh_from_db()
    [exported] = services.export_data(application=application)["applications"]
    assert exported["consent"] == {
        "privacy_notice_version": "1",
        "privacy_notice": privacy.PRIVACY_NOTICES["1"],
        "consented_at": application.consented_at.isoformat(),
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.erase(application=application)
    erased = Application.objects.get(pk=application.pk)
    assert erased.erased_at and erased.name == ""
    assert erased.consented_at == application.consented_at
    assert erased.privacy_notice_version == "1"


def test_a_consent_is_a_time_and_a_wording_or_nothing(posting):
    application = submit(posting)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(privacy_notice_version="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(consented_at=None)
