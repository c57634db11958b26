"""Who may see what of an application's interviews: the one place views and templates ask.

Independent feedback: an interviewer forms their view before reading anyone else's. So an
interviewer sees the other interviewers' scorecards for an application only once they have
submitted their own for it (and owe none for an interview already held). The people who
decide (recruiters, superusers, the posting's hiring team) see every submitted scorecard.
Drafts are nobody's but their author's.
"""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from applications.models import Application
from interviews import scorecards
from interviews.models import AttributeRating, Interview, InterviewerSeat, Scorecard


@dataclass
class Writing:
    """What the user may do with their own scorecard of one interview, for the form."""

    seated: bool
    scorecard: Scorecard | None
    # Why the interview takes no feedback now ("" when it does).
    refusal: str

    @property
    def drafting(self) -> bool:
        return self.seated and not self.refusal and not self.submitted

    @property
    def submitted(self) -> bool:
        return self.scorecard is not None and self.scorecard.is_submitted

    @property
    def editing(self) -> bool:
        return self.seated and self.submitted and scorecards.in_edit_window(self.scorecard)

    @property
    def amending(self) -> bool:
        return self.seated and self.submitted and not self.editing

    @property
    def edit_until(self):
        return self.scorecard.submitted_at + scorecards.edit_window() if self.editing else None


class FeedbackPolicy:
    """Answers for one staff user; remembers each answer for the request."""

    def __init__(self, user):
        self.user = user
        self._decides: dict[int, bool] = {}
        self._sees_others: dict[int, bool] = {}

    def decides(self, application: Application) -> bool:
        """Recruiters, superusers and the posting's hiring team: everything in their scope."""
        if application.pk not in self._decides:
            self._decides[application.pk] = (
                Application.objects.for_user(self.user).filter(pk=application.pk).exists()
            )
        return self._decides[application.pk]

    def sees_private_notes(self, application: Application) -> bool:
        return self.decides(application)

    def writing(self, interview: Interview) -> Writing:
        seated = InterviewerSeat.objects.filter(interview=interview, user=self.user).exists()
        scorecard = (
            Scorecard.objects.filter(interview=interview, interviewer=self.user)
            .prefetch_related("ratings")
            .first()
            if seated
            else None
        )
        return Writing(
            seated=seated,
            scorecard=scorecard,
            refusal=scorecards.feedback_refusal(interview) if seated else "",
        )

    def sees_others_feedback(self, application: Application) -> bool:
        if application.pk not in self._sees_others:
            self._sees_others[application.pk] = self._sees_others_feedback(application)
        return self._sees_others[application.pk]

    def _sees_others_feedback(self, application: Application) -> bool:
        if self.decides(application):
            return True
        mine = Scorecard.objects.submitted().filter(
            interview__application=application, interviewer=self.user
        )
        owed = (
            InterviewerSeat.objects.filter(
                user=self.user,
                interview__application=application,
                interview__status=Interview.Status.SCHEDULED,
                interview__starts_at__lte=timezone.now(),
            )
            .exclude(interview__scorecards__in=mine)
            .exists()
        )
        return mine.exists() and not owed

    def others_feedback(self, application: Application) -> list[Scorecard]:
        """The submitted scorecards of the others on this application that the user may read:
        all of them, or none."""
        if not self.sees_others_feedback(application):
            return []
        return list(
            Scorecard.objects.submitted()
            .filter(interview__application=application)
            .exclude(interviewer=self.user)
            .select_related("interviewer", "interview__step")
            .prefetch_related(
                Prefetch("ratings", AttributeRating.objects.select_related("attribute")),
                "amendments__author",
            )
            .order_by("interview__starts_at", "submitted_at", "pk")
        )
