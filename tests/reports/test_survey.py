"""The applicant's voluntary survey: reached by the status link, optional, validated,
changeable until a decision, erased with the application and in the applicant's export."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from applications import services as application_services
from reports.models import SurveyResponse

pytestmark = pytest.mark.django_db

ANSWERS = {
    "gender": "female",
    "race": "two_or_more",
    "veteran": "not_protected",
    "disability": "no",
}


@pytest.fixture
def survey_url(application):
    return reverse("reports:survey", args=[application.status_token])


def stored(application) -> dict | None:
    response = SurveyResponse.objects.filter(application=application).first()
    return response and response.answers()


def test_the_status_page_invites_the_applicant_when_the_survey_is_on(
    client, application, survey_url, eeo_on
):
    page = client.get(application.get_status_url()).content.decode()
    assert "Voluntary self-identification" in page and survey_url in page
    form = client.get(survey_url)
    assert form["Referrer-Policy"] == "same-origin"
    text = form.content.decode()
    for wording in (
        "Answering is entirely voluntary",
        "Hispanic or Latino",
        "I identify as one or more of the classifications of protected veteran",
        "Yes, I have a disability (or previously had a disability)",
        "No, I do not have a disability and have not had one in the past",
        "I do not want to answer",
        "I decline to self-identify",
        "Skip the survey",
    ):
        assert wording in text


def test_with_the_survey_off_nothing_invites_and_the_page_is_not_there(
    client, application, survey_url
):
    assert "self-identification" not in client.get(application.get_status_url()).content.decode()
    assert client.get(survey_url).status_code == 404
    assert client.post(survey_url, ANSWERS).status_code == 404
    assert not SurveyResponse.objects.exists()


def test_only_the_questions_the_company_chose_are_asked_and_stored(
    client, application, survey_url, settings
):
    settings.ATS_EEO_QUESTIONS = ["disability", "veteran"]
    text = client.get(survey_url).content.decode()
    assert "Disability status" in text and "Veteran status" in text
    assert "Race / ethnicity" not in text and "Gender" not in text
    client.post(survey_url, {**ANSWERS, "action": "save"})
    assert stored(application) == {"veteran": "not_protected", "disability": "no"}


def test_answers_are_saved_changed_and_removed(client, application, survey_url, eeo_on):
    response = client.post(survey_url, {**ANSWERS, "action": "save"})
    assert response.status_code == 302 and response["Location"] == application.get_status_url()
    assert stored(application) == ANSWERS
    assert "Change my survey answers" in client.get(application.get_status_url()).content.decode()
    # The form comes back with the answers ticked.
    assert 'value="two_or_more" id="id_race_6" checked' in client.get(survey_url).content.decode()
    client.post(survey_url, {"gender": "declined", "action": "save"})
    assert stored(application) == {"gender": "declined"}
    client.post(survey_url, {"action": "remove"})
    assert stored(application) is None


def test_skipping_or_answering_nothing_stores_nothing(client, application, survey_url, eeo_on):
    assert client.post(survey_url, {**ANSWERS, "action": "skip"}).status_code == 302
    client.post(survey_url, {"action": "save"})
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"gender": "robot"},
        {"gender": "female", "race": "<script>alert(1)</script>"},
        {"disability": "x" * 100_000},
        {"veteran": "protected\x00"},
        {"race": "white'; DROP TABLE reports_surveyresponse; --"},
    ],
)
def test_an_answer_not_offered_is_refused_and_nothing_is_stored(
    client, application, survey_url, eeo_on, data
):
    response = client.post(survey_url, {**data, "action": "save"})
    assert response.status_code == 400
    assert "Choose one of the answers listed." in response.content.decode()
    assert "<script>alert" not in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_the_service_refuses_a_value_the_form_would_not_offer(application, eeo_on):
    from reports import services

    with pytest.raises(ValueError):
        services.save_answers(application=application, answers={"gender": "robot"})
    assert not SurveyResponse.objects.exists()


def test_answers_need_the_form_token(application, survey_url, eeo_on):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(survey_url, {**ANSWERS, "action": "save"}).status_code == 403
    assert not SurveyResponse.objects.exists()


def test_a_status_link_posting_answers_over_and_over_is_stopped(
    client, application, survey_url, eeo_on
):
    for _ in range(20):
        assert client.post(survey_url, {**ANSWERS, "action": "save"}).status_code == 302
    response = client.post(survey_url, {"gender": "male", "action": "save"})
    assert response.status_code == 429
    assert "Too many answers in the last hour" in response.content.decode()
    assert stored(application) == ANSWERS


def test_an_unknown_or_erased_link_finds_no_survey(client, application, survey_url, eeo_on):
    assert client.get(reverse("reports:survey", args=["x" * 43])).status_code == 404
    application_services.erase(application=application)
    assert client.get(survey_url).status_code == 404


def test_the_survey_closes_once_the_applicant_hears_of_a_decision(
    client, application, survey_url, eeo_on, settings
):
    from applications.services import move_application

    client.post(survey_url, {**ANSWERS, "action": "save"})
    # A rejection whose email is still held: the applicant has not heard, and the survey
    # must not tell them by closing.
    settings.ATS_STAGE_EMAIL_HOLD_SECONDS = 3600
    rejected = application.posting.stages.get(kind="rejected")
    move_application(application=application, to_stage=rejected)
    assert client.get(survey_url).status_code == 200
    settings.ATS_STAGE_EMAIL_HOLD_SECONDS = 0
    hired = application.posting.stages.get(kind="hired")
    move_application(application=application, to_stage=hired)
    assert "self-identification" not in client.get(application.get_status_url()).content.decode()
    response = client.post(survey_url, {"gender": "male", "action": "save"})
    assert response.status_code == 302
    assert stored(application) == ANSWERS
    assert client.post(survey_url, {"action": "remove"}).status_code == 302
    assert stored(application) == ANSWERS


def test_erasing_the_application_erases_its_answers(client, application, survey_url, eeo_on):
    client.post(survey_url, {**ANSWERS, "action": "save"})
    client.post(reverse("applications:erase", args=[application.status_token]), {"confirm": "yes"})
    assert not SurveyResponse.objects.exists()


def test_erasing_everything_from_the_manage_link_erases_the_answers(
    client, application, survey_url, eeo_on
):
    client.post(survey_url, {**ANSWERS, "action": "save"})
    application_services.erase_all(candidate=application.candidate)
    assert not SurveyResponse.objects.exists()


def test_the_applicants_own_export_includes_the_answers_in_the_surveys_words(
    client, application, survey_url, eeo_on
):
    download = reverse("applications:download_data", args=[application.status_token])
    before = json.loads(client.get(download).content)["applications"][0]
    assert "voluntary_self_identification" not in before
    client.post(survey_url, {**ANSWERS, "action": "save"})
    for url in (download, application.candidate.get_manage_url() + "data.json"):
        exported = json.loads(client.get(url).content)["applications"][0]
        assert exported["voluntary_self_identification"]["answers"] == [
            {"question": "Gender", "answer": "Female"},
            {
                "question": "Race / ethnicity",
                "answer": "Two or More Races (not Hispanic or Latino)",
            },
            {"question": "Veteran status", "answer": "I am not a protected veteran"},
            {
                "question": "Disability status",
                "answer": "No, I do not have a disability and have not had one in the past",
            },
        ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, []),
        ("", []),
        ("off", []),
        ("OFF", []),
        ("gender,race,veteran,disability", ["gender", "race", "veteran", "disability"]),
        (" Disability , gender ", ["disability", "gender"]),
    ],
)
def test_the_setting_names_the_questions_asked(monkeypatch, value, expected):
    from ats.env import env_subset

    if value is None:
        monkeypatch.delenv("ATS_EEO_QUESTIONS", raising=False)
    else:
        monkeypatch.setenv("ATS_EEO_QUESTIONS", value)
    assert env_subset("ATS_EEO_QUESTIONS", ("gender", "race", "veteran", "disability")) == expected


@pytest.mark.parametrize("value", ["us", "gender,religion", "gender,gender", ",", "gender,off"])
def test_a_wrong_setting_stops_start_up(monkeypatch, value):
    from ats.env import env_subset

    monkeypatch.setenv("ATS_EEO_QUESTIONS", value)
    with pytest.raises(ImproperlyConfigured, match="ATS_EEO_QUESTIONS"):
        env_subset("ATS_EEO_QUESTIONS", ("gender", "race", "veteran", "disability"))
