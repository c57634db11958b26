"""Demo data: the Backend Engineer posting with its interview plan, a few others, demo logins
(recruiter, hiring manager, interviewer), a few interviews and scorecards, and at will
synthetic postings and applications for load and scale work.

Idempotent: running it again changes nothing that is already there.
"""

import logging
import random
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from itertools import pairwise

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import F
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.text import slugify
from tqdm import tqdm

from accounts.models import Profile
from applications import pipeline, services
from applications.models import (
    Answer,
    Application,
    Candidate,
    Resume,
    Stage,
    StageChange,
    new_status_token,
)
from applications.resumes import check_resume, pdf_bytes_with_text
from dashboard.synthetic_resumes import resume_text
from interviews import plan as interview_plan
from interviews import services as interview_services
from interviews.models import (
    AttributeRating,
    Interview,
    InterviewerSeat,
    InterviewStep,
    Rating,
    Recommendation,
    Scorecard,
)
from offers import pdf as offer_pdf
from offers import policy as offer_policy
from offers import services as offer_services
from offers.models import Offer
from postings.models import Location, Posting, Question, Section, Team
from reports.models import SurveyResponse
from search import services as search
from sourcing import services as sourcing

DEMO_PASSWORD = "demo-recruiter-2025"  # noqa: S105  # nosec B105 # demo users exist in debug only

BACKEND_SECTIONS = [
    (
        "About the company",
        "Pinterest is where millions of people look for ideas and plan the things that "
        "matter to them. Its mission is to bring everyone the inspiration to create a life "
        "they love, and that starts with the people who build it: you get room to grow, a "
        "supportive team, and flexibility in how you work.",
    ),
    (
        "About the role",
        "We are hiring curious, well-rounded backend engineers for two engineering groups, "
        "**Core** and **Monetization**. You will work side by side with product managers, "
        "designers and other engineers to design, build and ship new technology and "
        "experiences.",
    ),
    (
        "Responsibilities",
        "- Build the backend of features that people use every day on the platform.\n"
        "- Take part in, and lead, every stage of a product: first ideas, quick prototypes, "
        "A/B tests, architecture, building at scale and release to millions of users.\n"
        "- Work across design, product and other backend teams to deliver complete features.\n"
        "- Bring your own product ideas, grounded in what you learn about our users.\n"
        "- Write well-tested, maintainable code and own the components you ship.\n"
        "- Keep learning from experienced colleagues on projects that matter.",
    ),
    (
        "Qualifications",
        "- Two or more years building the backend of consumer or business products.\n"
        "- Fluency with common backend technology: RESTful APIs, storage, caching and data "
        "processing.\n"
        "- Good habits for reliable, maintainable code in a large team.\n"
        "- An eye on new technology, and judgement about what is worth adopting.\n"
        "- Clear communication and a collaborative way of working.",
    ),
    (
        "Additional notes",
        "- We do not offer relocation assistance for this role.\n"
        "- Equity is part of the offer, on top of base salary.\n"
        "- Pinterest is committed to an inclusive and equitable workplace; ask us about our "
        "culture and benefits.",
    ),
]

PAY_NOTE = (
    "The base salary range is for US-based applicants only. Final pay depends on location, "
    "travel, experience, skills and expertise."
)

# The Backend Engineer's interview plan: (stage, step, kind, minutes, guidance, attributes).
# The technical steps assess the posting's qualifications (BACKEND_SECTIONS), one attribute
# each; the recruiter screen keeps the default plan's.
BACKEND_PLAN = [
    (
        "Screen",
        "Recruiter screen",
        "phone",
        30,
        "Motivation for Core or Monetization, salary expectations against the posted range, "
        "visa needs and availability.",
        ["Motivation", "Communication", "Logistics fit"],
    ),
    (
        "Interview",
        "Technical interview",
        "video",
        60,
        "Design and build a small REST endpoint with a cache in front of it; talk through "
        "storage choices and how you would test it.",
        [
            "Backend product experience",
            "RESTful APIs, storage, caching and data processing",
            "Reliable, maintainable code",
        ],
    ),
    (
        "Interview",
        "Team interview",
        "onsite",
        45,
        "Meet two engineers and a product manager: a past project end to end, a technology "
        "they adopted (or chose not to), and how they work with design and product.",
        ["Judgement about new technology", "Collaboration and communication"],
    ),
]

# Every posting shows its pay, as pay-transparency laws ask and search engines recommend.
USD_YEAR = ("USD", "year")
OTHER_POSTINGS = [
    # title, team, location keys, employment, workplace, (min, max, currency, period)
    (
        "Frontend Engineer",
        "Core",
        ["sf", "remote-us"],
        "full_time",
        "hybrid",
        (115_000, 230_000, *USD_YEAR),
    ),
    (
        "Data Scientist",
        "Monetization",
        ["nyc"],
        "full_time",
        "hybrid",
        (130_000, 210_000, *USD_YEAR),
    ),
    ("Product Designer", "Design", ["sf"], "full_time", "on_site", (120_000, 200_000, *USD_YEAR)),
    (
        "Site Reliability Engineer",
        "Infrastructure",
        ["remote-us"],
        "full_time",
        "remote",
        (140_000, 250_000, *USD_YEAR),
    ),
    (
        "Software Engineering Intern",
        "Core",
        ["sf", "seattle"],
        "internship",
        "on_site",
        (45, 55, "USD", "hour"),
    ),
    (
        "Recruiting Coordinator",
        "People",
        ["dublin"],
        "contract",
        "hybrid",
        (45_000, 55_000, "EUR", "year"),
    ),
]
# Internships are hired for a season: this one stops taking applications a while after seeding.
INTERNSHIP_OPEN_DAYS = 90

LOCATIONS = {
    "sf": {"city": "San Francisco", "region": "CA", "country": "US"},
    "nyc": {"city": "New York", "region": "NY", "country": "US"},
    "seattle": {"city": "Seattle", "region": "WA", "country": "US"},
    "dublin": {"city": "Dublin", "region": "", "country": "IE"},
    "remote-us": {"city": "", "region": "", "country": "US", "remote": True},
}

DEMO_APPLICANTS = [
    ("Ada Moreno", "ada.moreno@example.com", True, "Python, Django, PostgreSQL, Celery"),
    ("Ben Okafor", "ben.okafor@example.com", False, "Go, Kafka, gRPC, Kubernetes"),
    ("Chloé Martin", "chloe.martin@example.com", True, "Java, Spring, MySQL, Redis"),
    ("Dev Patel", "dev.patel@example.com", False, "Rust, distributed systems, caching"),
    ("Emi Tanaka", "emi.tanaka@example.com", True, "Python, FastAPI, data pipelines"),
    ("Farah Haddad", "farah.haddad@example.com", False, "Python, PostgreSQL, AWS"),
]

# The survey answers of each demo applicant, in that order.
SURVEY_KEYS = ("gender", "race", "veteran", "disability")
DEMO_SURVEY = [
    ("female", "hispanic", "not_protected", "no"),
    ("male", "black", "protected", "no"),
    ("female", "white", "not_protected", "declined"),
    ("male", "asian", "not_protected", "yes"),
    ("female", "asian", "declined", "no"),
    ("declined", "declined", "not_protected", "no"),
]
# (gender, race / ethnicity, moved on from Applied to Screen): women 4 of 12, men 9 of 12 (an
# impact ratio of 0.44, flagged); White 7 of 12 and Asian 6 of 12 (0.86, not flagged).
FAIRNESS_COHORT = [
    *[("female", race, True) for race in ("white", "asian", "white", "asian")],
    *[("female", race, False) for race in ("white", "asian") * 4],
    *[("male", race, True) for race in ("white",) * 5 + ("asian",) * 4],
    *[("male", race, False) for race in ("white", "asian", "asian")],
]

FIRST = ["Alex", "Sam", "Jordan", "Taylor", "Morgan", "Riley", "Casey", "Jamie", "Avery", "Quinn"]
LAST = ["Smith", "Garcia", "Chen", "Khan", "Müller", "Rossi", "Silva", "Kowalski", "Ng", "Diaz"]
TITLES = ["Engineer", "Analyst", "Designer", "Manager", "Scientist", "Specialist"]
SOURCES = ["", "linkedin", "indeed", "referral", "twitter"]


@contextmanager
def quiet_email():
    """The demo applicants are made up, and so is their mail: it goes through an email backend
    that sends nothing, and the in-process tasks that send it log nothing below an error, so
    that the console of `make run` (whose email backend prints every email) ends with what a
    newcomer needs, the logins, rather than 700 lines of email."""
    loggers = [logging.getLogger(name) for name in ("celery.app.trace", "kombu.connection")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class Command(BaseCommand):
    help = "Load the demo data (idempotent); optionally synthetic postings and applications."

    def add_arguments(self, parser):
        parser.add_argument("--postings", type=int, default=0, help="Synthetic postings to add.")
        parser.add_argument(
            "--applications", type=int, default=0, help="Synthetic applications to add."
        )
        parser.add_argument(
            "--on",
            metavar="SLUG",
            help="Put the synthetic applications on this posting only (default: spread over "
            "every open posting).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed for synthetic data.")
        parser.add_argument("--no-progress", action="store_true", help="Hide progress bars.")

    def handle(
        self, *args, postings=0, applications=0, on=None, seed=1, no_progress=False, **options
    ):
        if postings < 0 or applications < 0:
            raise CommandError("--postings and --applications must be zero or more.")
        self.random = random.Random(seed)  # nosec B311 # repeatable fake data, not secrets
        self.progress = not no_progress
        with quiet_email():
            users = self.seed(postings=postings, applications=applications, on=on)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        if users:
            # Last, so that they are the last lines before the server starts.
            self.stdout.write(
                f"\nSign in to the dashboard at {settings.SITE_URL}/dashboard/ with:\n"
                f"  recruiter   / {DEMO_PASSWORD}   (every posting)\n"
                f"  manager     / {DEMO_PASSWORD}   (the Backend Engineer posting only)\n"
                f"  interviewer / {DEMO_PASSWORD}   (only the interviews they sit on)\n"
            )

    def seed(self, *, postings, applications, on) -> list:
        with transaction.atomic():
            backend = self.seed_postings()
            users = self.seed_users(backend)
        self.seed_demo_applications(backend)
        if users:
            self.seed_demo_interviews(backend, *users)
            self.seed_demo_offers(backend, *users[:2])
            self.seed_demo_sourcing(backend, recruiter=users[0], referrer=users[2])
        self.seed_demo_history()
        self.seed_demo_survey(backend)
        if postings:
            self.synthetic_postings(postings)
        if applications:
            self.synthetic_applications(applications, on=on)
            # Raw inserts send no signals: their search documents are written here.
            with tqdm(total=applications, desc="search index", disable=not self.progress) as bar:
                search.index_missing(progress=bar.update)
        if postings or applications:
            refresh_statistics()
        return users

    def location(self, key):
        fields = LOCATIONS[key]
        location, _ = Location.objects.get_or_create(
            city=fields["city"],
            region=fields["region"],
            country=fields["country"],
            remote=fields.get("remote", False),
        )
        return location

    def team(self, name):
        team, _ = Team.objects.get_or_create(slug=slugify(name), defaults={"name": name})
        return team

    def seed_postings(self) -> Posting:
        published = datetime(2025, 4, 24, 16, 0, tzinfo=UTC)
        backend, created = Posting.objects.get_or_create(
            slug="backend-engineer",
            defaults={
                "title": "Backend Engineer",
                "summary": "Build the backend of features millions of people use, on the Core "
                "and Monetization engineering teams.",
                "employment_type": Posting.EmploymentType.FULL_TIME,
                "workplace_type": Posting.WorkplaceType.HYBRID,
                "salary_min": 118_938,
                "salary_max": 244_872,
                "salary_currency": "USD",
                "salary_period": Posting.SalaryPeriod.YEAR,
                "pay_transparency_note": PAY_NOTE,
                "equity": True,
                "relocation_assistance": False,
                # Two teams hire for it: one hire alone does not fill it.
                "openings": 2,
                "status": Posting.Status.OPEN,
                "published_at": published,
            },
        )
        if created:
            # The role is hired for by two engineering teams, and listed under each.
            backend.teams.set([self.team("Core"), self.team("Monetization")])
            backend.locations.set([self.location("sf"), self.location("remote-us")])
            Section.objects.bulk_create(
                Section(posting=backend, heading=heading, body=body, position=i)
                for i, (heading, body) in enumerate(BACKEND_SECTIONS)
            )
            Question.objects.create(
                posting=backend,
                label="Are you applying to the internship?",
                help_text="We hire interns for this team too; tell us which you are applying for.",
                kind=Question.Kind.YES_NO,
                card_badge="Internship",
                required=True,
                position=0,
            )
            Question.objects.create(
                posting=backend,
                label="Will you now or in the future require visa sponsorship?",
                kind=Question.Kind.YES_NO,
                required=True,
                position=1,
            )
            self.seed_backend_plan(backend)
            Question.objects.create(
                posting=backend,
                label="Which team interests you most?",
                kind=Question.Kind.SINGLE_CHOICE,
                choices=["Core", "Monetization", "Either"],
                required=False,
                position=2,
            )
        for i, (title, team, locations, employment, workplace, salary) in enumerate(OTHER_POSTINGS):
            posting, created = Posting.objects.get_or_create(
                slug=slugify(title),
                defaults={
                    "title": title,
                    "summary": f"Join the {team} team as our next {title.lower()}.",
                    "employment_type": employment,
                    "workplace_type": workplace,
                    "salary_min": salary[0],
                    "salary_max": salary[1],
                    "salary_currency": salary[2],
                    "salary_period": salary[3],
                    "pay_transparency_note": PAY_NOTE if salary[2] == "USD" else "",
                    "status": Posting.Status.OPEN,
                    "published_at": published + timedelta(days=7 * (i + 1)),
                    "closes_at": timezone.now() + timedelta(days=INTERNSHIP_OPEN_DAYS)
                    if employment == Posting.EmploymentType.INTERNSHIP
                    else None,
                },
            )
            if created:
                posting.teams.set([self.team(team)])
                posting.locations.set([self.location(key) for key in locations])
                Section.objects.bulk_create(
                    [
                        Section(
                            posting=posting,
                            heading="About the role",
                            position=0,
                            body=f"As a {title.lower()} on the {team} team you will shape "
                            "how millions of people find inspiration.",
                        ),
                        Section(
                            posting=posting,
                            heading="What you bring",
                            position=1,
                            body="- Curiosity and care for the people who use what you "
                            "build\n- Clear writing and generous collaboration",
                        ),
                    ]
                )
        return backend

    def seed_users(self, backend):
        if not settings.DEBUG:
            return []
        User = get_user_model()
        users = []
        for username, role, first in (
            ("recruiter", Profile.Role.RECRUITER, "Riley"),
            ("manager", Profile.Role.HIRING_MANAGER, "Morgan"),
            ("interviewer", Profile.Role.INTERVIEWER, "Erin"),
        ):
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"email": f"{username}@example.com", "first_name": first},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            Profile.objects.get_or_create(user=user, defaults={"role": role})
            users.append(user)
        recruiter, manager, interviewer = users
        for posting in Posting.objects.filter(slug__in=["backend-engineer"]):
            posting.hiring_team.add(recruiter, manager)
        # Erin sits on every technical step; the recruiter runs the screen.
        for step in InterviewStep.objects.filter(stage__posting=backend):
            step.interviewers.add(recruiter if step.kind == "phone" else interviewer)
        return users

    def seed_backend_plan(self, backend):
        """The plan of BACKEND_PLAN in place of the default one the posting was given."""
        InterviewStep.objects.filter(stage__posting=backend).delete()
        stages = {stage.name: stage for stage in backend.stages.all()}
        for stage, name, kind, minutes, guidance, attributes in BACKEND_PLAN:
            interview_plan.save_step(
                step=InterviewStep(
                    stage=stages[stage],
                    name=name,
                    kind=kind,
                    duration_minutes=minutes,
                    guidance=guidance,
                ),
                attributes=attributes,
                interviewers=[],
            )

    def seed_demo_applications(self, backend):
        questions = list(backend.questions.all())
        for name, email, intern, skills in DEMO_APPLICANTS:
            if Candidate.objects.with_email(email).exists():
                continue
            upload = ContentFile(
                _demo_pdf(f"{name} - {skills}"), name=f"{slugify(name)}-resume.pdf"
            )
            answers = {
                questions[0]: intern,
                questions[1]: self.random.random() < 0.3,
            }
            services.submit_application(
                posting=backend,
                applicant=services.Applicant(name=name, email=email, location="San Francisco, CA"),
                answers=answers,
                resume=check_resume(upload),
                resume_file=upload,
                source=services.Source(utm_source=self.random.choice(SOURCES)),
            )

    def seed_demo_sourcing(self, backend, *, recruiter, referrer):
        """Priya, sourced by the recruiter from LinkedIn straight into the screen; Tomás,
        referred by Erin; a few tags. Through the services, without emailing either."""
        if not Candidate.objects.with_email("priya.natarajan@example.com").exists():
            sourcing.add_candidate(
                posting=backend,
                applicant=services.Applicant(
                    name="Priya Natarajan",
                    email="priya.natarajan@example.com",
                    links=["https://www.linkedin.com/in/priya-natarajan-demo"],
                ),
                stage=backend.stages.get(name="Screen"),
                source="sourced",
                sourced_by=recruiter,
                added_by=recruiter,
            )
        if not Candidate.objects.with_email("tomas.rivera@example.com").exists():
            upload = ContentFile(
                _demo_pdf("Tomás Rivera - Python, Django, payments"), name="tomas-rivera.pdf"
            )
            sourcing.refer(
                posting=backend,
                applicant=services.Applicant(name="Tomás Rivera", email="tomas.rivera@example.com"),
                referred_by=referrer,
                relationship="We built the payments service together at my last job.",
                resume=check_resume(upload),
                resume_file=upload,
            )
        for email, tags in (
            ("priya.natarajan@example.com", ["python", "open source"]),
            ("tomas.rivera@example.com", ["python", "payments"]),
            ("ada.moreno@example.com", ["python"]),
        ):
            candidate = Candidate.objects.with_email(email).first()
            for tag in tags if candidate else []:
                sourcing.add_tag(candidate=candidate, name=tag, by=recruiter)

    # --- Past applicants, for the reports ----------------------------------------------

    # The chance of moving on from each open stage of the default pipeline, and the days a
    # stay there lasts (from, to): who applied months ago is hired, rejected or withdrawn.
    HISTORY_STEPS = {
        "Applied": (0.6, (1, 6)),
        "Screen": (0.55, (2, 10)),
        "Interview": (0.5, (5, 20)),
        "Offer": (0.75, (2, 8)),
    }
    # Not Backend Engineer: its board is the demo's own six applicants, whom the tour (and the
    # browser tests) follow; its interviews and offers come from them.
    HISTORY_POSTINGS = ("data-scientist", "frontend-engineer")
    HISTORY_SOURCES = ["linkedin", "linkedin", "indeed", "referral", "", "careers", "agency"]
    HISTORY_COUNT = 90

    def seed_demo_history(self):
        """Ninety past applicants over the last five months, with their whole history
        (applied, screened, interviewed, offered, hired, or rejected or withdrawn on the way),
        so that every report has something to show: the funnel, the time in each stage, the
        time to hire, sources and a knock-out question (Data Scientist's work authorisation).
        Written directly, as history; no email goes out. Each posting gets as many openings
        more as it had past hires, so that none reads as filled by them. Once only."""
        if Candidate.objects.filter(email__startswith="history.").exists():
            return
        postings = list(Posting.objects.filter(slug__in=self.HISTORY_POSTINGS).order_by("pk"))
        if not postings:
            return
        scientist = next((p for p in postings if p.slug == "data-scientist"), None)
        authorised = None
        if scientist is not None:
            authorised, _ = Question.objects.get_or_create(
                posting=scientist,
                label="Are you authorised to work in the United States?",
                defaults={"kind": Question.Kind.YES_NO, "knockout_answer": "no", "position": 9},
            )
        now = timezone.now()
        with transaction.atomic():
            for i in range(self.HISTORY_COUNT):
                posting = postings[i % len(postings)]
                stages = {s.name: s for s in posting.stages.all()}
                at = now - timedelta(
                    days=self.random.randint(12, 150), hours=self.random.randint(0, 23)
                )
                path = [(stages["Applied"], at)]
                knocked_out = posting == scientist and self.random.random() < 0.2
                for name, after in pairwise([*self.HISTORY_STEPS, "Hired"]):
                    moves_on, (shortest, longest) = self.HISTORY_STEPS[name]
                    at += timedelta(
                        days=self.random.randint(shortest, longest), hours=self.random.randint(0, 8)
                    )
                    if at > now:
                        break  # still here
                    if knocked_out or self.random.random() >= moves_on:
                        withdrew = not knocked_out and self.random.random() < 0.2
                        exit = "Withdrawn" if withdrew else "Rejected"
                        path.append((stages[exit], at))
                        break
                    path.append((stages[after], at))
                candidate = Candidate.objects.create(
                    name=f"{self.random.choice(FIRST)} {self.random.choice(LAST)}",
                    email=f"history.{i}@example.com",
                )
                application = Application.objects.create(
                    candidate=candidate,
                    posting=posting,
                    stage=path[-1][0],
                    name=candidate.name,
                    submitted_at=path[0][1],
                    stage_changed_at=path[-1][1],
                    utm_source=self.random.choice(self.HISTORY_SOURCES),
                    knocked_out=knocked_out,
                    needs_review=knocked_out,
                )
                StageChange.objects.bulk_create(
                    StageChange(application=application, from_stage=before, to_stage=stage, at=when)
                    for before, (stage, when) in zip(
                        [None, *(stage for stage, _ in path)], path, strict=False
                    )
                )
                if authorised is not None and posting == scientist:
                    Answer.objects.create(
                        application=application, question=authorised, value_bool=not knocked_out
                    )
                if path[-1][0].kind == Stage.Kind.HIRED:
                    Posting.objects.filter(pk=posting.pk).update(openings=F("openings") + 1)

    def seed_demo_survey(self, backend):
        """Survey answers for the demo applicants, and 24 made-up applicants to Site
        Reliability Engineer whose first step passed 4 of 12 women and 9 of 12 men: the
        fairness report's one flagged transition. Their other groups are even or too small."""
        for (_, email, *_), answers in zip(DEMO_APPLICANTS, DEMO_SURVEY, strict=True):
            application = Application.objects.filter(candidate__email=email).first()
            if application:
                SurveyResponse.objects.get_or_create(
                    application=application,
                    defaults=dict(
                        zip(("gender", "race", "veteran", "disability"), answers, strict=True)
                    ),
                )
        sre = Posting.objects.filter(slug="site-reliability-engineer").first()
        if sre is None or Candidate.objects.filter(email="sre.applicant.0@example.com").exists():
            return
        applied, screen = sre.stages.get(kind=Stage.Kind.APPLIED), sre.stages.get(name="Screen")
        rejected = sre.stages.get(kind=Stage.Kind.REJECTED)
        now = timezone.now()
        with transaction.atomic():
            for i, (gender, race, moved) in enumerate(FAIRNESS_COHORT):
                candidate = Candidate.objects.create(
                    name=f"{FIRST[i % len(FIRST)]} {LAST[(i * 3) % len(LAST)]}",
                    email=f"sre.applicant.{i}@example.com",
                )
                submitted = now - timedelta(days=40 - i)
                decided = submitted + timedelta(days=3)
                application = Application.objects.create(
                    candidate=candidate,
                    posting=sre,
                    name=candidate.name,
                    stage=screen if moved else rejected,
                    submitted_at=submitted,
                    stage_changed_at=decided,
                )
                StageChange.objects.bulk_create(
                    [
                        StageChange(application=application, to_stage=applied, at=submitted),
                        StageChange(
                            application=application,
                            from_stage=applied,
                            to_stage=screen if moved else rejected,
                            at=decided,
                        ),
                    ]
                )
                SurveyResponse.objects.create(
                    application=application,
                    gender=gender,
                    race=race,
                    veteran="protected" if i % 8 == 0 else "not_protected",
                    disability="declined" if i % 6 == 0 else "no",
                )

    # --- Interviews and scorecards, written directly ------------------------------------
    # Until the seed schedules through the scheduling service (which also sends invitations),
    # these rows are written as that service would leave them: swap the Interview/seat
    # writes of demo_interview() for it, and keep the scorecards.

    def seed_demo_interviews(self, backend, recruiter, manager, interviewer):
        """Ada: technical interview held yesterday, Erin's scorecard in (strong yes), team
        interview tomorrow. Ben: recruiter screen held, scorecard still due. Chloé: technical
        interview the day after tomorrow. Dev: offered times to pick from on his status page.
        What lies ahead goes through the scheduling services (invitations in the outbox);
        what was held is history, which the services rightly refuse to schedule, so it is
        written directly. Once only."""
        if Interview.objects.filter(application__posting=backend).exists():
            return
        by_email = {
            a.candidate.email: a
            for a in Application.objects.filter(posting=backend).select_related("candidate")
        }
        steps = {s.name: s for s in InterviewStep.objects.filter(stage__posting=backend)}
        stages = {s.name: s for s in backend.stages.all()}
        names = ("ada.moreno", "ben.okafor", "chloe.martin", "dev.patel")
        people = [by_email.get(f"{name}@example.com") for name in names]
        if not all(people):
            return
        ada, ben, chloe, dev = people
        for application, stage in zip(
            people, ("Interview", "Screen", "Interview", "Interview"), strict=True
        ):
            services.move_application(
                application=application, to_stage=stages[stage], by=recruiter, notify=False
            )
        # Working days at 15:00 UTC, inside everyone's default working hours.
        today = timezone.now().replace(hour=15, minute=0, second=0, microsecond=0)
        workdays = [today + timedelta(days=n) for n in range(1, 10)]
        workdays = [day for day in workdays if day.weekday() < 5]
        past = [today - timedelta(days=n) for n in range(1, 10)]
        past = [day for day in past if day.weekday() < 5]

        held = self.held_interview(ada, steps["Technical interview"], [interviewer], past[0])
        self.demo_scorecard(
            held,
            interviewer,
            Recommendation.STRONG_YES,
            [Rating.STRONG_YES, Rating.YES, Rating.STRONG_YES],
            key_points="Designed the endpoint and its cache cleanly; tested the edge cases first.",
            concerns="Less experience with data processing at scale.",
        )
        self.held_interview(ben, steps["Recruiter screen"], [recruiter], past[0])
        video = "https://meet.example.com/backend"
        interview_services.schedule_interview(
            application=ada,
            step=steps["Team interview"],
            starts_at=workdays[0],
            interviewers=[interviewer, manager],
            video_url=video,
            by=recruiter,
        )
        interview_services.schedule_interview(
            application=chloe,
            step=steps["Technical interview"],
            starts_at=workdays[1] - timedelta(hours=2),
            interviewers=[interviewer],
            video_url=video,
            by=recruiter,
        )
        interview_services.offer_slots(
            application=dev,
            step=steps["Technical interview"],
            starts=[day + timedelta(hours=1) for day in workdays[1:4]],
            interviewers=[interviewer],
            video_url=video,
            by=recruiter,
        )

    def seed_demo_offers(self, backend, recruiter, manager):
        """Emi: an offer waiting for the hiring manager's approval. Farah: an offer approved,
        sent and accepted, so she is hired; each letter's PDF is stored from the moment it went
        for approval. Through the offer services, once only; without WeasyPrint's libraries
        (which make those PDFs) both offers stay drafts."""
        if Offer.objects.filter(application__posting=backend).exists():
            return
        by_email = {
            a.candidate.email: a
            for a in Application.objects.filter(posting=backend).select_related("candidate")
        }
        emi = by_email.get("emi.tanaka@example.com")
        farah = by_email.get("farah.haddad@example.com")
        if emi is None or farah is None:
            return
        stage = offer_policy.offer_stage(backend)
        today = timezone.localdate()
        for application, salary in ((emi, 182_000), (farah, 205_000)):
            services.move_application(
                application=application, to_stage=stage, by=recruiter, notify=False
            )
            offer_services.draft_offer(
                application=application,
                by=recruiter,
                terms={
                    "job_title": backend.title,
                    "base_salary": salary,
                    "salary_period": backend.salary_period,
                    "equity": "8,000 RSUs vesting over four years",
                    "bonus": "",
                    "start_date": today + timedelta(days=35),
                    "location": "San Francisco, CA",
                    "expires_on": today + timedelta(days=10),
                    "letter": offer_services.letter_wording(backend),
                    "justification": "",
                },
            )
        if not offer_pdf.available():
            self.stderr.write("WeasyPrint is not installed: the demo offers stay drafts.")
            return
        for application in (emi, farah):
            offer_services.submit_for_approval(
                offer=application.offers.get(), by=recruiter, approvers=[manager, recruiter]
            )
        farahs = farah.offers.get()
        offer_services.decide(offer=farahs, by=manager, approve=True, comment="Great loop.")
        offer_services.decide(offer=farahs, by=recruiter, approve=True)
        offer_services.send_offer(offer=farahs, by=recruiter)
        offer_services.accept_offer(offer=farahs, typed_name="Farah Haddad", ip="127.0.0.1")

    def held_interview(self, application, step, interviewers, starts_at):
        ends_at = starts_at + timedelta(minutes=step.duration_minutes)
        interview = Interview.objects.create(
            application=application,
            step=step,
            starts_at=starts_at,
            ends_at=ends_at,
            video_url="https://meet.example.com/backend" if step.kind == "video" else "",
        )
        InterviewerSeat.objects.bulk_create(
            InterviewerSeat(
                interview=interview, user=user, starts_at=starts_at, ends_at=ends_at, active=True
            )
            for user in interviewers
        )
        return interview

    def demo_scorecard(self, interview, interviewer, recommendation, ratings, **notes):
        card = Scorecard.objects.create(
            interview=interview,
            interviewer=interviewer,
            status=Scorecard.Status.SUBMITTED,
            recommendation=recommendation,
            submitted_at=interview.ends_at + timedelta(hours=1),
            **notes,
        )
        AttributeRating.objects.bulk_create(
            AttributeRating(scorecard=card, attribute=attribute, value=value)
            for attribute, value in zip(interview.step.attributes.all(), ratings, strict=False)
        )
        return card

    def synthetic_postings(self, count):
        teams = [self.team(name) for name in ("Core", "Monetization", "Infrastructure", "Design")]
        locations = [self.location(key) for key in LOCATIONS]
        start = Posting.objects.filter(slug__startswith="synthetic-").count()
        now = timezone.now()
        batch = []
        for i in tqdm(range(start, start + count), desc="postings", disable=not self.progress):
            title = (
                f"{self.random.choice(['Senior', 'Staff', 'Junior', ''])} "
                f"{self.random.choice(TITLES)} {i}".strip()
            )
            batch.append(
                Posting(
                    title=title,
                    slug=f"synthetic-{i}",
                    summary=f"A synthetic posting for load testing ({title}).",
                    employment_type=self.random.choice(Posting.EmploymentType.values),
                    workplace_type=self.random.choice(Posting.WorkplaceType.values),
                    salary_min=90_000,
                    salary_max=180_000,
                    status=Posting.Status.OPEN,
                    published_at=now - timedelta(days=self.random.randint(1, 300)),
                )
            )
        for posting in batch:
            posting.remember_salary()  # bulk_create calls no save()
        created = Posting.objects.bulk_create(batch, batch_size=500)
        # bulk_create sends no post_save, so these postings get their pipeline here.
        Stage.objects.bulk_create(
            [
                stage
                for p in created
                for stage in pipeline.default_stages(posting=p, stage_model=Stage)
            ],
            batch_size=1000,
        )
        Teams = Posting.teams.through
        Teams.objects.bulk_create(
            [Teams(posting_id=p.pk, team_id=self.random.choice(teams).pk) for p in created],
            batch_size=1000,
        )
        Through = Posting.locations.through
        Through.objects.bulk_create(
            [
                Through(posting_id=p.pk, location_id=self.random.choice(locations).pk)
                for p in created
            ],
            batch_size=1000,
        )
        Section.objects.bulk_create(
            [
                Section(posting=p, heading="About the role", body="Synthetic description.")
                for p in created
            ],
            batch_size=1000,
        )
        Question.objects.bulk_create(
            [
                Question(
                    posting=p,
                    label="Are you applying to the internship?",
                    kind=Question.Kind.YES_NO,
                    card_badge="Internship",
                )
                for p in created
            ],
            batch_size=1000,
        )

    def synthetic_applications(self, count, *, on=None):
        """Raw batched inserts: 100,000 applications in seconds on SQLite.

        The ORM's bulk_create spends most of its time compiling SQL for each object; here
        each table gets one executemany per batch, and ids are read back by email.
        """
        postings = Posting.objects.open().prefetch_related("questions")
        if on:
            postings = postings.filter(slug=on)
        postings = list(postings)
        if not postings:
            raise CommandError(f"No open posting {on!r}." if on else "No open postings.")
        pipelines = {p.pk: list(p.stages.all()) for p in postings}
        yes_no = {
            p.pk: [q.pk for q in p.questions.all() if q.kind == Question.Kind.YES_NO]
            for p in postings
        }
        weights = [50, 20, 10, 3, 1, 15, 1]
        offset = Candidate.objects.filter(email__startswith="synthetic.").count()
        now = timezone.now()
        adapt = connection.ops.adapt_datetimefield_value
        batch_size = 5000
        bar = tqdm(total=count, desc="applications", disable=not self.progress)
        done = 0
        while done < count:
            size = min(batch_size, count - done)
            emails = [f"synthetic.{offset + done + i}@example.com" for i in range(size)]
            with transaction.atomic(), connection.cursor() as cursor:
                _insert(
                    cursor,
                    Candidate,
                    ["name", "email", "phone", "location", "links", "created_at"],
                    [
                        (
                            f"{self.random.choice(FIRST)} {self.random.choice(LAST)}",
                            email,
                            "",
                            "",
                            "[]",
                            adapt(now),
                        )
                        for email in emails
                    ],
                )
                # In the order inserted: the draws below go to the same people every run.
                names = dict(
                    Candidate.objects.filter(email__in=emails)
                    .order_by("pk")
                    .values_list("pk", "name")
                )
                candidate_ids = list(names)
                rows, picks = [], []
                for candidate_id in candidate_ids:
                    posting = self.random.choice(postings)
                    stages = pipelines[posting.pk]
                    stage = self.random.choices(stages, weights=weights[: len(stages)])[0]
                    submitted = adapt(
                        now - timedelta(minutes=self.random.randint(1, 60 * 24 * 200))
                    )
                    picks.append((candidate_id, posting.pk, stage.pk, submitted))
                    rows.append(
                        (
                            candidate_id,
                            posting.pk,
                            stage.pk,
                            names[candidate_id],
                            "",
                            "",
                            "[]",
                            "",
                            new_status_token(),
                            submitted,
                            submitted,
                            False,
                            False,
                            self.random.choice(SOURCES),
                            "",
                            "",
                            "",
                        )
                    )
                _insert(
                    cursor,
                    Application,
                    [
                        "candidate_id",
                        "posting_id",
                        "stage_id",
                        "name",
                        "phone",
                        "location",
                        "links",
                        "cover_letter",
                        "status_token",
                        "submitted_at",
                        "stage_changed_at",
                        "needs_review",
                        "knocked_out",
                        "utm_source",
                        "utm_medium",
                        "utm_campaign",
                        "referrer",
                    ],
                    rows,
                )
                application_ids = dict(
                    Application.objects.filter(candidate_id__in=candidate_ids).values_list(
                        "candidate_id", "pk"
                    )
                )
                answers, changes = [], []
                for candidate_id, posting_id, stage_id, submitted in picks:
                    application_id = application_ids[candidate_id]
                    for question_id in yes_no[posting_id]:
                        answers.append((application_id, question_id, self.random.random() < 0.25))
                    changes.append((application_id, stage_id, submitted, ""))
                _insert(cursor, Answer, ["application_id", "question_id", "value_bool"], answers)
                _insert(
                    cursor, StageChange, ["application_id", "to_stage_id", "at", "reason"], changes
                )
                _insert(
                    cursor,
                    Resume,
                    [
                        "application_id",
                        "file",
                        "original_filename",
                        "content_type",
                        "size",
                        "sha256",
                        "text",
                        "text_status",
                        "uploaded_at",
                    ],
                    [
                        self.synthetic_resume(application_ids[candidate_id], names[candidate_id])
                        for candidate_id, *_ in picks
                    ],
                )
            done += size
            bar.update(size)
        bar.close()

    def synthetic_resume(self, application_id: int, name: str) -> tuple:
        """A Resume row's values: a made-up text to search (dashboard.synthetic_resumes), and
        no file behind it (its download is a 404, as for a file gone missing)."""
        text = resume_text(self.random, name)
        return (
            application_id,
            f"resumes/synthetic/{application_id}.pdf",
            "resume.pdf",
            "application/pdf",
            len(text),
            "0" * 64,
            text,
            Resume.TextStatus.COMPLETE,
            connection.ops.adapt_datetimefield_value(timezone.now()),
        )


def refresh_statistics() -> None:
    """Fresh statistics for the query planner after a bulk load: without them PostgreSQL
    sorts a whole pipeline stage to show its first cards, until autovacuum gets round to it.
    On PostgreSQL a VACUUM too, which marks the new rows' pages all-visible: until then an
    index-only scan (the board's counts) still visits every row in the table. VACUUM cannot
    run inside a transaction (as in a test), where ANALYZE alone is what can be had."""
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


def _insert(cursor, model, fields, rows):
    """INSERT rows into the model's table, one statement for the whole batch."""
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608  # nosec B608 # names from model meta
    cursor.executemany(sql, rows)


def _demo_pdf(text: str) -> bytes:
    return pdf_bytes_with_text(text)
