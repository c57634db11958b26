"""Writes of the voluntary survey: the applicant's answers, stored or removed as one change."""

from django.db import transaction

from applications.models import Application
from reports import survey
from reports.models import SurveyResponse


class SurveyClosed(Exception):
    """The application was decided, withdrawn or erased: its answers stay as they were."""


def can_answer(application: Application) -> bool:
    """Answers may be given and changed until the applicant hears of a decision (or
    withdraws): the figures for a decision stay those it was made with. Judged by the stage
    the applicant sees, so that the survey closing never tells of a decision before its email."""
    return (
        survey.enabled()
        and application.erased_at is None
        and not application.candidate_stage.is_terminal
    )


def _locked(application: Application) -> Application:
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("stage")
        .get(pk=application.pk)
    )
    if not can_answer(locked):
        raise SurveyClosed
    return locked


@transaction.atomic
def save_answers(*, application: Application, answers: dict[str, str]) -> SurveyResponse | None:
    """Store the answers to the questions asked (a blank one stays unanswered), replacing any
    given before. Nothing answered at all stores nothing. Raises SurveyClosed."""
    locked = _locked(application)
    fields = {question.key: answers.get(question.key, "") for question in survey.asked()}
    for key, value in fields.items():
        if value and value not in survey.QUESTIONS[key].values:
            raise ValueError(f"{value!r} is not an answer to {key}.")
    if not any(fields.values()):
        SurveyResponse.objects.filter(application=locked).delete()
        return None
    # Questions no longer asked keep no old answer either: what is stored is this form.
    fields = {key: fields.get(key, "") for key in survey.QUESTIONS}
    response, _ = SurveyResponse.objects.update_or_create(application=locked, defaults=fields)
    return response


@transaction.atomic
def remove_answers(*, application: Application) -> bool:
    """Withdraw every answer. Raises SurveyClosed."""
    locked = _locked(application)
    deleted, _ = SurveyResponse.objects.filter(application=locked).delete()
    return deleted > 0
