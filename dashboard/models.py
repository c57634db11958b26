from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from applications.models import Application


class NoteQuerySet(models.QuerySet):
    def for_user(self, user):
        """Notes on the applications this staff user may see."""
        return self.filter(application__in=Application.objects.for_user(user).values("pk"))


class Note(models.Model):
    """A teammate's note on an application; @username mentions email the people named."""

    BODY_MAX = 5000

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    # A note outlives its author's account: the words still matter to the team.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="notes"
    )
    body = models.TextField(max_length=BODY_MAX)
    created_at = models.DateTimeField(default=timezone.now)
    # Private notes are for recruiters and the hiring team; interviewers never see them.
    private = models.BooleanField(default=False)
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="mentioned_in_notes", blank=True
    )

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["application", "-created_at"], name="note_timeline_idx"),
            models.Index(fields=["-created_at"], name="note_recent_activity_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="note_body_not_empty"),
        ]

    def __str__(self):
        return f"Note by {self.author} on {self.application}"
