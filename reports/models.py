"""What applicants said about themselves in the voluntary self-identification survey, and
which adverse-impact flags recruiters have been told of.

Kept in this app, apart from the application: nothing the hiring team reads (boards,
candidate pages, exports, emails) imports it, and the link back to the application has no
reverse accessor, so no template can reach it from an application. Only the aggregate
reports (reports.fairness) read it, and only as counts.
"""

from django.db import models
from django.db.models import Q

from applications.models import Application
from postings.models import Posting
from reports.survey import QUESTIONS


def _valid(key: str) -> Q:
    # "" is a question not asked, or left unanswered.
    return Q(**{f"{key}__in": ["", *sorted(QUESTIONS[key].values)]})


class SurveyResponse(models.Model):
    # No reverse accessor ("+"): an application cannot lead to its answers.
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="+")
    gender = models.CharField(max_length=20, blank=True, default="")
    race = models.CharField(max_length=20, blank=True, default="")
    veteran = models.CharField(max_length=20, blank=True, default="")
    disability = models.CharField(max_length=20, blank=True, default="")
    answered_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=_valid(key), name=f"survey_{key}_valid")
            for key in QUESTIONS
        ]

    def __str__(self):
        return f"Self-identification #{self.pk}"

    def answers(self) -> dict[str, str]:
        """{question key: stored value} of the questions answered."""
        return {key: getattr(self, key) for key in QUESTIONS if getattr(self, key)}


class ReportedFlag(models.Model):
    """An adverse-impact flag already emailed to recruiters, so the weekly email tells only
    of new ones. A flag that clears and later returns is not told again."""

    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="+")
    # "stage:<from stage id>:<to stage id>" or "question:<question id>"
    step = models.CharField(max_length=60)
    characteristic = models.CharField(max_length=20)
    group = models.CharField(max_length=20)
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["posting", "step", "characteristic", "group"], name="flag_reported_once"
            )
        ]

    def __str__(self):
        return f"{self.posting_id} {self.step} {self.characteristic}={self.group}"
