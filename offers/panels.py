"""The applicant's offer on their status page: the terms and letter of the offer they were
sent, with Accept and Decline while it is open, and what became of it afterwards."""

from applications.status_panels import Panel
from offers import letter
from offers.models import Offer

TEMPLATE = "offers/_status_panel.html"
# Offers the applicant was shown: drafts and offers waiting for approval stay internal.
SHOWN = (Offer.Status.SENT, Offer.Status.ACCEPTED, Offer.Status.DECLINED, Offer.Status.WITHDRAWN)


def latest_shown(application) -> Offer | None:
    return (
        Offer.objects.filter(application=application, status__in=SHOWN)
        .select_related("application")
        .order_by("-version")
        .first()
    )


def status_panel(application, request) -> list[Panel]:
    offer = latest_shown(application)
    if offer is None:
        return []
    return [
        Panel(
            template=TEMPLATE,
            context={
                "application": application,
                "offer": offer,
                "letter_html": letter.render_offer(offer).safe_html,
            },
        )
    ]
