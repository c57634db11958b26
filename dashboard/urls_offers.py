from django.urls import path

from dashboard import views_offers as views

# Mounted at /dashboard/offers/.
urlpatterns = [
    path("new/<int:application_pk>/", views.offer_new, name="offer_new"),
    path("<int:pk>/", views.offer_detail, name="offer"),
    path("<int:pk>/edit/", views.offer_edit, name="offer_edit"),
    path("<int:pk>/submit/", views.submit, name="offer_submit"),
    path("<int:pk>/decide/", views.decide, name="offer_decide"),
    path("<int:pk>/send/", views.send, name="offer_send"),
    path("<int:pk>/withdraw/", views.withdraw, name="offer_withdraw"),
    path("<int:pk>/revise/", views.revise, name="offer_revise"),
    path("<int:pk>/letter.pdf", views.letter_pdf, name="offer_letter"),
    path("posting/<int:posting_pk>/letter/", views.letter_template, name="offer_letter_template"),
]
