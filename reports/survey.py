"""The voluntary self-identification survey: its questions, in the wording of US equal
employment law, and which of them this company asks (settings.ATS_EEO_QUESTIONS).

The wording follows the standard forms: the EEO-1 sex and race/ethnicity categories, the
VEVRAA protected-veteran classifications and a summary of the OFCCP's disability form
(CC-305), each with its own way of declining. Stored values are the short keys below; the
labels are what the applicant reads. A published key never changes meaning: a new answer is a
new key.
"""

from dataclasses import dataclass

from django.conf import settings

DECLINED = "declined"


@dataclass(frozen=True)
class SurveyQuestion:
    key: str  # the SurveyResponse field and the ATS_EEO_QUESTIONS name
    label: str  # the question, as the applicant reads it
    short: str  # its name in reports
    help: str  # the explanation the standard forms print with it
    choices: tuple[tuple[str, str], ...]  # (stored value, label); the last one declines

    @property
    def values(self) -> set[str]:
        return {value for value, _ in self.choices}

    def label_of(self, value: str) -> str:
        return dict(self.choices).get(value, "")

    @property
    def groups(self) -> tuple[tuple[str, str], ...]:
        """The answers that name a group: everything but declining."""
        return tuple((value, label) for value, label in self.choices if value != DECLINED)


GENDER = SurveyQuestion(
    key="gender",
    label="Gender",
    short="Gender",
    help="The EEO-1 report counts employees as female or male.",
    choices=(
        ("female", "Female"),
        ("male", "Male"),
        (DECLINED, "I decline to self-identify"),
    ),
)

RACE = SurveyQuestion(
    key="race",
    label="Race / ethnicity",
    short="Race / ethnicity",
    help="Hispanic or Latino: a person of Cuban, Mexican, Puerto Rican, South or Central "
    "American, or other Spanish culture or origin regardless of race. The other categories "
    "are for people who are not Hispanic or Latino.",
    choices=(
        ("hispanic", "Hispanic or Latino"),
        ("white", "White (not Hispanic or Latino)"),
        ("black", "Black or African American (not Hispanic or Latino)"),
        (
            "pacific",
            "Native Hawaiian or Other Pacific Islander (not Hispanic or Latino)",
        ),
        ("asian", "Asian (not Hispanic or Latino)"),
        ("native", "American Indian or Alaska Native (not Hispanic or Latino)"),
        ("two_or_more", "Two or More Races (not Hispanic or Latino)"),
        (DECLINED, "I decline to self-identify"),
    ),
)

VETERAN = SurveyQuestion(
    key="veteran",
    label="Veteran status",
    short="Veteran status",
    help="Protected veterans, under the Vietnam Era Veterans' Readjustment Assistance Act "
    "(VEVRAA), are: disabled veterans; recently separated veterans (within three years of "
    "discharge or release from active duty); active duty wartime or campaign badge veterans; "
    "and Armed Forces service medal veterans.",
    choices=(
        ("protected", "I identify as one or more of the classifications of protected veteran"),
        ("not_protected", "I am not a protected veteran"),
        (DECLINED, "I do not wish to self-identify"),
    ),
)

DISABILITY = SurveyQuestion(
    key="disability",
    label="Disability status",
    short="Disability",
    help="Form CC-305 of the Office of Federal Contract Compliance Programs (OFCCP), in "
    "summary: we are a federal contractor or subcontractor, and the law requires us to "
    "provide equal employment opportunity to qualified people with disabilities and to "
    "measure how well we do. A disability is a condition that substantially limits one or "
    "more of a person's major life activities, now or in the past; examples include "
    "autism, blindness or low vision, cancer, deafness or serious difficulty hearing, "
    "diabetes, epilepsy, intellectual disability, major depression, bipolar disorder, "
    "PTSD, missing limbs and partially missing limbs, multiple sclerosis, and partial or "
    "complete paralysis. Your answer is voluntary, kept confidential, and never used "
    "against you.",
    choices=(
        ("yes", "Yes, I have a disability (or previously had a disability)"),
        ("no", "No, I do not have a disability and have not had one in the past"),
        (DECLINED, "I do not want to answer"),
    ),
)

QUESTIONS = {question.key: question for question in (GENDER, RACE, VETERAN, DISABILITY)}

INTRODUCTION = (
    "We are an equal opportunity employer. To check that our hiring treats everyone fairly, "
    "we invite applicants to tell us about themselves. Answering is entirely voluntary: "
    "skipping the survey or declining any question never affects your application. Your "
    "answers are kept apart from your application; the people deciding on it never see "
    "them. They are only counted, together with other applicants' answers, in reports on "
    "groups of at least five people."
)


def asked() -> list[SurveyQuestion]:
    """The questions this company asks, in its order; none when the survey is off."""
    return [QUESTIONS[key] for key in settings.ATS_EEO_QUESTIONS]


def enabled() -> bool:
    return bool(settings.ATS_EEO_QUESTIONS)
