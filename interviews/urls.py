from django.urls import path

# Registers the <token:...> converter of the status pages these hang under.
import applications.urls  # noqa: F401
from interviews import views

app_name = "interviews"

status = "status/<token:token>/interviews/"

urlpatterns = [
    path(status + "time-zone/", views.time_zone, name="time_zone"),
    path(status + "<slug:uid>.ics", views.invite_ics, name="ics"),
    path(status + "<slug:uid>/book/", views.book, name="book"),
    path(status + "<slug:uid>/cancel/", views.cancel, name="cancel"),
]
