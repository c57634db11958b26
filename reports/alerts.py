"""The weekly email to recruiters when the fairness report shows a flag it has not shown
before. Each flag is remembered (ReportedFlag) when it is first emailed, so a flag that stays
is told once, and a run repeated or run by two workers at once tells nothing twice."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import Profile
from notifications.models import OutboxEmail
from notifications.services import queue_email
from reports import fairness
from reports.models import ReportedFlag


@dataclass(frozen=True)
class NewFlag:
    posting_title: str
    step: str
    characteristic: str
    group: str
    ratio: float
    p_value: float | None
    url: str


def _remember(posting, step, comparison, group) -> ReportedFlag | None:
    """Record the flag; None when it was reported before (or by a run alongside this one)."""
    try:
        with transaction.atomic():
            return ReportedFlag.objects.create(
                posting=posting,
                step=step.key,
                characteristic=comparison.characteristic.key,
                group=group.value,
            )
    except IntegrityError:
        return None


def recruiters():
    return (
        get_user_model()
        .objects.filter(is_active=True, profile__role=Profile.Role.RECRUITER)
        .exclude(email="")
        .order_by("pk")
    )


def email_new_flags() -> int:
    """Email every recruiter the flags no earlier run reported. Returns how many flags."""
    with transaction.atomic():
        new, first = [], None
        for posting in fairness.postings_with_answers():
            report = fairness.report(posting)
            url = settings.SITE_URL + reverse(
                "dashboard:reports-fairness-posting", args=[posting.pk]
            )
            for step, comparison, group in report.flags:
                flag = _remember(posting, step, comparison, group)
                if flag is None:
                    continue
                first = flag.pk if first is None else min(first, flag.pk)
                new.append(
                    NewFlag(
                        posting_title=posting.title,
                        step=step.label,
                        characteristic=comparison.characteristic.short,
                        group=group.label,
                        ratio=group.ratio,
                        p_value=group.p_value,
                        url=url,
                    )
                )
        for user in recruiters() if new else []:
            queue_email(
                # One email per recipient per batch of flags: a repeat adds nothing.
                key=f"fairness-flags:{first}:user:{user.pk}",
                kind=OutboxEmail.Kind.FAIRNESS_FLAGS,
                to=user.email,
                template="fairness_flags",
                context={
                    "user": user,
                    "flags": new,
                    "report_url": settings.SITE_URL + reverse("dashboard:reports-fairness"),
                },
            )
    return len(new)
