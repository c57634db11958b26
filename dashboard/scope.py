"""Every dashboard lookup goes through the user's scope: what is outside it is a 404.

A 404 rather than a 403 so that another team's posting is indistinguishable from one that
does not exist.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from applications.models import Application
from interviews.models import Interview
from postings.models import Posting


def is_staff_member(user) -> bool:
    return (
        user.is_authenticated and user.is_active and (user.is_superuser or hasattr(user, "profile"))
    )


def staff_required(view):
    """Logged in, and a recruiter, hiring manager or superuser."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def get_posting(user, pk, queryset=None) -> Posting:
    """With its hires counted in the same query: every posting page says how many openings
    are filled, and asks what to do once they all are."""
    # "is None", not "or": the truth of a QuerySet would run it, loading every row.
    base = Posting.objects.with_hires() if queryset is None else queryset
    return get_object_or_404(base.for_user(user), pk=pk)


def get_application(user, posting_pk, pk, queryset=None) -> Application:
    return get_object_or_404(
        (Application.objects if queryset is None else queryset).for_user(user),
        posting_id=posting_pk,
        pk=pk,
    )


def get_interview(user, pk, queryset=None) -> Interview:
    """An interview of an application in the user's scope, or one they sit on."""
    return get_object_or_404(
        (Interview.objects if queryset is None else queryset).for_user(user), pk=pk
    )


def can_manage_postings(user) -> bool:
    """Creating postings and changing pipelines and teams is for recruiters and admins."""
    if user.is_superuser:
        return True
    profile = getattr(user, "profile", None)
    return bool(profile and profile.is_recruiter)


def can_see_reports(user) -> bool:
    """Reports are for recruiters, admins and hiring managers (over the postings they may
    see); interviewers see only the interviews they sit on."""
    if not is_staff_member(user):
        return False
    profile = getattr(user, "profile", None)
    return user.is_superuser or not (profile and profile.is_interviewer)
