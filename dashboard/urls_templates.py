from django.urls import path

from dashboard import views_templates as views

# Mounted at /dashboard/templates/.
urlpatterns = [
    path("", views.template_list, name="templates"),
    path("emails/<slug:kind>/", views.email_template_edit, name="email_template"),
    path("emails/<slug:kind>/reset/", views.email_template_reset, name="email_template_reset"),
    path("postings/<int:posting_pk>/", views.posting_templates, name="posting_email_templates"),
    path(
        "postings/<int:posting_pk>/emails/<slug:kind>/",
        views.email_template_edit,
        name="email_template_posting",
    ),
    path(
        "postings/<int:posting_pk>/emails/<slug:kind>/reset/",
        views.email_template_reset,
        name="email_template_posting_reset",
    ),
    path("messages/new/", views.message_template_edit, name="message_template_new"),
    path("messages/<int:pk>/", views.message_template_edit, name="message_template_edit"),
    path(
        "messages/<int:pk>/delete/", views.message_template_delete, name="message_template_delete"
    ),
]
