"""Forms of sourcing that Django admin and the dashboard share: a person's details checked as
the apply form checks them (its own cleaning methods, and applications.resumes for the file),
so a person added by the team is held to what an applicant is."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from applications.forms import ApplicationForm
from applications.models import ADDED_SOURCES, Source, Stage
from applications.pipeline import OPEN_KINDS
from applications.resumes import check_resume
from applications.services import Applicant
from postings.models import Posting
from sourcing import services


def staff_users():
    """Who may be named as having sourced or referred someone: active staff."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(profile__isnull=False) | Q(is_superuser=True))
        .order_by("first_name", "last_name", "username")
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        full = user.get_full_name()
        return f"{full} ({user.username})" if full else user.username


class PersonForm(forms.Form):
    """Name, address, phone, links and an optional resume, checked as the apply form does."""

    name = forms.CharField(label="Full name", max_length=200, min_length=2)
    email = forms.EmailField(label="Email", max_length=254)
    phone = forms.CharField(label="Phone", max_length=30, required=False)
    links = forms.CharField(
        label="Links",
        required=False,
        max_length=2_000,
        help_text="LinkedIn, GitHub, portfolio: one per line.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    resume = forms.FileField(
        label="Resume",
        required=False,
        help_text="Optional. PDF or Word (.docx), up to 10 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
    )

    clean_name = ApplicationForm.clean_name
    clean_email = ApplicationForm.clean_email
    clean_phone = ApplicationForm.clean_phone
    clean_links = ApplicationForm.clean_links

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.checked_resume = None

    def clean_resume(self):
        upload = self.cleaned_data["resume"]
        if upload:
            self.checked_resume = check_resume(upload)
        return upload

    def applicant(self) -> Applicant:
        data = self.cleaned_data
        return Applicant(
            name=data["name"], email=data["email"], phone=data["phone"], links=data["links"]
        )


class AddCandidateForm(PersonForm):
    field_order = ["name", "email", "phone", "links", "resume", "source", "sourced_by", "stage"]

    source = forms.ChoiceField(
        label="Source",
        choices=[(s.value, s.label) for s in ADDED_SOURCES],
        initial=Source.SOURCED,
    )
    sourced_by = UserChoiceField(
        label="Sourced by", queryset=None, help_text="Who found them; for a referral, who referred."
    )
    stage = forms.ModelChoiceField(label="Stage", queryset=None, empty_label=None)
    send_confirmation = forms.BooleanField(
        label="Send the confirmation with their status link",
        required=False,
        help_text="Otherwise they hear nothing from us until you write to them.",
    )

    def __init__(self, *args, posting: Posting | None, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.posting = posting
        self.fields["sourced_by"].queryset = staff_users()
        self.fields["sourced_by"].initial = user.pk
        if posting is not None:
            self.fields["stage"].queryset = posting.stages.filter(kind__in=OPEN_KINDS)

    def add(self, *, by):
        """The valid form's person added to its stage's posting (sourcing.services), by `by`.
        Raises CannotAdd with the reason."""
        data = self.cleaned_data
        return services.add_candidate(
            posting=data["stage"].posting,
            applicant=self.applicant(),
            stage=data["stage"],
            source=data["source"],
            sourced_by=data["sourced_by"],
            added_by=by,
            resume=self.checked_resume,
            resume_file=data["resume"] or None,
            send_confirmation=data["send_confirmation"],
        )


class AdminAddCandidateForm(AddCandidateForm):
    """Django admin's "add": the stage names its posting, so one form serves every posting."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, posting=None, user=user, **kwargs)
        self.fields["stage"] = StageChoiceField(
            label="Posting and stage",
            queryset=Stage.objects.filter(kind__in=OPEN_KINDS)
            .select_related("posting")
            .order_by("posting__title", "position"),
        )


class StageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, stage):
        return f"{stage.posting.title}: {stage.name}"
