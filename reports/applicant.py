"""The survey as the applicant meets it: a panel on their status page that leads to it, and
their answers in their own data export."""

from applications.status_panels import Panel
from reports import services, survey
from reports.models import SurveyResponse

TEMPLATE = "reports/_survey_panel.html"


def response_of(application) -> SurveyResponse | None:
    return SurveyResponse.objects.filter(application=application).first()


def status_panel(application, request) -> list[Panel]:
    if not services.can_answer(application):
        return []
    answered = SurveyResponse.objects.filter(application=application).exists()
    return [Panel(template=TEMPLATE, context={"application": application, "answered": answered})]


def export_answers(application) -> dict | None:
    """The answers as the applicant gave them, in the survey's own words."""
    response = response_of(application)
    if response is None:
        return None
    return {
        "answered_at": response.answered_at.isoformat(),
        "updated_at": response.updated_at.isoformat(),
        "answers": [
            {"question": survey.QUESTIONS[key].label, "answer": survey.QUESTIONS[key].label_of(v)}
            for key, v in response.answers().items()
        ],
    }
