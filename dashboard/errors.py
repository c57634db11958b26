"""Error pages for staff: a refusal or a missing page inside the dashboard keeps the
dashboard's frame and leads back to it, rather than out to the careers site."""

from django.urls import reverse
from django.views import defaults

from dashboard.scope import is_staff_member


def _for_staff(request) -> bool:
    user = getattr(request, "user", None)
    return user is not None and is_staff_member(user)


def permission_denied(request, exception=None):
    if _for_staff(request):
        return defaults.permission_denied(request, exception, template_name="dashboard/403.html")
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    # Only inside the dashboard: a staff member mistyping a careers-site link is on that site.
    if request.path.startswith(reverse("dashboard:home")) and _for_staff(request):
        return defaults.page_not_found(request, exception, template_name="dashboard/404.html")
    return defaults.page_not_found(request, exception)
