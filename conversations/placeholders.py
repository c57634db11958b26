"""The placeholders a recruiter may use in candidate emails, and their values.

This is the whole vocabulary: wording is filled by notifications.wording, which replaces only
these names and treats anything else as text, so no wording can reach further into the data.
Email-specific values (a stage, an interview's time, an offer link) are added by the email
that uses them; see conversations.email_templates.
"""

from django.conf import settings
from django.urls import reverse

# name: what it becomes (listed beside every editor)
BASE_PLACEHOLDERS = {
    "candidate.first_name": "The candidate's first name, as they gave it",
    "candidate.name": "The candidate's full name, as they gave it",
    "posting.title": "The job title of the posting",
    "company.name": "Your company's name",
    "status_link": "The candidate's private status page",
    "sender.name": "The name of the person sending the email",
    "careers_link": "Your careers site's list of open roles",
}

# Placeholders whose values are links the system made: clickable in the HTML part.
LINKS = frozenset({"status_link", "careers_link"})


def first_name(full_name: str) -> str:
    parts = full_name.split()
    return parts[0] if parts else ""


def base_values(application, *, sender=None) -> dict[str, str]:
    """The base placeholders for one application (its posting and candidate loaded)."""
    sender_name = ""
    if sender is not None:
        sender_name = sender.get_full_name() or sender.get_username()
    return {
        "candidate.first_name": first_name(application.name) or "there",
        "candidate.name": application.name,
        "posting.title": application.posting.title,
        "company.name": settings.COMPANY_NAME,
        "status_link": settings.SITE_URL + application.get_status_url(),
        "sender.name": sender_name or f"The {settings.COMPANY_NAME} hiring team",
        "careers_link": settings.SITE_URL + reverse("postings:list"),
    }
