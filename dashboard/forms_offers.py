"""Forms of offers: the terms with the letter, the approval chain, a decision."""

from django import forms
from django.contrib.auth import get_user_model

from offers import letter, policy
from offers.letter import PLACEHOLDERS
from offers.models import Offer
from postings.models import Posting

CHAIN_LENGTH = 4


def _person(user) -> str:
    return user.get_full_name() or user.username


class OfferForm(forms.ModelForm):
    class Meta:
        model = Offer
        fields = list(Offer.TERMS)
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "expires_on": forms.DateInput(attrs={"type": "date"}),
            "letter": forms.Textarea(attrs={"rows": 14}),
            "justification": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "letter": "Placeholders: "
            + ", ".join(f"{{{{ {name} }}}}" for name in PLACEHOLDERS)
            + ". Anything else is kept as typed.",
            "justification": "Required when the base salary is outside the posting's published "
            "range; approvers read it. The posting's range does not change.",
        }

    def __init__(self, *args, posting: Posting, **kwargs):
        super().__init__(*args, **kwargs)
        self.posting = posting
        self.fields["base_salary"].label = f"Base salary ({posting.salary_currency})"
        if posting.salary_min is not None:
            self.fields["base_salary"].help_text = f"Published range: {posting.salary_display}."

    def terms(self) -> dict:
        return {name: self.cleaned_data[name] for name in Offer.TERMS}


class ApproverChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        role = user.profile.get_role_display() if hasattr(user, "profile") else "Admin"
        return f"{_person(user)} ({role})"


class ChainForm(forms.Form):
    """The approvers in order: the posting's hiring managers first, then a recruiter the
    recruiter picks; each row may be changed, left empty, or reordered."""

    def __init__(self, *args, posting: Posting, **kwargs):
        super().__init__(*args, **kwargs)
        people = (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(
                profile__role__in=["recruiter", "hiring_manager"],
            )
            .select_related("profile")
            .order_by("first_name", "last_name", "username")
        )
        defaults = policy.default_approvers(posting)
        for i in range(CHAIN_LENGTH):
            self.fields[f"approver_{i}"] = ApproverChoiceField(
                queryset=people,
                required=i == 0,
                label=f"Approver {i + 1}",
                initial=defaults[i].pk if i < len(defaults) else None,
            )

    def approvers(self) -> list:
        return [
            self.cleaned_data[f"approver_{i}"]
            for i in range(CHAIN_LENGTH)
            if self.cleaned_data.get(f"approver_{i}")
        ]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("reject", "Reject")], widget=forms.RadioSelect
    )
    comment = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when you reject.",
    )


class LetterTemplateForm(forms.Form):
    body = forms.CharField(
        label="Letter",
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="Placeholders: "
        + ", ".join(f"{{{{ {name} }}}}" for name in PLACEHOLDERS)
        + ". Anything else is kept as typed.",
    )

    def clean_body(self):
        body = self.cleaned_data["body"]
        unknown = letter.unknown_placeholders(body)
        if unknown:
            raise forms.ValidationError(
                "Unknown placeholders: " + ", ".join(f"{{{{ {n} }}}}" for n in unknown)
            )
        return body
