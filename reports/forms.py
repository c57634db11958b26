from django import forms

from reports import survey


class SurveyForm(forms.Form):
    """One optional radio list per question asked. An answer not offered is refused, so a
    forged value can never be stored."""

    def __init__(self, *args, questions: list[survey.SurveyQuestion], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[question.key] = forms.ChoiceField(
                label=question.label,
                help_text=question.help,
                choices=question.choices,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Choose one of the answers listed."},
            )
