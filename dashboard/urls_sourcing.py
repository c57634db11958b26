from django.urls import path

from dashboard import views_sourcing as views

# Mounted at /dashboard/. Adding a person sits under their posting, beside its board; a
# candidate's page under candidates/, across the postings they are in.
candidate = "candidates/<int:pk>/"

urlpatterns = [
    path("postings/<int:posting_pk>/candidates/add/", views.add_candidate, name="add_candidate"),
    path("referrals/", views.my_referrals, name="my_referrals"),
    path("referrals/new/", views.refer, name="refer"),
    path(candidate, views.candidate_detail, name="candidate"),
    path(candidate + "add-to-posting/", views.add_to_posting, name="candidate_add_to_posting"),
    path(candidate + "tags/", views.tag_add, name="candidate_tag_add"),
    path(candidate + "tags/<int:tag_pk>/remove/", views.tag_remove, name="candidate_tag_remove"),
    path(candidate + "merge/", views.merge, name="candidate_merge"),
]
