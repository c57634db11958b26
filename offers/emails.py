"""The offer emails, each queued in the caller's transaction. Keys name the offer, the event
and the reader (and the chain's round, for approvals), so a step never emails one person twice."""

from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse

from notifications.models import OutboxEmail
from notifications.services import queue_email

Kind = OutboxEmail.Kind


def _absolute(path: str) -> str:
    return urljoin(settings.SITE_URL + "/", path.lstrip("/"))


def staff_url(offer) -> str:
    # By name: offers/ does not import the dashboard, but may link to its pages.
    return _absolute(reverse("dashboard:offer", args=[offer.pk]))


def _person(user) -> str:
    return user.get_full_name() or user.username


def _context(offer, **extra) -> dict:
    application = offer.application
    return {"offer": offer, "posting": application.posting, "candidate": application.name, **extra}


def approval_requested(offer, approver, *, round_: int) -> None:
    if not approver.user.email:
        return
    queue_email(
        key=f"offer:{offer.pk}:approve:{round_}:{approver.user_id}",
        kind=Kind.OFFER_APPROVAL,
        to=approver.user.email,
        template="offer_approval",
        context=_context(offer, name=_person(approver.user), link=staff_url(offer)),
        application=offer.application,
    )


def decided(offer, *, approved: bool, by, comment: str, round_: int) -> None:
    """Tell the recruiter who drafted the offer: fully approved, or rejected by someone."""
    recruiter = offer.created_by
    if recruiter is None or not recruiter.email:
        return
    queue_email(
        key=f"offer:{offer.pk}:decided:{round_}",
        kind=Kind.OFFER_DECIDED,
        to=recruiter.email,
        template="offer_decided",
        context=_context(
            offer,
            name=_person(recruiter),
            approved=approved,
            by=_person(by),
            comment=comment,
            link=staff_url(offer),
        ),
        application=offer.application,
    )


def _to_candidate(offer, *, event: str, kind: str) -> None:
    application = offer.application
    queue_email(
        key=f"offer:{offer.pk}:{event}",
        kind=kind,
        to=application.candidate.email,
        template=f"offer_{event}",
        context=_context(
            offer, name=application.name, link=_absolute(application.get_status_url())
        ),
        application=application,
    )


def sent(offer) -> None:
    _to_candidate(offer, event="sent", kind=Kind.OFFER_SENT)


def withdrawn(offer) -> None:
    _to_candidate(offer, event="withdrawn", kind=Kind.OFFER_WITHDRAWN)


def answered(offer) -> None:
    """Tell the hiring team (and whoever drafted the offer) the candidate's answer."""
    people = {user.pk: user for user in offer.application.posting.hiring_team.all()}
    if offer.created_by is not None:
        people.setdefault(offer.created_by.pk, offer.created_by)
    for user in people.values():
        if user.email and user.is_active:
            queue_email(
                key=f"offer:{offer.pk}:answered:{user.pk}",
                kind=Kind.OFFER_ANSWERED,
                to=user.email,
                template="offer_answered",
                context=_context(
                    offer,
                    name=_person(user),
                    accepted=offer.status == offer.Status.ACCEPTED,
                    link=staff_url(offer),
                ),
                application=offer.application,
            )
