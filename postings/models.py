from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_text_list

from postings import money
from postings.cache import CareersQuerySet
from postings.money import validate_currency


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    objects = CareersQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Location(models.Model):
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=100, blank=True, help_text="State or province.")
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code, e.g. US.")
    remote = models.BooleanField(
        default=False, help_text="Remote within the country (or region) rather than an office."
    )

    objects = CareersQuerySet.as_manager()

    class Meta:
        ordering = ["country", "region", "city"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "region", "country", "remote"], name="location_unique"
            ),
            models.CheckConstraint(
                condition=Q(country__regex=r"^[A-Z]{2}$"), name="location_country_iso2"
            ),
            models.CheckConstraint(
                condition=Q(remote=True) | ~Q(city=""), name="location_office_has_city"
            ),
        ]

    def __str__(self):
        place = ", ".join(part for part in (self.city, self.region, self.country) if part)
        return f"Remote ({place})" if self.remote else place


class PostingStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class EmploymentType(models.TextChoices):
    FULL_TIME = "full_time", "Full-time"
    PART_TIME = "part_time", "Part-time"
    CONTRACT = "contract", "Contract"
    TEMPORARY = "temporary", "Temporary"
    INTERNSHIP = "internship", "Internship"


class WorkplaceType(models.TextChoices):
    ON_SITE = "on_site", "On-site"
    HYBRID = "hybrid", "Hybrid"
    REMOTE = "remote", "Remote"


class SalaryPeriod(models.TextChoices):
    YEAR = "year", "per year"
    MONTH = "month", "per month"
    HOUR = "hour", "per hour"


# Hires are the applications in a posting's stage of kind "hired". Stages and applications
# belong to applications/, which builds on postings, so this app names their reverse relations
# and that kind's value rather than importing them (tests/postings pin that they agree).
HIRED_KIND = "hired"
HIRES = Count("applications", filter=Q(applications__stage__kind=HIRED_KIND), distinct=True)


class PostingQuerySet(CareersQuerySet):
    def with_hires(self):
        """Each posting with `hires_count` in the same query, for `hires` and `is_filled`."""
        return self.annotate(hires_count=HIRES)

    def filled(self):
        """Postings with as many hires as openings, or more."""
        return self.with_hires().filter(hires_count__gte=models.F("openings"))

    def awaiting_wrap_up(self):
        """Open postings whose openings are all filled and whose recruiters have not yet
        answered whether to close them at the hires they have (a hire beyond asks again)."""
        return (
            self.filled()
            .filter(status=Posting.Status.OPEN)
            .filter(
                Q(fill_answered_at_hires__isnull=True)
                | Q(hires_count__gt=models.F("fill_answered_at_hires"))
            )
        )

    def open(self):
        """Postings an applicant can see and apply to right now."""
        now = timezone.now()
        return self.filter(
            Q(closes_at__isnull=True) | Q(closes_at__gt=now),
            status=Posting.Status.OPEN,
            published_at__lte=now,
        )

    def for_user(self, user):
        """The postings a staff user may see: recruiters and superusers see every posting,
        hiring managers only those whose hiring team includes them, anyone else (interviewers
        included) none."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        profile = getattr(user, "profile", None)
        if profile is None:
            return self.none()
        if profile.is_recruiter:
            return self
        if profile.is_interviewer:
            # Interviewers reach the applications they interview through interviews/, and
            # nothing else: no board, no posting, no other candidate.
            return self.none()
        return self.filter(hiring_team=user)

    def for_listing(self):
        return self.prefetch_related("teams", "locations")

    def next_change_at(self):
        """When the set of open postings next changes by itself: the earliest closing date of
        an open posting, or publication date of a scheduled one, still to come (or None)."""
        now = timezone.now()
        moments = self.filter(status=Posting.Status.OPEN).aggregate(
            closes=models.Min("closes_at", filter=Q(closes_at__gt=now)),
            opens=models.Min("published_at", filter=Q(published_at__gt=now)),
        )
        return min((m for m in moments.values() if m is not None), default=None)

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        query = Q()
        for word in text.split()[:8]:
            query &= (
                Q(title__icontains=word)
                | Q(teams__name__icontains=word)
                | Q(locations__city__icontains=word)
                | Q(sections__body__icontains=word)
            )
        # Joins through locations and sections repeat rows; filter on ids to stay distinct.
        return self.filter(pk__in=Posting.objects.filter(query).values("pk"))


class Posting(models.Model):
    Status = PostingStatus
    EmploymentType = EmploymentType
    WorkplaceType = WorkplaceType
    SalaryPeriod = SalaryPeriod

    # schema.org employmentType values, by our choice.
    SCHEMA_EMPLOYMENT_TYPES = {
        "full_time": "FULL_TIME",
        "part_time": "PART_TIME",
        "contract": "CONTRACTOR",
        "temporary": "TEMPORARY",
        "internship": "INTERN",
    }
    SCHEMA_SALARY_UNITS = {"year": "YEAR", "month": "MONTH", "hour": "HOUR"}

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    # One or more: a role can be hired for by several teams at once. The forms require one;
    # a team that still has postings cannot be deleted from the admin (see TeamAdmin).
    teams = models.ManyToManyField(Team, related_name="postings")
    locations = models.ManyToManyField(Location, related_name="postings", blank=True)
    hiring_team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="hiring_postings",
        blank=True,
        help_text="Recruiters and hiring managers who work this posting and hear of new "
        "applications.",
    )
    employment_type = models.CharField(
        max_length=20, choices=EmploymentType.choices, default=EmploymentType.FULL_TIME
    )
    workplace_type = models.CharField(
        max_length=20, choices=WorkplaceType.choices, default=WorkplaceType.ON_SITE
    )
    summary = models.CharField(
        max_length=300, blank=True, help_text="One or two sentences shown on the careers page."
    )

    salary_min = models.PositiveIntegerField(null=True, blank=True)
    salary_max = models.PositiveIntegerField(null=True, blank=True)
    salary_currency = models.CharField(
        max_length=3,
        default="USD",
        validators=[validate_currency],
        help_text="ISO 4217 code of a currency in use, e.g. USD, EUR, GBP.",
    )
    salary_period = models.CharField(
        max_length=10, choices=SalaryPeriod.choices, default=SalaryPeriod.YEAR
    )
    # The salary as salary_display writes it, with what it was written from. Writing it
    # reads Babel's locale data, about 5 MB in each process that loads it: done when the
    # posting is saved, rather than in every web worker that shows a posting.
    salary_shown = models.JSONField(default=dict, blank=True, editable=False)
    pay_transparency_note = models.TextField(
        blank=True, help_text="Who the range applies to and what it depends on."
    )
    equity = models.BooleanField(default=False, help_text="Equity is offered.")
    relocation_assistance = models.BooleanField(default=False)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)

    auto_reject_knockouts = models.BooleanField(
        default=False,
        help_text="Reject applications whose answers hit a knock-out automatically "
        "(the rejection email still waits for the delay below).",
    )
    rejection_email_delay_hours = models.PositiveSmallIntegerField(
        default=48, help_text="How long after a rejection its email goes out."
    )

    openings = models.PositiveSmallIntegerField(
        default=1,
        help_text="How many people this posting hires. Once as many are hired, you are asked "
        "whether to close it.",
    )
    # The hires the posting had when a recruiter last answered whether to close it once filled
    # (closing it, or keeping it open): the question is not asked again, even after a reopening,
    # until a hire beyond them. Null while never answered.
    fill_answered_at_hires = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PostingQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "title"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="posting_open_listing_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_min__lte=models.F("salary_max")),
                name="posting_salary_min_lte_max",
            ),
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True, salary_max__isnull=True)
                | Q(salary_min__isnull=False, salary_max__isnull=False),
                name="posting_salary_range_complete",
            ),
            models.CheckConstraint(
                condition=Q(salary_currency__regex=r"^[A-Z]{3}$"),
                name="posting_salary_currency_iso",
            ),
            models.CheckConstraint(
                condition=Q(status__in=PostingStatus.values), name="posting_status_valid"
            ),
            models.CheckConstraint(condition=Q(openings__gte=1), name="posting_openings_min_1"),
            models.CheckConstraint(
                condition=Q(employment_type__in=EmploymentType.values),
                name="posting_employment_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(workplace_type__in=WorkplaceType.values),
                name="posting_workplace_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(salary_period__in=SalaryPeriod.values),
                name="posting_salary_period_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="open") | Q(published_at__isnull=False),
                name="posting_open_is_published",
            ),
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True)
                | Q(published_at__isnull=True)
                | Q(closes_at__gt=models.F("published_at")),
                name="posting_closes_after_published",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or set(update_fields) & set(money.SALARY_FIELDS):
            self.remember_salary()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "salary_shown"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("postings:detail", args=[self.slug])

    def clean(self):
        if (self.salary_min is None) != (self.salary_max is None):
            # Keyed to the missing end, so a form shows it beside the empty box.
            missing = "salary_min" if self.salary_min is None else "salary_max"
            raise ValidationError({missing: "Give both ends of the salary range, or neither."})
        if self.salary_min is not None and self.salary_min > self.salary_max:
            raise ValidationError({"salary_max": "The maximum must be at least the minimum."})
        if self.closes_at and self.published_at and self.closes_at <= self.published_at:
            raise ValidationError({"closes_at": "A posting must close after it is published."})

    @property
    def is_open(self) -> bool:
        now = timezone.now()
        return (
            self.status == self.Status.OPEN
            and self.published_at is not None
            and self.published_at <= now
            and (self.closes_at is None or self.closes_at > now)
        )

    @property
    def is_closed(self) -> bool:
        """Closed to applicants: closed by a recruiter, or past its closing date."""
        if self.status == self.Status.CLOSED:
            return True
        return self.status == self.Status.OPEN and bool(
            self.closes_at and self.closes_at <= timezone.now()
        )

    @property
    def hires(self) -> int:
        """How many applicants are hired: read from `with_hires()` when the list annotated it,
        or else counted here (one query)."""
        if not hasattr(self, "hires_count"):
            # Through the posting's own hired stages: a walk of the (posting, stage) index over
            # the hired, where a join on the stage's kind may read every application.
            hired = self.stages.filter(kind=HIRED_KIND).values("pk")
            self.hires_count = self.applications.filter(stage__in=hired).count()
        return self.hires_count

    @property
    def is_filled(self) -> bool:
        return self.hires >= self.openings

    @property
    def openings_left(self) -> int:
        return max(0, self.openings - self.hires)

    @property
    def awaits_wrap_up(self) -> bool:
        """Filled and still open, and nobody has yet chosen what to do about it: the board
        and the posting's pages ask whether to close it (awaiting_wrap_up() in a list)."""
        return (
            self.status == self.Status.OPEN
            and self.is_filled
            and (self.fill_answered_at_hires is None or self.hires > self.fill_answered_at_hires)
        )

    @property
    def salary_display(self) -> str:
        """The range as people read it: "$118,938 – $244,872 USD per year".

        As written when the posting was saved (salary_shown), while that was written from
        what the posting holds now; otherwise written afresh."""
        shown = self.salary_shown or {}
        if shown.get("from") == money.salary_source(self):
            return shown["text"]
        return money.salary_text(self)

    def remember_salary(self) -> None:
        """Write the salary as salary_display shows it into salary_shown (save() does; so
        must whatever creates postings without it, as bulk_create)."""
        self.salary_shown = money.remembered_salary(self)

    @property
    def team_display(self) -> str:
        """The teams as a sentence reads them: "Core and Monetization"."""
        return get_text_list([team.name for team in self.teams.all()], "and")

    @property
    def location_display(self) -> str:
        return " · ".join(str(location) for location in self.locations.all())


class Section(models.Model):
    """A titled part of a posting's description, written in Markdown."""

    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="sections")
    heading = models.CharField(max_length=100)
    body = models.TextField(help_text="Markdown: paragraphs, lists, links, emphasis.")
    position = models.PositiveSmallIntegerField(default=0)

    objects = CareersQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.heading


class Question(models.Model):
    """A screening question on a posting's application form."""

    class Kind(models.TextChoices):
        YES_NO = "yes_no", "Yes / no"
        SHORT_TEXT = "short_text", "Short text"
        LONG_TEXT = "long_text", "Long text"
        SINGLE_CHOICE = "single_choice", "Single choice"
        MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
        NUMBER = "number", "Number"
        URL = "url", "URL"

    CHOICE_KINDS = (Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE)
    KNOCKOUT_KINDS = (Kind.YES_NO, Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE)
    SHORT_TEXT_MAX = 300
    LONG_TEXT_MAX = 5000

    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(max_length=300)
    help_text = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.YES_NO)
    required = models.BooleanField(default=True)
    choices = models.JSONField(
        default=list, blank=True, help_text="Options for choice questions, one string each."
    )
    knockout_answer = models.CharField(
        max_length=200,
        blank=True,
        help_text='An answer that flags the application for review: "yes" or "no" for a '
        "yes/no question, or one of the choices.",
    )
    card_badge = models.CharField(
        max_length=30,
        blank=True,
        help_text='Yes/no questions only: a short label (e.g. "Internship") shown on the '
        "pipeline board's cards of applicants who answered yes.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = CareersQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(card_badge="") | Q(kind="yes_no"),
                name="question_badge_needs_yes_no",
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "yes_no",
                        "short_text",
                        "long_text",
                        "single_choice",
                        "multiple_choice",
                        "number",
                        "url",
                    ]
                ),
                name="question_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(knockout_answer="")
                | Q(kind__in=["yes_no", "single_choice", "multiple_choice"]),
                name="question_knockout_needs_closed_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind="yes_no") | Q(knockout_answer__in=["", "yes", "no"]),
                name="question_yes_no_knockout_valid",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def field_name(self) -> str:
        return f"question_{self.pk}"

    def clean(self):
        errors = {}
        if self.kind in self.CHOICE_KINDS:
            if (
                not isinstance(self.choices, list)
                or len(self.choices) < 2
                or not all(isinstance(c, str) and c.strip() for c in self.choices)
            ):
                errors["choices"] = "A choice question needs at least two non-empty options."
            elif len(set(self.choices)) != len(self.choices):
                errors["choices"] = "Options must differ from each other."
        elif self.choices:
            errors["choices"] = "Only choice questions have options."
        if self.card_badge and self.kind != self.Kind.YES_NO:
            errors["card_badge"] = "Only yes/no questions can put a badge on cards."
        if self.knockout_answer:
            if self.kind not in self.KNOCKOUT_KINDS:
                errors["knockout_answer"] = "Only yes/no and choice questions can knock out."
            elif self.kind == self.Kind.YES_NO and self.knockout_answer not in ("yes", "no"):
                errors["knockout_answer"] = 'Use "yes" or "no".'
            elif self.kind in self.CHOICE_KINDS and self.knockout_answer not in self.choices:
                errors["knockout_answer"] = "The knock-out answer must be one of the options."
        if errors:
            raise ValidationError(errors)

    def clean_answer(self, value):
        """Turn a submitted value into this question's typed answer, or raise ValidationError.

        Returns None for an optional question left blank.
        """
        empty = value in (None, "", [], ())
        if empty:
            if self.required:
                raise ValidationError("Please answer this question.")
            return None
        match self.kind:
            case self.Kind.YES_NO:
                if value in (True, "yes", "true", "True", "on"):
                    return True
                if value in (False, "no", "false", "False"):
                    return False
                raise ValidationError("Choose yes or no.")
            case self.Kind.SHORT_TEXT | self.Kind.LONG_TEXT:
                text = str(value).strip()
                limit = (
                    self.SHORT_TEXT_MAX if self.kind == self.Kind.SHORT_TEXT else self.LONG_TEXT_MAX
                )
                if len(text) > limit:
                    raise ValidationError(f"Keep this under {limit:,} characters.")
                if "\x00" in text:
                    raise ValidationError("This answer contains characters we cannot store.")
                return text
            case self.Kind.NUMBER:
                try:
                    number = Decimal(str(value).strip())
                except InvalidOperation:
                    raise ValidationError("Enter a number.") from None
                if not number.is_finite() or abs(number) >= Decimal("1e12"):
                    raise ValidationError("Enter a number.")
                return number
            case self.Kind.URL:
                text = str(value).strip()
                try:
                    URLValidator(schemes=["http", "https"])(text)
                except ValidationError:
                    raise ValidationError(
                        "Enter a full web address starting with https://."
                    ) from None
                return text
            case self.Kind.SINGLE_CHOICE:
                if value not in self.choices:
                    raise ValidationError("Choose one of the options.")
                return value
            case self.Kind.MULTIPLE_CHOICE:
                values = [value] if isinstance(value, str) else list(value)
                if any(v not in self.choices for v in values):
                    raise ValidationError("Choose from the options given.")
                return [c for c in self.choices if c in values]
        raise ValidationError("Unknown question type.")

    def is_knockout(self, typed_value) -> bool:
        if not self.knockout_answer or typed_value is None:
            return False
        if self.kind == self.Kind.YES_NO:
            return typed_value == (self.knockout_answer == "yes")
        if self.kind == self.Kind.SINGLE_CHOICE:
            return typed_value == self.knockout_answer
        if self.kind == self.Kind.MULTIPLE_CHOICE:
            return self.knockout_answer in typed_value
        return False
