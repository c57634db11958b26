"""factory_boy factories and ready-made objects for tests."""

import uuid
from datetime import UTC, datetime, timedelta

import factory
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Profile
from applications import services
from applications.models import RejectionReason
from applications.resumes import check_resume, pdf_bytes_with_text
from postings.models import Location, Posting, Question, Section, Team
from search import services as search


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location
        django_get_or_create = ["city", "region", "country", "remote"]

    city = "San Francisco"
    region = "CA"
    country = "US"
    remote = False


class PostingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Posting
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Engineer {n}")
    slug = factory.Sequence(lambda n: f"engineer-{n}")
    status = Posting.Status.OPEN
    published_at = datetime(2025, 4, 24, 16, 0, tzinfo=UTC)
    salary_min = 100_000
    salary_max = 150_000

    @factory.post_generation
    def teams(self, create, extracted, **kwargs):
        if create:
            self.teams.set(extracted if extracted is not None else [TeamFactory()])

    @factory.post_generation
    def locations(self, create, extracted, **kwargs):
        if create:
            self.locations.set(extracted if extracted is not None else [LocationFactory()])

    @factory.post_generation
    def sections(self, create, extracted, **kwargs):
        if create and extracted is None:
            Section.objects.create(posting=self, heading="About the role", body="Build things.")


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    posting = factory.SubFactory(PostingFactory)
    label = factory.Sequence(lambda n: f"Question {n}?")
    kind = Question.Kind.YES_NO
    required = True


class RejectionReasonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RejectionReason
        # The list comes seeded; a test that asks for a seeded label gets that row.
        django_get_or_create = ("label",)

    label = factory.Sequence(lambda n: f"Reason {n}")
    position = factory.Sequence(lambda n: n)


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    role = Profile.Role.RECRUITER


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    class Params:
        role = Profile.Role.RECRUITER

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    first_name = factory.LazyAttribute(lambda o: o.username.title())
    profile = factory.RelatedFactory(
        ProfileFactory, factory_related_name="user", role=factory.SelfAttribute("..role")
    )

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "correct horse battery staple")
        if create:
            self.save()


def backend_engineer_posting() -> Posting:
    """The demo posting's essentials: salary range, pay note, the internship question."""
    posting = PostingFactory(
        title="Backend Engineer",
        slug="backend-engineer",
        teams=[TeamFactory(name="Core", slug="core")],
        salary_min=118_938,
        salary_max=244_872,
        salary_currency="USD",
        pay_transparency_note="US-based applicants only.",
        equity=True,
        relocation_assistance=False,
        workplace_type=Posting.WorkplaceType.HYBRID,
    )
    QuestionFactory(
        posting=posting,
        label="Are you applying to the internship?",
        card_badge="Internship",
        position=0,
    )
    return posting


def pdf_upload(text="Jane Doe Python Django", name="resume.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes_with_text(text), content_type="application/pdf")


def submit(posting, *, email="jane@example.com", name="Jane Doe", answers=None, **extra):
    """Submit through the real service, as the form would."""
    upload = pdf_upload(f"{name} resume")
    questions = list(posting.questions.all())
    answers = answers if answers is not None else dict.fromkeys(questions, False)
    return indexed(
        services.submit_application(
            posting=posting,
            applicant=services.Applicant(name=name, email=email, **extra),
            answers=answers,
            resume=check_resume(upload),
            resume_file=upload,
        )
    )


def apply(posting, *, name, email, answers=None, source="", resume_text=None, **applicant):
    """Submit through the real service, with a source and the resume text chosen."""
    upload = pdf_upload(resume_text or f"{name} resume")
    questions = list(posting.questions.all())
    return indexed(
        services.submit_application(
            posting=posting,
            applicant=services.Applicant(name=name, email=email, **applicant),
            answers=answers if answers is not None else dict.fromkeys(questions, False),
            resume=check_resume(upload),
            resume_file=upload,
            source=services.Source(utm_source=source),
        )
    )


def indexed(application):
    """The application with its search document, as the commit of its submission leaves it:
    tests run inside a transaction that never commits, so on-commit work waits for a test
    that captures it."""
    search.reindex([application.pk])
    return application


def bulk_applications(posting, count: int, *, stage=None) -> list:
    """`count` applications to `posting` in a few bulk inserts, for scale and query-count tests:
    candidates, applications (in `stage`, or spread over the first four stages), a yes to
    every other yes/no answer, and each one's first history row. No resumes, no email."""
    from datetime import timedelta

    from applications.models import Answer, Application, Candidate, StageChange

    stages = list(posting.stages.all())
    start = Candidate.objects.count()
    candidates = Candidate.objects.bulk_create(
        Candidate(name=f"Applicant {start + i}", email=f"applicant{start + i}@example.com")
        for i in range(count)
    )
    now = timezone.now()
    applications = Application.objects.bulk_create(
        Application(
            candidate=candidate,
            posting=posting,
            name=candidate.name,
            stage=stage or stages[i % 4],
            submitted_at=now - timedelta(minutes=i + 1),
            stage_changed_at=now,
        )
        for i, candidate in enumerate(candidates)
    )
    yes_no = [q for q in posting.questions.all() if q.kind == Question.Kind.YES_NO]
    Answer.objects.bulk_create(
        Answer(application=application, question=question, value_bool=i % 2 == 0)
        for i, application in enumerate(applications)
        for question in yes_no
    )
    StageChange.objects.bulk_create(
        StageChange(application=a, from_stage=None, to_stage_id=a.stage_id, at=a.submitted_at)
        for a in applications
    )
    search.reindex(a.pk for a in applications)  # bulk inserts send no signals
    return applications


def interview_step(
    posting,
    *,
    stage_name="Interview",
    name="Technical screen",
    attributes=("Python", "System design", "Communication"),
    interviewers=(),
    **fields,
):
    """A plan step on `posting`'s stage with its attributes and interviewer pool."""
    from interviews.models import Attribute, InterviewStep

    step = InterviewStep.objects.create(
        stage=posting.stages.get(name=stage_name), name=name, **fields
    )
    Attribute.objects.bulk_create(
        Attribute(step=step, name=label, position=i) for i, label in enumerate(attributes)
    )
    step.interviewers.add(*interviewers)
    return step


def scheduled_interview(application, step, *, interviewers, starts_at=None, **fields):
    """An interview at `starts_at` (default: tomorrow, 10:00 UTC) with active seats, written
    directly: for tests of what reads interviews, not of scheduling itself."""
    from datetime import timedelta

    from django.utils import timezone

    from interviews.models import Interview, InterviewerSeat

    if starts_at is None:
        starts_at = (timezone.now() + timedelta(days=1)).replace(
            hour=10, minute=0, second=0, microsecond=0
        )
    ends_at = starts_at + timedelta(minutes=step.duration_minutes)
    interview = Interview.objects.create(
        application=application, step=step, starts_at=starts_at, ends_at=ends_at, **fields
    )
    InterviewerSeat.objects.bulk_create(
        InterviewerSeat(
            interview=interview, user=user, starts_at=starts_at, ends_at=ends_at, active=True
        )
        for user in interviewers
    )
    return interview


def reply(application, *, attachment: tuple[str, bytes] | None = None, **fields):
    """An incoming message on the application's timeline, as the IMAP fetcher stores one,
    with an attachment (name, content) in private storage if given."""
    from django.core.files.base import ContentFile

    from conversations.models import Attachment, Message

    fields.setdefault("from_address", application.candidate.email)
    fields.setdefault("subject", "Re: your email")
    fields.setdefault("body_text", "Thanks!")
    fields.setdefault("message_id", f"<reply-{uuid.uuid4().hex}@example.com>")
    message = Message.objects.create(
        application=application, direction=Message.Direction.INCOMING, **fields
    )
    if attachment is not None:
        name, content = attachment
        file = Attachment(
            message=message,
            original_name=name,
            content_type="application/pdf",
            size=len(content),
            sha256="0" * 64,
        )
        file.file.save(name, ContentFile(content), save=True)
    return message


def sent_to_candidate(application, *, author=None, subject="About your application"):
    """An email the team sent the candidate, as the conversation records it: the
    application's thread (its reply token), the outbox row with its Message-ID and Reply-To,
    and the outgoing message. Returns the message."""
    from conversations.models import Message, Thread
    from notifications.delivery import message_id_for_key
    from notifications.models import OutboxEmail

    thread, _ = Thread.objects.get_or_create(application=application)
    key = f"conversation:{application.pk}:{uuid.uuid4().hex}"
    outbox = OutboxEmail.objects.create(
        key=key,
        kind=OutboxEmail.Kind.STAGE_CHANGED,
        to=application.candidate.email,
        reply_to=f"jobs+{thread.reply_token}@careers.example.com",
        message_id=message_id_for_key(key),
        subject=subject,
        body_text="Could you do a call on Tuesday?",
        application=application,
        status=OutboxEmail.Status.SENT,
        sent_at=timezone.now(),
    )
    return Message.objects.create(
        application=application,
        direction=Message.Direction.OUTGOING,
        author=author,
        outbox=outbox,
        from_address="jobs@careers.example.com",
        to_address=application.candidate.email,
        subject=subject,
        body_text=outbox.body_text,
        message_id=outbox.message_id,
    )


def offer_terms(**overrides) -> dict:
    """Terms of a Backend Engineer offer starting in a month, open for a week."""
    from offers.letter import DEFAULT_LETTER

    today = timezone.localdate()
    return {
        "job_title": "Backend Engineer",
        "base_salary": 150_000,
        "salary_period": "year",
        "equity": "",
        "bonus": "",
        "start_date": today + timedelta(days=30),
        "location": "San Francisco",
        "expires_on": today + timedelta(days=7),
        "letter": DEFAULT_LETTER,
        "justification": "",
        **overrides,
    }
