"""Forms of the sourcing pages: refer someone, add a known candidate to another posting, tag,
merge. Adding a new person is sourcing.forms.AddCandidateForm, which Django admin shares."""

from django import forms

from applications.forms import CONTROL_CHARS
from applications.models import Candidate
from postings.models import Posting
from sourcing.forms import AddCandidateForm, PersonForm
from sourcing.models import Tag


class AddToPostingForm(forms.Form):
    """Add a known candidate to another posting: their address, the details of their latest
    application, and the posting and stage chosen here."""

    posting = forms.ModelChoiceField(label="Posting", queryset=None)
    source = AddCandidateForm.base_fields["source"]
    send_confirmation = AddCandidateForm.base_fields["send_confirmation"]

    def __init__(self, *args, postings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["posting"].queryset = postings


class ReferralForm(PersonForm):
    field_order = ["posting", "name", "email", "phone", "links", "resume", "relationship"]

    posting = forms.ModelChoiceField(label="Posting", queryset=None, empty_label="Choose a role…")
    relationship = forms.CharField(
        label="How do you know them?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Worked together at…, studied with…: what the hiring team should know.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["posting"].queryset = Posting.objects.open().order_by("title")
        self.fields["links"].help_text = "A LinkedIn or portfolio link, if you have no resume."

    def clean_relationship(self):
        text = self.cleaned_data["relationship"].strip()
        if CONTROL_CHARS.search(text):
            raise forms.ValidationError("This contains characters we cannot store.")
        return text

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("resume") and not cleaned.get("links"):
            raise forms.ValidationError("Attach their resume or give a link to their profile.")
        return cleaned


class TagForm(forms.Form):
    name = forms.CharField(label="Add a tag", max_length=Tag.NAME_MAX)


class MergeForm(forms.Form):
    other = forms.CharField(
        label="The other candidate's email address or number",
        max_length=254,
        help_text="Their number is in their candidate page's address: /dashboard/candidates/…/",
    )

    def clean_other(self):
        value = self.cleaned_data["other"].strip()
        found = Candidate.objects.filter(erased_at__isnull=True)
        if value.isdigit() and len(value) < 18:
            other = found.filter(pk=int(value)).first()
        else:
            other = found.with_email(value).first()
        if other is None:
            raise forms.ValidationError(f"No candidate has the address or number “{value}”.")
        return other
