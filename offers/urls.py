from django.urls import path

# Registers the <token:...> converter of the status pages these hang under.
import applications.urls  # noqa: F401
from offers import views

app_name = "offers"

status = "status/<token:token>/offer/<int:pk>/"

urlpatterns = [
    path(status + "letter.pdf", views.letter, name="letter"),
    path(status + "accept/", views.accept, name="accept"),
    path(status + "decline/", views.decline, name="decline"),
]
