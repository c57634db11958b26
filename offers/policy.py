"""Who may do what with offers, and when an application may get one.

The offer stage: an application may be offered the job while it sits in its posting's last
in-progress stage (by pipeline position; "Offer" in the default pipeline). The rule follows
the pipeline's order, not a stage's name, so renaming the stage changes nothing.
"""

from django.core.exceptions import ValidationError

from accounts.models import Profile
from applications.models import Stage


def offer_stage(posting) -> Stage | None:
    return (
        Stage.objects.filter(posting=posting, kind=Stage.Kind.ACTIVE).order_by("-position").first()
    )


def check_can_draft(application) -> None:
    stage = offer_stage(application.posting)
    if application.erased_at is not None or stage is None or application.stage_id != stage.pk:
        name = stage.name if stage else "the offer stage"
        raise ValidationError(f"Move the application to {name} before drafting an offer.")


def is_recruiter(user) -> bool:
    if user.is_superuser:
        return True
    profile = getattr(user, "profile", None)
    return bool(profile and profile.role == Profile.Role.RECRUITER)


def default_approvers(posting) -> list:
    """The posting's hiring managers, in name order; the recruiter then adds a recruiter."""
    return list(
        posting.hiring_team.filter(
            is_active=True, profile__role=Profile.Role.HIRING_MANAGER
        ).order_by("last_name", "first_name", "username")
    )


def out_of_range(posting, base_salary: int | None, period: str) -> bool:
    """A salary outside the posting's published range needs a justification. A posting with
    no published range has nothing to be outside of; a salary in another period than the
    range's cannot be compared, so it counts as outside and an approver reads why."""
    if base_salary is None or posting.salary_min is None:
        return False
    if period != posting.salary_period:
        return True
    return not posting.salary_min <= base_salary <= posting.salary_max
