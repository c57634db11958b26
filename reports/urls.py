from django.urls import path

# Registers the <token:...> converter of the status pages this hangs under.
import applications.urls  # noqa: F401
from reports import views

app_name = "reports"

urlpatterns = [
    path("status/<token:token>/self-identification/", views.survey_page, name="survey"),
]
