"""The email a note causes: each teammate it mentions hears of it, once."""

from django.conf import settings

from notifications.models import OutboxEmail
from notifications.services import queue_email


def queue_mention(note, user):
    application = note.application
    author = note.author
    return queue_email(
        key=f"note:{note.pk}:mention:user:{user.pk}",
        kind=OutboxEmail.Kind.MENTION,
        to=user.email,
        template="mention",
        context={
            "note": note,
            "author_name": (author.get_full_name() or author.get_username())
            if author
            else "A teammate",
            "user": user,
            "application": application,
            "candidate": application.candidate,
            "posting": application.posting,
            "dashboard_url": settings.SITE_URL + application.get_dashboard_url(),
        },
        # Tied to the application, so erasing the applicant erases the email too.
        application=application,
    )
