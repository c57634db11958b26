"""Forms of the posting management pages, with their crispy layouts.

They check what a person typed and say what is wrong beside the field; the writes and the
rules that must hold whatever the caller are in postings.services.
"""

import re

from crispy_bootstrap5.bootstrap5 import Switch
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator

from applications import pipeline
from applications.models import Stage
from interviews.models import InterviewStep
from interviews.plan import clean_attribute_names
from postings import services
from postings.models import Location, Posting, Question, Team


class PostingForm(forms.ModelForm):
    slug = forms.SlugField(
        required=False,
        max_length=services.SLUG_MAX_LENGTH,
        label="Address",
        help_text="The end of the careers-site link: /jobs/backend-engineer/. Leave it blank to "
        "make one from the title. Changing it breaks links already shared.",
    )
    salary_currency = forms.CharField(
        max_length=3,
        initial="USD",
        label="Currency",
        widget=forms.TextInput(attrs={"size": 3, "autocapitalize": "characters"}),
    )
    # Left blank (or missing from a form made before openings existed), it keeps the number
    # the posting has: one for a new posting.
    openings = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=999,
        initial=1,
        label="Openings",
        help_text="How many people it hires. Once all are hired, you are asked whether to "
        "close it.",
        error_messages={"min_value": "A posting has at least one opening."},
    )
    closes_at = forms.DateTimeField(
        required=False,
        label="Closes at (UTC)",
        help_text="Leave blank to keep the posting open until you close it.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    class Meta:
        model = Posting
        fields = [
            "title",
            "slug",
            "teams",
            "summary",
            "locations",
            "employment_type",
            "workplace_type",
            "salary_min",
            "salary_max",
            "salary_currency",
            "salary_period",
            "pay_transparency_note",
            "equity",
            "relocation_assistance",
            "closes_at",
            "auto_reject_knockouts",
            "rejection_email_delay_hours",
            "openings",
        ]
        labels = {
            "salary_min": "Minimum",
            "salary_max": "Maximum",
            "salary_period": "Per",
            "employment_type": "Employment type",
            "workplace_type": "Workplace",
            "equity": "Equity is offered",
            "relocation_assistance": "Relocation assistance is offered",
            "auto_reject_knockouts": "Reject knock-out answers automatically",
            "rejection_email_delay_hours": "Rejection email delay (hours)",
        }
        help_texts = {
            "locations": "None chosen shows no location.",
            "teams": "One or more: the careers page lists the role under each.",
            "equity": "",
        }
        widgets = {
            "locations": forms.CheckboxSelectMultiple,
            "teams": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 2}),
            "pay_transparency_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = Team.objects.all()
        self.fields["teams"].error_messages["required"] = "Choose at least one team."
        self.fields["locations"].queryset = Location.objects.all()
        self.fields["salary_period"].choices = Posting.SalaryPeriod.choices
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                "The role",
                "title",
                "slug",
                Div(Field("teams"), css_class="checkbox-choices"),
                "summary",
            ),
            Fieldset(
                "Where and how",
                Row(
                    Column("employment_type", css_class="col-md-4"),
                    Column("workplace_type", css_class="col-md-4"),
                    Column("openings", css_class="col-md-4"),
                ),
                Div(Field("locations"), css_class="checkbox-choices"),
            ),
            Fieldset(
                "Pay",
                Row(
                    Column("salary_min", css_class="col-6 col-md-3"),
                    Column("salary_max", css_class="col-6 col-md-3"),
                    Column("salary_currency", css_class="col-6 col-md-2"),
                    Column("salary_period", css_class="col-6 col-md-4"),
                ),
                HTML(
                    '<p class="form-text mt-n2">Leave both ends blank to show no range. '
                    "Applicants see it as, for example, “$120,000 – $180,000 USD per year”.</p>"
                ),
                "pay_transparency_note",
                Switch("equity"),
                Switch("relocation_assistance"),
            ),
            Fieldset(
                "Screening and dates",
                Switch("auto_reject_knockouts"),
                Row(
                    Column("rejection_email_delay_hours", css_class="col-md-6"),
                    Column("closes_at", css_class="col-md-6"),
                ),
            ),
        )

    def clean_openings(self):
        return self.cleaned_data["openings"] or self.instance.openings

    def clean_salary_currency(self):
        code = self.cleaned_data["salary_currency"].strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", code):
            raise forms.ValidationError("Use a three-letter currency code, such as USD or EUR.")
        return code

    def clean(self):
        cleaned = super().clean()
        slug, exclude = cleaned.get("slug"), self.instance.pk
        if "slug" in self.errors:
            return cleaned
        if slug:
            if services.slug_taken(slug, exclude_pk=exclude):
                self.add_error("slug", services.SLUG_TAKEN)
        elif cleaned.get("title"):
            slug = services.slug_for(cleaned["title"], exclude_pk=exclude)
            if slug:
                cleaned["slug"] = slug
            else:
                self.add_error(
                    "slug", "The title has no letters or digits to make an address from: type one."
                )
        return cleaned


class SectionForm(forms.Form):
    heading = forms.CharField(max_length=100)
    body = forms.CharField(
        label="Text",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Markdown: blank lines between paragraphs, “- ” for lists, **bold**, *italic*, "
        "[links](https://…).",
    )


class BaseSectionFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["ORDER"].label = "Position"
        form.fields["ORDER"].widget.attrs["min"] = 1
        form.fields["DELETE"].label = "Remove this section"

    def sections(self) -> list[services.SectionData]:
        return [
            services.SectionData(heading=f.cleaned_data["heading"], body=f.cleaned_data["body"])
            for f in self.ordered_forms
        ]


SectionFormSet = forms.formset_factory(
    SectionForm,
    formset=BaseSectionFormSet,
    extra=1,
    can_order=True,
    can_delete=True,
    max_num=30,
    validate_max=True,
)


def section_formset(posting: Posting, data=None) -> BaseSectionFormSet:
    initial = (
        [{"heading": s.heading, "body": s.body} for s in posting.sections.all()]
        if posting.pk
        else []
    )
    return SectionFormSet(data, initial=initial, prefix="sections")


class SectionFormHelper(FormHelper):
    form_tag = False
    disable_csrf = True

    def __init__(self):
        super().__init__()
        self.layout = Layout(
            Row(
                Column("heading", css_class="col-8 col-md-9"),
                Column("ORDER", css_class="col-4 col-md-3"),
            ),
            "body",
            Field("DELETE"),
        )


class QuestionForm(forms.ModelForm):
    choices = forms.CharField(
        required=False,
        label="Options",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Single and multiple choice questions only: one option per line.",
    )

    class Meta:
        model = Question
        fields = [
            "label",
            "help_text",
            "kind",
            "required",
            "choices",
            "knockout_answer",
            "card_badge",
        ]
        labels = {
            "label": "Question",
            "help_text": "Hint for applicants",
            "kind": "Answer type",
            "required": "Applicants must answer",
            "knockout_answer": "Knock-out answer",
            "card_badge": "Badge on board cards",
        }
        help_texts = {
            "knockout_answer": "An answer that flags the application for review: “yes” or “no” "
            "for a yes/no question, or one of the options exactly. Leave blank for none.",
        }

    def __init__(self, *args, submit_label="Save question", **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["choices"] = "\n".join(self.instance.choices or [])
        self.fields["kind"].widget.attrs["data-question-kind"] = ""
        self.helper = FormHelper(self)
        self.helper.layout = Layout(
            "label",
            "help_text",
            Row(
                Column("kind", css_class="col-xl-6"),
                Column(Switch("required"), css_class="col-xl-6 pt-xl-4"),
            ),
            Div("choices", css_class="question-choices"),
            "knockout_answer",
            "card_badge",
        )
        self.helper.add_input(Submit("save", submit_label))

    def clean_choices(self) -> list[str]:
        text = self.cleaned_data.get("choices") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def clean_knockout_answer(self):
        answer = self.cleaned_data.get("knockout_answer", "").strip()
        if (
            answer.lower() in ("yes", "no")
            and self.cleaned_data.get("kind") == Question.Kind.YES_NO
        ):
            answer = answer.lower()
        return answer


class StageForm(forms.ModelForm):
    """Name, applicant-facing name and notification of a stage; its kind never changes."""

    class Meta:
        model = Stage
        fields = ["name", "candidate_name", "notify_candidate"]
        labels = {
            "name": "Name for the team",
            "candidate_name": "Name the applicant sees",
            "notify_candidate": "Email the applicant when they are moved here",
        }
        help_texts = {
            "candidate_name": "On their status page and in email. Blank: the same name.",
            "notify_candidate": "",
        }

    def __init__(self, *args, posting: Posting, submit_label="Save stage", **kwargs):
        super().__init__(*args, **kwargs)
        self.posting = posting
        self.fields["candidate_name"].required = False
        self.helper = FormHelper(self)
        self.helper.layout = Layout(
            "name",
            "candidate_name",
            Switch("notify_candidate"),
        )
        self.helper.add_input(Submit("save", submit_label))

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = self.posting.stages.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(f"This pipeline already has a stage called “{name}”.")
        return name


class HiringTeamForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        label="Add a teammate",
        empty_label="Choose a person",
    )

    def __init__(self, *args, posting: Posting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, profile__isnull=False)
            .exclude(hiring_postings=posting)
            .select_related("profile")
            .order_by("first_name", "last_name", "username")
        )
        self.fields["user"].label_from_instance = _person_label
        self.helper = FormHelper(self)
        self.helper.add_input(Submit("add", "Add to the team"))


def _person_label(user) -> str:
    name = user.get_full_name() or user.username
    return f"{name} · {user.profile.get_role_display()} · {user.email}"


def staff_users():
    """Who can sit on an interview: active staff, of any role."""
    return (
        get_user_model()
        .objects.filter(is_active=True, profile__isnull=False)
        .select_related("profile")
        .order_by("first_name", "last_name", "username")
    )


class InterviewStepForm(forms.ModelForm):
    """One step of the plan: what it is, what it assesses (attributes, one per line, in the
    order typed) and who may run it."""

    attributes = forms.CharField(
        required=False,
        label="Attributes it assesses",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line, in the order the scorecard lists them: “System design”.",
    )
    interviewers = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label="Interviewer pool",
        widget=forms.CheckboxSelectMultiple,
        help_text="Scheduling offers these people for this step.",
    )

    class Meta:
        model = InterviewStep
        fields = ["stage", "name", "kind", "duration_minutes", "guidance"]
        labels = {
            "stage": "Held in stage",
            "name": "Step name",
            "duration_minutes": "Duration (minutes)",
            "guidance": "Guidance for interviewers",
        }
        widgets = {"guidance": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, posting: Posting, submit_label="Save step", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = posting.stages.filter(kind__in=pipeline.OPEN_KINDS)
        self.fields["stage"].empty_label = None
        self.fields["duration_minutes"].min_value = InterviewStep.MIN_MINUTES
        self.fields["duration_minutes"].max_value = InterviewStep.MAX_MINUTES
        self.fields["duration_minutes"].widget.attrs.update(
            min=InterviewStep.MIN_MINUTES, max=InterviewStep.MAX_MINUTES, step=5
        )
        self.fields["duration_minutes"].validators += [
            MinValueValidator(InterviewStep.MIN_MINUTES),
            MaxValueValidator(InterviewStep.MAX_MINUTES),
        ]
        self.fields["interviewers"].queryset = staff_users()
        self.fields["interviewers"].label_from_instance = _person_label
        if self.instance.pk and not self.is_bound:
            self.initial["attributes"] = "\n".join(a.name for a in self.instance.attributes.all())
            self.initial["interviewers"] = list(self.instance.interviewers.all())
        self.helper = FormHelper(self)
        self.helper.layout = Layout(
            Row(Column("name", css_class="col-md-7"), Column("stage", css_class="col-md-5")),
            Row(Column("kind"), Column("duration_minutes")),
            "guidance",
            "attributes",
            Div(Field("interviewers"), css_class="checkbox-choices"),
        )
        self.helper.add_input(Submit("save", submit_label))

    def clean(self):
        data = super().clean()
        name, stage = " ".join((data.get("name") or "").split()), data.get("stage")
        if name and stage:
            taken = stage.interview_steps.filter(name__iexact=name).exclude(pk=self.instance.pk)
            if taken.exists():
                # On the field, so that the model's own constraint check (the same rule)
                # skips it rather than naming the constraint.
                self.add_error("name", f"“{stage.name}” already has a step called “{name}”.")
        return data

    def clean_attributes(self) -> list[str]:
        try:
            return clean_attribute_names((self.cleaned_data.get("attributes") or "").splitlines())
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None


class CopyPlanForm(forms.Form):
    source = forms.ModelChoiceField(
        queryset=Posting.objects.none(),
        label="Copy the plan of",
        empty_label="Choose a posting",
        help_text="Its steps are added to the stages of the same name here; steps this plan "
        "already has by name are left as they are.",
    )

    def __init__(self, *args, posting: Posting, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = (
            Posting.objects.for_user(user).exclude(pk=posting.pk).order_by("title", "pk")
        )
        self.helper = FormHelper(self)
        self.helper.add_input(Submit("copy", "Copy plan", css_class="btn-outline-primary"))
