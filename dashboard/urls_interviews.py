from django.urls import path

from dashboard import views_interviews as views

# Mounted at /dashboard/interviews/.
urlpatterns = [
    path("<int:pk>/", views.interview_detail, name="interview"),
    path("<int:pk>/invite.ics", views.interview_ics, name="interview_ics"),
    path("<int:pk>/reschedule/", views.reschedule, name="interview_reschedule"),
    path("<int:pk>/cancel/", views.cancel, name="interview_cancel"),
    path("<int:pk>/no-show/", views.no_show, name="interview_no_show"),
    path("schedule/<int:application_pk>/<int:step_pk>/", views.schedule, name="interview_schedule"),
    path("offer/<int:application_pk>/<int:step_pk>/", views.offer, name="interview_offer"),
]
