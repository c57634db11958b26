"""The scorecard form: a rating per attribute of the step, a recommendation, two sections of
notes, and (after the edit window) the reason for an amendment."""

from django import forms

from interviews.models import Rating, Recommendation, Scorecard, ScorecardAmendment
from interviews.scorecards import NOT_ASSESSED, Feedback


class ScorecardForm(forms.Form):
    recommendation = forms.ChoiceField(
        label="Overall recommendation",
        required=False,
        choices=Recommendation.choices,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
    )
    key_points = forms.CharField(
        label="Key points",
        required=False,
        max_length=Scorecard.NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What you saw and heard that supports your ratings.",
    )
    concerns = forms.CharField(
        label="Concerns",
        required=False,
        max_length=Scorecard.NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    reason = forms.CharField(
        label="Why are you amending this scorecard?",
        required=False,
        max_length=ScorecardAmendment.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept with the scorecard, with what you changed.",
    )

    def __init__(self, data=None, *, attributes, scorecard=None):
        self.attributes = list(attributes)
        initial = {}
        if scorecard is not None:
            initial = {
                "recommendation": scorecard.recommendation,
                "key_points": scorecard.key_points,
                "concerns": scorecard.concerns,
            }
            for rating in scorecard.ratings.all():
                initial[self.rating_field(rating.attribute_id)] = str(rating.value or "")
        super().__init__(data, initial=initial)
        for attribute in self.attributes:
            self.fields[self.rating_field(attribute.pk)] = forms.TypedChoiceField(
                label=attribute.name,
                required=False,
                choices=[("", NOT_ASSESSED), *Rating.choices],
                coerce=int,
                empty_value=None,
                widget=forms.RadioSelect(attrs={"class": "btn-check"}),
            )

    @staticmethod
    def rating_field(attribute_pk) -> str:
        return f"rating_{attribute_pk}"

    @property
    def rating_fields(self):
        return [self[self.rating_field(a.pk)] for a in self.attributes]

    def feedback(self) -> Feedback:
        data = self.cleaned_data
        return Feedback(
            recommendation=data["recommendation"],
            key_points=data["key_points"],
            concerns=data["concerns"],
            ratings={a.pk: data.get(self.rating_field(a.pk)) for a in self.attributes},
        )
