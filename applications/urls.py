from django.urls import path, register_converter

from applications import views


class StatusTokenConverter:
    """43 URL-safe characters: anything else is not a token, and 404s like any unknown page."""

    regex = r"[A-Za-z0-9_-]{43}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class ManageTokenConverter:
    """A signed, timestamped manage link (django.core.signing): URL-safe base64 and colons."""

    regex = r"[A-Za-z0-9_:.-]{20,300}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(StatusTokenConverter, "token")
register_converter(ManageTokenConverter, "manage")

app_name = "applications"

urlpatterns = [
    path("jobs/<slug:slug>/apply/", views.apply, name="apply"),
    path("jobs/<slug:slug>/apply/thanks/", views.confirmation, name="confirmation"),
    path("my-applications/", views.manage_request, name="manage_request"),
    path("my-applications/<manage:token>/", views.manage, name="manage"),
    path("my-applications/<manage:token>/data.json", views.manage_download, name="manage_download"),
    path("my-applications/<manage:token>/erase/", views.manage_erase, name="manage_erase"),
    path("status/<token:token>/", views.status, name="status"),
    path("status/<token:token>/withdraw/", views.withdraw, name="withdraw"),
    path("status/<token:token>/data.json", views.download_data, name="download_data"),
    path("status/<token:token>/erase/", views.erase, name="erase"),
]
