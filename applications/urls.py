from django.urls import path, register_converter

from applications import views


class StatusTokenConverter:
    """43 URL-safe characters: anything else is not a token, and 404s like any unknown page."""

    regex = r"[A-Za-z0-9_-]{43}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(StatusTokenConverter, "token")

app_name = "applications"

urlpatterns = [
    path("jobs/<slug:slug>/apply/", views.apply, name="apply"),
    path("jobs/<slug:slug>/apply/thanks/", views.confirmation, name="confirmation"),
    path(
        "jobs/<slug:slug>/apply/status-link/", views.resend_status_link, name="resend_status_link"
    ),
    path("status/<token:token>/", views.status, name="status"),
    path("status/<token:token>/withdraw/", views.withdraw, name="withdraw"),
    path("status/<token:token>/data.json", views.download_data, name="download_data"),
    path("status/<token:token>/erase/", views.erase, name="erase"),
]
