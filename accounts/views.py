"""Django's own auth views, with these changes: a reset request is throttled and its email goes
through the outbox, reset links use SITE_URL, and setting a new password through a reset link
lifts a login lockout for that username."""

import hashlib

from axes.utils import reset as reset_lockout
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect

from accounts import services
from ats import ratelimit

RESET_WINDOW = 3600
# Enough for someone whose first email went astray; too few to flood an inbox.
RESET_LIMIT_PER_ADDRESS = 3
RESET_LIMIT_PER_IP = 20


class PasswordResetView(auth_views.PasswordResetView):
    def post(self, request, *args, **kwargs):
        if not ratelimit.hit(
            "password-reset-ip",
            ratelimit.client_ip(request),
            limit=RESET_LIMIT_PER_IP,
            window=RESET_WINDOW,
        ):
            return self.render_to_response(self.get_context_data(throttled=True), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        # Throttled or not, known or not, the answer is the same page: it reveals nothing.
        address = hashlib.sha256(email.strip().casefold().encode()).hexdigest()
        if ratelimit.hit(
            "password-reset-address", address, limit=RESET_LIMIT_PER_ADDRESS, window=RESET_WINDOW
        ):
            services.request_password_reset(email=email)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever reads the account's email owns it: the lockout has done its job.
        reset_lockout(username=form.user.get_username())
        return response
