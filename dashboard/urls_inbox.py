from django.urls import path

from dashboard import views_inbox as views

# Mounted at /dashboard/inbox/: replies no application claimed, for recruiters.
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.inbox_message, name="inbox_message"),
    path("<int:pk>/assign/", views.inbox_assign, name="inbox_assign"),
    path("<int:pk>/discard/", views.inbox_discard, name="inbox_discard"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.inbox_attachment,
        name="inbox_attachment",
    ),
]
