from django.urls import path

from dashboard import views_postings as views

# Mounted at /dashboard/postings/. The pipeline room adds a posting's board and candidate
# pages under <pk>/ too; these names and paths stay clear of its "board" and "applications".
urlpatterns = [
    path("", views.posting_list, name="postings"),
    path("new/", views.posting_create, name="posting_create"),
    path("<int:pk>/edit/", views.posting_edit, name="posting_edit"),
    path("<int:pk>/publish/", views.posting_publish, name="posting_publish"),
    path("<int:pk>/close/", views.posting_close, name="posting_close"),
    path("<int:pk>/wrap-up/", views.posting_fill, name="posting_fill"),
    path("<int:pk>/keep-open/", views.posting_keep_open, name="posting_keep_open"),
    path("<int:pk>/questions/", views.posting_questions, name="posting_questions"),
    path("<int:pk>/questions/<int:question_pk>/edit/", views.question_edit, name="question_edit"),
    path("<int:pk>/questions/<int:question_pk>/move/", views.question_move, name="question_move"),
    path(
        "<int:pk>/questions/<int:question_pk>/delete/",
        views.question_delete,
        name="question_delete",
    ),
    path("<int:pk>/stages/", views.posting_stages, name="posting_stages"),
    path("<int:pk>/stages/<int:stage_pk>/edit/", views.stage_edit, name="stage_edit"),
    path("<int:pk>/stages/<int:stage_pk>/move/", views.stage_move, name="stage_move"),
    path("<int:pk>/stages/<int:stage_pk>/delete/", views.stage_delete, name="stage_delete"),
    path("<int:pk>/plan/", views.posting_plan, name="posting_plan"),
    path("<int:pk>/plan/copy/", views.plan_copy, name="plan_copy"),
    path("<int:pk>/plan/steps/<int:step_pk>/edit/", views.step_edit, name="step_edit"),
    path("<int:pk>/plan/steps/<int:step_pk>/move/", views.step_move, name="step_move"),
    path("<int:pk>/plan/steps/<int:step_pk>/delete/", views.step_delete, name="step_delete"),
    path("<int:pk>/team/", views.hiring_team, name="posting_team"),
    path(
        "<int:pk>/team/<int:user_pk>/remove/",
        views.hiring_team_remove,
        name="posting_team_remove",
    ),
]
