import hashlib
import re
import secrets
import uuid
from functools import reduce
from operator import or_

from django.conf import settings
from django.core import signing
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from applications import pipeline
from applications.privacy import privacy_notice
from postings.models import Posting, Question


def new_status_token() -> str:
    # 32 random bytes: 256 bits, URL-safe, 43 characters.
    return secrets.token_urlsafe(32)


# How long the emailed link to all of an address's applications works.
MANAGE_LINK_MAX_AGE = 24 * 3600
MANAGE_LINK_SALT = "applications.manage-link"


def _address_digest(email: str) -> str:
    # In the link instead of the address itself, which would then sit in logs and histories.
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def same_person_name(a: str, b: str) -> bool:
    """Names that differ only in case and spacing are the same name."""
    return a.casefold().split() == b.casefold().split()


def resume_upload_to(instance, filename: str) -> str:
    """Server-generated names: nothing the applicant typed reaches the filesystem."""
    extension = {"application/pdf": "pdf"}.get(instance.content_type, "docx")
    return f"resumes/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class CandidateQuerySet(models.QuerySet):
    def with_email(self, email: str):
        """The candidate with this address, ignoring case, through the unique index on
        LOWER(email) (an `iexact` lookup compiles to UPPER() and cannot use it)."""
        return (
            self.exclude(email="")  # the index's condition, so the planner may use it
            .alias(email_lower=Lower("email"))
            .filter(email_lower=email.strip().lower())
        )

    def for_manage_token(self, token: str):
        """The candidate an emailed manage link was made for, while it is fresh and the
        address unchanged (an erased candidate has none); None for anything else."""
        try:
            payload = signing.loads(token, salt=MANAGE_LINK_SALT, max_age=MANAGE_LINK_MAX_AGE)
            candidate_id, digest = int(payload["c"]), str(payload["a"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            return None
        candidate = self.filter(pk=candidate_id, erased_at__isnull=True).first()
        if candidate is None or not constant_time_compare(_address_digest(candidate.email), digest):
            return None
        return candidate


class Candidate(models.Model):
    """The person behind one email address (ignoring case), however many postings they apply to.

    An address proves nothing until its inbox answers, so the details here are those of the
    first application from it and no later submission overwrites them: each application keeps
    what it said itself (Application.name and the rest).
    """

    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254)
    phone = models.CharField(max_length=40, blank=True)
    location = models.CharField(max_length=200, blank=True)
    links = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    # Set when a recruiter merged this record into another one (services.merge_candidates):
    # the hiring team then sees one person. The address stays this record's own, and so do
    # its applications, status links and manage link: a merge is a recruiter's judgement,
    # never proof that one inbox speaks for the other.
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged"
    )
    merged_at = models.DateTimeField(null=True, blank=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        constraints = [
            # Erased candidates keep their row (for pipeline statistics) with an empty email.
            models.UniqueConstraint(
                Lower("email"), condition=~Q(email=""), name="candidate_email_ci_unique"
            ),
            models.CheckConstraint(
                condition=Q(erased_at__isnull=False) | ~Q(email=""),
                name="candidate_email_unless_erased",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("pk")), name="candidate_not_merged_into_itself"
            ),
        ]

    def __str__(self):
        return self.name or f"Erased candidate #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("dashboard:candidate", args=[self.merged_into_id or self.pk])

    def manage_token(self) -> str:
        return signing.dumps(
            {"c": self.pk, "a": _address_digest(self.email)}, salt=MANAGE_LINK_SALT, compress=True
        )

    def get_manage_url(self) -> str:
        """The page of every application from this address; only ever sent to the address."""
        return reverse("applications:manage", args=[self.manage_token()])

    @property
    def person(self) -> "Candidate":
        """The record the hiring team works with: the one this was merged into, or itself."""
        return self.merged_into if self.merged_into_id else self


class Stage(models.Model):
    """A step of one posting's pipeline."""

    Kind = pipeline.StageKind

    TERMINAL_KINDS = (Kind.HIRED, Kind.REJECTED, Kind.WITHDRAWN)

    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(max_length=60, help_text="What recruiters call this stage.")
    candidate_name = models.CharField(
        max_length=60, help_text="What the applicant sees on their status page and in email."
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ACTIVE)
    position = models.PositiveSmallIntegerField(default=0)
    notify_candidate = models.BooleanField(
        default=False, help_text="Email the applicant when they are moved here."
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            # As the forms compare them: "screen" and "Screen" are the same stage.
            models.UniqueConstraint(
                Lower("name"), "posting", name="stage_name_ci_unique_per_posting"
            ),
            # The entry stage and the two terminal exits exist once per pipeline.
            models.UniqueConstraint(
                fields=["posting", "kind"],
                condition=Q(kind__in=["applied", "rejected", "withdrawn"]),
                name="stage_special_kind_once_per_posting",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["applied", "active", "hired", "rejected", "withdrawn"]),
                name="stage_kind_valid",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_terminal(self) -> bool:
        return self.kind in self.TERMINAL_KINDS

    @property
    def tone(self) -> str:
        """The Bootstrap colour of this stage's badge on the applicant's status page."""
        if self.kind == self.Kind.HIRED:
            return "success"
        if self.kind in (self.Kind.REJECTED, self.Kind.WITHDRAWN):
            return "secondary"
        return "primary"


class Source(models.TextChoices):
    """Where an application came from, in the one vocabulary every staff page and export
    uses. Derived from the raw tracking values (`utm_source`, `referrer`), which stay stored as
    they came: a spelling added here later reclassifies old applications too."""

    LINKEDIN = "linkedin", "LinkedIn"
    INDEED = "indeed", "Indeed"
    REFERRAL = "referral", "Referral"
    # Added by the hiring team rather than through the apply form (sourcing.services).
    SOURCED = "sourced", "Sourced"
    AGENCY = "agency", "Agency"
    EVENT = "event", "Event"
    CAREERS_SITE = "careers-site", "Careers site"
    DIRECT = "direct", "Direct"
    OTHER = "other", "Other"


# Each pattern is read both by Python's re and by PostgreSQL's regular expressions (the board
# filter), so they keep to the syntax the two share; both match case-insensitively.
SOURCE_UTM_PATTERNS = {
    Source.LINKEDIN: r"^(linkedin|linked_in|linkedin\.com|li|lnkd)$",
    Source.INDEED: r"^(indeed|indeed\.com)$",
    Source.REFERRAL: r"^(referral|employee[_ -]?referral|refer)$",
    Source.CAREERS_SITE: (r"^(careers|careers[_ -]?(site|page)|website|company[_ -]?website)$"),
    Source.SOURCED: r"^sourced$",
    Source.AGENCY: r"^agency$",
    Source.EVENT: r"^event$",
}
# The sources a person added by the hiring team can have; stored as their utm_source, so the
# board's filter, the CSV and every count read them like any other source.
ADDED_SOURCES = (Source.SOURCED, Source.AGENCY, Source.EVENT, Source.REFERRAL)
# Only consulted when the link carried no utm_source: the host of the first external referrer.
SOURCE_REFERRER_PATTERNS = {
    Source.LINKEDIN: r"^https?://([^/?#]*\.)?(linkedin\.com|lnkd\.in)(:[0-9]+)?([/?#]|$)",
    Source.INDEED: r"^https?://([^/?#]*\.)?indeed\.(com|[a-z]{2}|co\.[a-z]{2}|com\.[a-z]{2})(:[0-9]+)?([/?#]|$)",
}


def source_of(utm_source: str, referrer: str) -> Source:
    """The vocabulary's name for raw tracking values; `ApplicationQuerySet.from_source` is
    its twin in SQL, built from the same patterns."""
    if utm_source:
        for source, pattern in SOURCE_UTM_PATTERNS.items():
            if re.search(pattern, utm_source, re.IGNORECASE):
                return source
        return Source.OTHER
    if referrer:
        for source, pattern in SOURCE_REFERRER_PATTERNS.items():
            if re.search(pattern, referrer, re.IGNORECASE):
                return source
        return Source.OTHER
    return Source.DIRECT


def _from_source_q(source: Source) -> Q:
    no_utm = Q(utm_source="")
    if source == Source.DIRECT:
        return no_utm & Q(referrer="")
    if source == Source.OTHER:
        known_utm = reduce(or_, (Q(utm_source__iregex=p) for p in SOURCE_UTM_PATTERNS.values()))
        known_referrer = reduce(
            or_, (Q(referrer__iregex=p) for p in SOURCE_REFERRER_PATTERNS.values())
        )
        return (~no_utm & ~known_utm) | (no_utm & ~Q(referrer="") & ~known_referrer)
    q = Q(utm_source__iregex=SOURCE_UTM_PATTERNS[source])
    if source in SOURCE_REFERRER_PATTERNS:
        q |= no_utm & Q(referrer__iregex=SOURCE_REFERRER_PATTERNS[source])
    return q


class ApplicationQuerySet(models.QuerySet):
    def from_source(self, source: Source):
        """Applications whose `Application.source_kind` is `source`, decided in SQL. Not a
        stored column: the board filters one posting's applications, which its index already
        narrows, and a derived value cannot drift from the raw values or miss an erasure."""
        return self.filter(_from_source_q(Source(source)))

    def with_source_key(self):
        """Each application's `Application.source_kind` value as `source_key`, decided in SQL,
        for reports that count by source in the database."""
        return self.annotate(
            source_key=models.Case(
                *(
                    models.When(_from_source_q(source), then=models.Value(source.value))
                    for source in Source
                ),
                default=models.Value(Source.OTHER.value),
                output_field=models.CharField(),
            )
        )

    def for_user(self, user):
        """Applications on the postings this staff user may see (see PostingQuerySet.for_user)."""
        return self.filter(posting__in=Posting.objects.for_user(user).values("pk"))

    def active(self):
        return self.filter(erased_at__isnull=True)

    def counted(self):
        """The applications a count on any staff page counts: every stage, rejected and
        withdrawn included, but not the erased, whose rows stay only for statistics."""
        return self.active()

    def stage_counts(self) -> dict[int, int]:
        """{stage id: how many counted applications are in it}, in one query. A posting's
        total is the sum over its stages: every page adds up these, so no two disagree.

        COUNT(*), not COUNT(id): with no column outside the (posting, stage) index of the
        counted applications, PostgreSQL counts a posting's from that index alone (an index-only
        scan) instead of reading every row of the posting."""
        return dict(self.stage_count_rows())

    def stage_count_rows(self):
        """The query behind stage_counts: (stage id, count) rows."""
        return (
            self.counted()
            .order_by()
            .values("stage_id")
            .annotate(n=models.Count("*"))
            .values_list("stage_id", "n")
        )


class Application(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="applications")
    posting = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="applications")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="applications")
    # What this submission said about the person. Never copied onto the candidate: whoever
    # types an address is not proven to own it.
    name = models.CharField(max_length=200, default="")
    phone = models.CharField(max_length=40, blank=True, default="")
    location = models.CharField(max_length=200, blank=True, default="")
    links = models.JSONField(default=list, blank=True)
    cover_letter = models.TextField(blank=True)
    status_token = models.CharField(max_length=64, unique=True, default=new_status_token)

    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    needs_review = models.BooleanField(
        default=False, help_text="A knock-out answer asks a person to look before anything else."
    )
    knocked_out = models.BooleanField(default=False)

    # Where the applicant came from.
    utm_source = models.CharField(max_length=100, blank=True)
    utm_medium = models.CharField(max_length=100, blank=True)
    utm_campaign = models.CharField(max_length=100, blank=True)
    referrer = models.URLField(max_length=500, blank=True)

    withdrawn_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    # When the applicant agreed to the privacy notice, and to which wording of it
    # (applications.privacy). Empty on applications stored before consent was recorded.
    # Erasure keeps both: they say nothing about the person, and they are the record that
    # the data erased was held with consent.
    consented_at = models.DateTimeField(null=True, blank=True)
    # A database default too, so that rows written by raw SQL (the demo seed) get "" as well.
    privacy_notice_version = models.CharField(max_length=20, blank=True, default="", db_default="")

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "posting"], name="application_once_per_posting"
            ),
            # A consent is a time and a wording, or not recorded at all.
            models.CheckConstraint(
                condition=Q(consented_at__isnull=True, privacy_notice_version="")
                | (Q(consented_at__isnull=False) & ~Q(privacy_notice_version="")),
                name="application_consent_whole_or_none",
            ),
        ]
        indexes = [
            # A column's cards in their order (CARD_ORDER), and under a search every match
            # numbered in it (dashboard.board), from the index alone.
            models.Index(
                fields=["posting", "stage", "-submitted_at", "-id"],
                condition=Q(erased_at__isnull=True),
                name="application_cards_idx",
            ),
            # The board's counts per stage (stage_counts): the counted applications only, and
            # only the columns the count reads, so that it is an index-only scan.
            models.Index(
                fields=["posting", "stage"],
                condition=Q(erased_at__isnull=True),
                name="application_counted_idx",
            ),
        ]

    def __str__(self):
        if self.erased_at:
            return f"Erased application #{self.pk}"
        return f"{self.name} → {self.posting}"

    def get_status_url(self):
        return reverse("applications:status", args=[self.status_token])

    def get_dashboard_url(self):
        """The candidate page, where the hiring team works on this application."""
        return reverse("dashboard:application", args=[self.posting_id, self.pk])

    # The pipeline's rules, for templates; services enforce the same functions.
    @property
    def can_move(self) -> bool:
        return pipeline.can_move(self)

    @property
    def can_withdraw(self) -> bool:
        return pipeline.can_withdraw(self)

    @property
    def can_reject(self) -> bool:
        return pipeline.can_reject(self)

    def can_move_to(self, stage) -> bool:
        return pipeline.can_move_to(self, stage)

    @property
    def candidate_stage(self) -> "Stage":
        """The stage the applicant sees (applications.pipeline.candidate_stage)."""
        return pipeline.candidate_stage(self)

    @property
    def candidate_steps(self) -> list:
        """The history the applicant sees (applications.pipeline.candidate_steps)."""
        return pipeline.candidate_steps(self)

    @property
    def display_name(self) -> str:
        """The name this application gave, as the hiring team sees it."""
        return self.name or f"Erased applicant #{self.pk}"

    def gives_same_name_as(self, name: str) -> bool:
        return same_person_name(self.name, name)

    @property
    def name_differs_from_candidate(self) -> bool:
        """This submission gives another name than the first application from its address:
        the same person renamed, or somebody else typing their address."""
        return bool(self.candidate.name) and not self.gives_same_name_as(self.candidate.name)

    @property
    def source_kind(self) -> Source:
        return source_of(self.utm_source, self.referrer)

    @property
    def source(self) -> str:
        """The source's name in the shared vocabulary, as staff pages and the CSV show it."""
        return self.source_kind.label

    @property
    def privacy_notice(self) -> str:
        """The wording this applicant agreed to; "" when no consent was recorded."""
        return privacy_notice(self.privacy_notice_version)


class Answer(models.Model):
    """One answer to one screening question, stored in the column of its type."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value_bool = models.BooleanField(null=True, blank=True)
    # NULL, not "", marks a column that is not this answer's type.
    value_text = models.TextField(null=True, blank=True)  # noqa: DJ001
    value_number = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    value_choices = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["question__position", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "question"], name="answer_once"),
        ]
        indexes = [models.Index(fields=["question", "value_bool"], name="answer_yes_no_filter_idx")]

    def __str__(self):
        return f"{self.question}: {self.display}"

    @classmethod
    def from_typed(cls, *, application, question, value):
        answer = cls(application=application, question=question)
        answer.value = value
        return answer

    @property
    def value(self):
        return typed_value(
            self.question.kind,
            self.value_bool,
            self.value_number,
            self.value_choices,
            self.value_text,
        )

    @value.setter
    def value(self, value):
        kind = self.question.kind
        if kind == Question.Kind.YES_NO:
            self.value_bool = value
        elif kind == Question.Kind.NUMBER:
            self.value_number = value
        elif kind in Question.CHOICE_KINDS:
            self.value_choices = [value] if isinstance(value, str) else list(value)
        else:
            self.value_text = value

    @property
    def display(self) -> str:
        return display_value(self.value)


# The columns of an answer, in the order typed_value takes them: what a read that builds no
# Answer objects (the CSV export) selects.
ANSWER_COLUMNS = ("value_bool", "value_number", "value_choices", "value_text")


def typed_value(kind, value_bool, value_number, value_choices, value_text):
    """An answer's value from the column its question's kind stores it in."""
    if kind == Question.Kind.YES_NO:
        return value_bool
    if kind == Question.Kind.NUMBER:
        return value_number
    if kind in Question.CHOICE_KINDS:
        choices = value_choices or []
        return choices[0] if kind == Question.Kind.SINGLE_CHOICE and choices else choices
    return value_text


def display_value(value) -> str:
    """An answer's value as a person reads it."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(value)
    return str(value.normalize() if hasattr(value, "normalize") else value)


class Resume(models.Model):
    class TextStatus(models.TextChoices):
        COMPLETE = "complete", "Complete"
        # Reading the file ran out of its time budget; the text is what was read until then.
        PARTIAL = "partial", "Partial"

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="resume")
    file = models.FileField(upload_to=resume_upload_to, max_length=200)
    original_filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    text = models.TextField(blank=True, help_text="Extracted for search.")
    text_status = models.CharField(
        max_length=10, choices=TextStatus.choices, default=TextStatus.COMPLETE
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    content_type__in=[
                        "application/pdf",
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    ]
                ),
                name="resume_pdf_or_docx",
            ),
            models.CheckConstraint(
                condition=Q(size__lte=10 * 1024 * 1024), name="resume_at_most_10mb"
            ),
            models.CheckConstraint(
                condition=Q(text_status__in=["complete", "partial"]),
                name="resume_text_status_valid",
            ),
        ]

    def __str__(self):
        return self.original_filename


class RejectionReasonQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class RejectionReason(models.Model):
    """Why an application was rejected, from a short list recruiters keep, so that every
    rejection gives one and the reasons can be counted. A reason no longer wanted is made
    inactive rather than deleted: past rejections keep it."""

    label = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True, help_text="Offered when rejecting.")

    objects = RejectionReasonQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(Lower("label"), name="rejection_reason_label_unique"),
        ]

    def __str__(self):
        return self.label


class StageChange(models.Model):
    """The pipeline history of an application."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=500, blank=True)
    # Set on a move into the rejected stage only.
    rejection_reason = models.ForeignKey(
        RejectionReason, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]
        get_latest_by = "at"
        indexes = [models.Index(fields=["-at"], name="stage_change_recent_idx")]

    def __str__(self):
        return f"{self.from_stage} → {self.to_stage}"
