"""How people reach a pipeline besides the apply form, and the words the team files them under.

Its own app rather than part of applications: an origin and a tag are the hiring team's
records about an application or a person, never the applicant's own, and nothing the
applicant sees (status page, manage link, export) reads them. applications stays the one
owner of Candidate and Application and knows nothing of this app; it tells it of merges and
erasures through its signals.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from applications.models import ADDED_SOURCES, Application, Candidate


class OriginQuerySet(models.QuerySet):
    def referrals_by(self, user):
        return self.filter(source="referral", by=user)


class Origin(models.Model):
    """Who brought an application in when it did not come through the apply form: a
    recruiter's sourcing, an agency, an event, or a colleague's referral."""

    SOURCES = [(source.value, source.label) for source in ADDED_SOURCES]

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="origin")
    source = models.CharField(max_length=20, choices=SOURCES)
    # Sourced by, or referred by: the colleague the team thanks or asks.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Who typed it in, when that is someone else (a recruiter entering an agency's candidate).
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # A referral: how the referrer knows the person; and a profile link instead of a resume.
    relationship = models.CharField(max_length=500, blank=True)
    link = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OriginQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=[s.value for s in ADDED_SOURCES]),
                name="origin_source_valid",
            ),
        ]
        indexes = [models.Index(fields=["by", "-created_at"], name="origin_my_referrals_idx")]

    def __str__(self):
        return f"{self.get_source_display()}: {self.application}"

    @property
    def is_referral(self) -> bool:
        return self.source == "referral"


class Tag(models.Model):
    """A word the team files candidates under ("python", "returning"), made on first use."""

    NAME_MAX = 40

    name = models.CharField(max_length=NAME_MAX)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="tag_name_ci_unique"),
            models.CheckConstraint(condition=~Q(name=""), name="tag_name_not_empty"),
        ]

    def __str__(self):
        return self.name


class CandidateTag(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="tag_links")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="candidate_links")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["tag__name"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "tag"], name="candidate_tag_once"),
        ]
        indexes = [models.Index(fields=["tag", "candidate"], name="candidate_tag_filter_idx")]

    def __str__(self):
        return f"{self.tag} on {self.candidate_id}"
