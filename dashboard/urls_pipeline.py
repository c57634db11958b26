from django.urls import path

from dashboard import views_conversations, views_decisions, views_reasons, views_search
from dashboard import views_pipeline as views

# Mounted at /dashboard/. A posting's board, candidates and export live under postings/<pk>/,
# beside the posting-management pages of urls_postings (whose paths stay clear of these).
posting = "postings/<int:posting_pk>/"
application = posting + "applications/<int:pk>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("settings/", views.user_settings, name="settings"),
    path("search/", views_search.search, name="search"),
    path(
        "settings/rejection-reasons/",
        views_reasons.rejection_reasons,
        name="rejection_reasons",
    ),
    path(posting + "board/", views.board, name="board"),
    path(posting + "list/", views.board_list, name="board_list"),
    path(posting + "board/stages/<int:stage_pk>/", views.board_column, name="board_column"),
    path(posting + "board/bulk/", views.bulk_action, name="bulk_action"),
    path(posting + "board/email/", views_conversations.compose_bulk, name="compose_bulk"),
    path(posting + "export.csv", views.export_csv, name="export_csv"),
    path(application, views.application_detail, name="application"),
    path(application + "move/", views.move, name="move"),
    path(application + "reject/", views.reject, name="reject"),
    path(application + "notes/", views.add_note, name="add_note"),
    path(application + "decision/", views_decisions.decide, name="decide"),
    path(application + "email/", views_conversations.compose, name="compose"),
    path(application + "email/cancel/", views_conversations.cancel_message, name="cancel_message"),
    path(
        application + "email/attachments/<int:attachment_pk>/",
        views_conversations.message_attachment,
        name="message_attachment",
    ),
    path(application + "resume/", views.resume_inline, name="resume_inline"),
    path(application + "resume/download/", views.resume_download, name="resume_download"),
]
