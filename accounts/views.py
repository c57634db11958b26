"""Django's own auth views, with two changes: reset links use SITE_URL, and setting a new
password through a reset link lifts a login lockout for that username."""

from axes.utils import reset as reset_lockout
from django.conf import settings
from django.contrib.auth import views as auth_views


class PasswordResetView(auth_views.PasswordResetView):
    """Links in the email point at SITE_URL, never at whatever Host header the request sent."""

    @property
    def extra_email_context(self):
        return {"SITE_URL": settings.SITE_URL, "COMPANY_NAME": settings.COMPANY_NAME}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever reads the account's email owns it: the lockout has done its job.
        reset_lockout(username=form.user.get_username())
        return response
