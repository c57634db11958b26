import hashlib
import logging
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import F
from django.utils import timezone
from pypdf import PdfReader

from applications.models import Answer, Application, Candidate, Resume, StageChange
from dashboard import synthetic_resumes
from notifications.models import OutboxEmail
from offers.models import Offer
from postings.models import Posting

pytestmark = pytest.mark.django_db


def seed(*args):
    out = StringIO()
    call_command("seed_demo", "--no-progress", *args, stdout=out)
    return out.getvalue()


def test_the_backend_engineer_posting_carries_the_real_facts(settings):
    settings.DEBUG = True
    output = seed()
    posting = Posting.objects.get(slug="backend-engineer")
    assert posting.title == "Backend Engineer"
    assert posting.is_open
    assert posting.published_at.date().isoformat() == "2025-04-24"
    assert posting.salary_display == "$118,938 – $244,872 USD per year"
    assert "US-based applicants only" in posting.pay_transparency_note
    assert posting.equity and not posting.relocation_assistance
    assert [s.heading for s in posting.sections.all()] == [
        "About the company",
        "About the role",
        "Responsibilities",
        "Qualifications",
        "Additional notes",
    ]
    assert "Core" in posting.sections.get(heading="About the role").body
    assert "Monetization" in posting.sections.get(heading="About the role").body
    assert [team.name for team in posting.teams.all()] == ["Core", "Monetization"]
    assert posting.questions.first().label == "Are you applying to the internship?"
    assert Posting.objects.open().count() >= 5
    assert "recruiter" in output and "demo-recruiter-2025" in output
    assert get_user_model().objects.filter(username="recruiter", profile__role="recruiter").exists()
    # The six applicants, one sourced candidate and one referral, beside past applicants.
    past = Application.objects.filter(candidate__email__startswith="history.")
    assert Application.objects.filter(posting=posting).exclude(pk__in=past).count() == 8


def test_seeding_twice_changes_nothing(settings):
    settings.DEBUG = True
    seed()
    counts = (
        Posting.objects.count(),
        Application.objects.count(),
        get_user_model().objects.count(),
    )
    seed()
    assert (
        Posting.objects.count(),
        Application.objects.count(),
        get_user_model().objects.count(),
    ) == counts


def test_no_demo_logins_outside_debug(settings):
    settings.DEBUG = False
    output = seed()
    assert not get_user_model().objects.exists()
    assert "demo-recruiter" not in output


def test_synthetic_postings_and_applications_in_bulk():
    seed()
    before = Application.objects.count()
    seed("--postings", "30", "--applications", "1200")
    assert Posting.objects.filter(slug__startswith="synthetic-").count() == 30
    assert Application.objects.count() == before + 1200
    synthetic = Application.objects.filter(candidate__email__startswith="synthetic.")
    assert StageChange.objects.filter(application__in=synthetic).count() == 1200
    # One answer per yes/no question of the posting applied to.
    expected = sum(
        app.posting.questions.filter(kind="yes_no").count()
        for app in synthetic.select_related("posting")
    )
    assert Answer.objects.filter(application__in=synthetic).count() == expected > 0
    # Every generated application sits in a stage of its own posting.
    assert not synthetic.exclude(stage__posting=F("posting")).exists()
    seed("--applications", "10")  # new emails continue where the last run stopped
    assert synthetic.count() == 1210


def test_negative_counts_are_refused():
    with pytest.raises(CommandError, match="zero or more"):
        seed("--applications", "-1")


def test_synthetic_applications_can_go_to_one_posting():
    seed("--postings", "3")
    seed("--applications", "40", "--on", "backend-engineer")
    synthetic = Application.objects.filter(candidate__email__startswith="synthetic.")
    assert synthetic.count() == 40
    assert set(synthetic.values_list("posting__slug", flat=True)) == {"backend-engineer"}
    with pytest.raises(CommandError, match="No open posting 'nope'"):
        seed("--applications", "1", "--on", "nope")


@pytest.mark.django_db(transaction=True)
def test_the_console_ends_with_the_logins_and_shows_no_email(settings, capsys, caplog):
    # As `make run` has it: real commits, and the console email backend printing every email
    # sent in-process.
    settings.DEBUG = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.SITE_URL = "http://testserver"
    caplog.set_level(logging.INFO)
    call_command("seed_demo", "--no-progress")
    console = capsys.readouterr().out
    assert [r.getMessage() for r in caplog.records if r.name.startswith(("celery", "kombu"))] == []
    assert "Subject:" not in console
    assert "Content-Type" not in console
    assert console.strip().splitlines()[-4:] == [
        "Sign in to the dashboard at http://testserver/dashboard/ with:",
        "  recruiter   / demo-recruiter-2025   (every posting)",
        "  manager     / demo-recruiter-2025   (the Backend Engineer posting only)",
        "  interviewer / demo-recruiter-2025   (only the interviews they sit on)",
    ]


def test_the_backend_engineer_gets_a_plan_from_its_qualifications_and_an_interviewer_login(
    settings,
):
    from interviews.models import Interview, InterviewStep, Scorecard

    settings.DEBUG = True
    output = seed()
    steps = InterviewStep.objects.filter(stage__posting__slug="backend-engineer").order_by(
        "stage__position", "position"
    )
    assert [(s.stage.name, s.name) for s in steps] == [
        ("Screen", "Recruiter screen"),
        ("Interview", "Technical interview"),
        ("Interview", "Team interview"),
    ]
    technical = steps.get(name="Technical interview")
    assert "RESTful APIs, storage, caching and data processing" in [
        a.name for a in technical.attributes.all()
    ]
    assert [u.username for u in technical.interviewers.all()] == ["interviewer"]
    assert "interviewer / demo-recruiter-2025" in output
    assert (
        get_user_model()
        .objects.filter(username="interviewer", profile__role="interviewer")
        .exists()
    )
    # Two held (one with its feedback in, one with it due), two scheduled with their
    # invitations, and one waiting for the candidate to pick from the times offered.
    interviews = Interview.objects.filter(application__posting__slug="backend-engineer").exclude(
        application__candidate__email__startswith="history."
    )
    assert sorted(interviews.values_list("status", flat=True)) == [
        "awaiting",
        "scheduled",
        "scheduled",
        "scheduled",
        "scheduled",
    ]
    assert interviews.filter(starts_at__lt=timezone.now()).count() == 2
    assert Scorecard.objects.submitted().count() == 1
    invited = OutboxEmail.objects.filter(kind=OutboxEmail.Kind.INTERVIEW_INVITE)
    assert set(invited.values_list("to", flat=True)) == {
        "ada.moreno@example.com",
        "chloe.martin@example.com",
        "interviewer@example.com",
        "manager@example.com",
    }
    assert OutboxEmail.objects.filter(kind=OutboxEmail.Kind.INTERVIEW_SLOTS).count() == 1
    # Other postings keep the default plan.
    assert InterviewStep.objects.filter(stage__posting__slug="data-scientist").count() == 3
    seed()
    assert interviews.count() == 5 and steps.count() == 3


def test_the_demo_has_an_offer_waiting_for_approval_and_one_accepted(settings):
    from offers import pdf
    from tests.conftest import need

    need(pdf.available(), "WeasyPrint or the Pango libraries it needs are not installed")
    settings.DEBUG = True
    seed()
    offers = {o.application.name: o for o in Offer.objects.select_related("application__stage")}
    assert set(offers) == {"Emi Tanaka", "Farah Haddad"}
    waiting = offers["Emi Tanaka"]
    assert waiting.status == "pending"
    assert waiting.current_approver().user.username == "manager"
    # Both letters exist as stored PDFs, each with the hash of its bytes: the one waiting is
    # the document its approvers are asked to approve.
    for offer in (waiting, offers["Farah Haddad"]):
        data = offer.pdf.open("rb").read()
        assert data.startswith(b"%PDF-")
        assert hashlib.sha256(data).hexdigest() == offer.pdf_sha256
    assert "182,000" in "".join(p.extract_text() for p in PdfReader(waiting.pdf.open("rb")).pages)
    accepted = offers["Farah Haddad"]
    assert accepted.status == "accepted"
    assert accepted.application.stage.name == "Hired"
    assert accepted.accepted_letter_sha256 == accepted.pdf_sha256
    seed()
    assert Offer.objects.count() == 2


def test_the_demo_has_a_sourced_candidate_a_referral_and_tags(settings):
    from sourcing.models import CandidateTag, Origin

    settings.DEBUG = True
    seed()
    sourced = Origin.objects.get(source="sourced")
    assert sourced.application.name == "Priya Natarajan"
    assert sourced.application.stage.name == "Screen" and sourced.by.username == "recruiter"
    referral = Origin.objects.get(source="referral")
    assert referral.by.username == "interviewer" and referral.application.stage.kind == "applied"
    assert "Rivera - Python, Django, payments" in referral.application.resume.text
    assert CandidateTag.objects.filter(tag__name="python").count() == 3
    assert not OutboxEmail.objects.filter(
        to__in=["priya.natarajan@example.com", "tomas.rivera@example.com"]
    ).exists()
    seed()
    assert Origin.objects.count() == 2 and CandidateTag.objects.count() == 5


def synthetic_resume_texts() -> list[str]:
    return list(
        Resume.objects.filter(application__candidate__email__startswith="synthetic.")
        .order_by("application__candidate__email")
        .values_list("text", flat=True)
    )


def test_synthetic_applications_carry_resume_texts_of_known_words_that_the_seed_repeats():
    seed("--postings", "2")
    seed("--applications", "400", "--seed", "7")
    texts = synthetic_resume_texts()
    assert len(texts) == 400
    assert all(3000 <= len(text) <= synthetic_resumes.TARGET_LENGTH for text in texts)

    def share(word: str) -> float:
        found = re.compile(rf"\b{re.escape(word)}\b")
        return sum(bool(found.search(text)) for text in texts) / len(texts)

    # What a search benchmark relies on: the common words in about 30%, the phrases as
    # phrases in about 10%, the absent ones nowhere.
    assert all(0.2 < share(word) < 0.4 for word in synthetic_resumes.COMMON_SKILLS)
    assert all(0.04 < share(phrase) < 0.18 for phrase in synthetic_resumes.PHRASES)
    assert all(share(word) < 0.02 for word in synthetic_resumes.RARE_SKILLS)
    assert not any(share(word) for word in synthetic_resumes.ABSENT_WORDS)

    # The same seed on the same data gives the same texts.
    synthetic = Application.objects.filter(candidate__email__startswith="synthetic.")
    candidates = list(synthetic.values_list("candidate_id", flat=True))
    synthetic.delete()
    Candidate.objects.filter(pk__in=candidates).delete()
    seed("--applications", "400", "--seed", "7")
    assert synthetic_resume_texts() == texts
    seed("--applications", "10", "--seed", "8")
    assert len(synthetic_resume_texts()) == 410
