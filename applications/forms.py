import re

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.urls import reverse
from django.utils.html import escape

from applications.privacy import CURRENT_VERSION, PRIVACY_NOTICES
from applications.resumes import check_resume
from postings.models import Question

# C0 and C1 control characters (C1 holds NEL, \x85, which some software reads as a line break).
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
LINE_BREAKS = re.compile(r"[\r\n\x85\u2028\u2029]")
PHONE = re.compile(r"^\+?[0-9 ()./-]{6,30}$")
MAX_LINKS = 5


def _single_line(value: str, what: str) -> str:
    value = value.strip()
    if LINE_BREAKS.search(value) or CONTROL_CHARS.search(value):
        raise ValidationError(f"Your {what} can only be one line of ordinary text.")
    return value


class ApplicationForm(forms.Form):
    """The applicant's form: contact details, resume, the posting's questions, consent."""

    name = forms.CharField(
        label="Full name",
        max_length=200,
        min_length=2,
        error_messages={"required": "Please enter your name."},
    )
    email = forms.EmailField(
        label="Email",
        max_length=254,
        error_messages={"required": "Please enter your email address, so we can reply."},
    )
    phone = forms.CharField(label="Phone", max_length=30, required=False)
    location = forms.CharField(
        label="Where are you based?",
        max_length=200,
        required=False,
        help_text="City and country.",
    )
    resume = forms.FileField(
        label="Resume",
        help_text="PDF or Word (.docx), up to 10 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
        error_messages={"required": "Please attach your resume."},
    )
    cover_letter = forms.CharField(
        label="Cover letter",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    links = forms.CharField(
        label="Links",
        required=False,
        max_length=2_000,
        help_text="LinkedIn, GitHub, portfolio: one per line.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    consent = forms.BooleanField(
        # The one wording of the current notice: what the applicant agrees to is what is recorded.
        label=PRIVACY_NOTICES[CURRENT_VERSION],
        error_messages={"required": "We need your consent to process your application."},
    )
    # Honeypot: hidden from people by CSS, irresistible to form-filling bots.
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        # Out of the tab order and autofill too, so that no person fills it by accident.
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, posting, **kwargs):
        super().__init__(*args, **kwargs)
        self.posting = posting
        self.questions = list(posting.questions.all())
        for question in self.questions:
            self.fields[question.field_name] = self._field_for(question)
        self.checked_resume = None
        self.helper = self._helper()

    @staticmethod
    def _field_for(question: Question) -> forms.Field:
        common = {
            "label": question.label,
            "required": question.required,
            # Form renderers (crispy's and Django's own) print help_text as HTML, and a
            # recruiter's hint is plain text: escaped here, it can never become markup.
            "help_text": escape(question.help_text),
            "error_messages": {"required": "Please answer this question."},
        }
        kind = Question.Kind
        match question.kind:
            case kind.YES_NO:
                return forms.TypedChoiceField(
                    choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect, **common
                )
            case kind.SHORT_TEXT:
                return forms.CharField(max_length=Question.SHORT_TEXT_MAX, **common)
            case kind.LONG_TEXT:
                return forms.CharField(
                    max_length=Question.LONG_TEXT_MAX,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    **common,
                )
            case kind.NUMBER:
                return forms.CharField(
                    max_length=30, widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common
                )
            case kind.URL:
                return forms.CharField(
                    max_length=500,
                    widget=forms.URLInput(attrs={"placeholder": "https://"}),
                    **common,
                )
            case kind.SINGLE_CHOICE:
                return forms.ChoiceField(
                    choices=[(c, c) for c in question.choices], widget=forms.RadioSelect, **common
                )
            case kind.MULTIPLE_CHOICE:
                return forms.MultipleChoiceField(
                    choices=[(c, c) for c in question.choices],
                    widget=forms.CheckboxSelectMultiple,
                    **common,
                )
        raise ValueError(question.kind)

    def _helper(self) -> FormHelper:
        helper = FormHelper()
        helper.form_method = "post"
        helper.form_action = reverse("applications:apply", args=[self.posting.slug])
        # crispy adds enctype="multipart/form-data" itself, the form having a file field.
        helper.attrs = {"novalidate": ""}
        helper.form_id = "apply-form"
        # Yes and No side by side; longer lists of choices stay one per line.
        question_fields = [
            InlineRadios(q.field_name) if q.kind == Question.Kind.YES_NO else q.field_name
            for q in self.questions
        ]
        helper.layout = Layout(
            HTML(
                '<p class="small text-body-secondary">Fields marked'
                '<span class="asteriskField">*</span> are required.</p>'
            ),
            Fieldset(
                "About you",
                "name",
                Div(
                    Div("email", css_class="col-md-6"),
                    Div("phone", css_class="col-md-6"),
                    css_class="row",
                ),
                "location",
            ),
            Fieldset("Your experience", "resume", "links", "cover_letter"),
            *([Fieldset("A few questions", *question_fields)] if question_fields else []),
            Div("website", css_class="honeypot", aria_hidden="true"),
            Fieldset("Privacy", "consent"),
            Submit("submit", "Submit application", css_class="btn-lg"),
        )
        return helper

    def clean_name(self):
        return _single_line(self.cleaned_data["name"], "name")

    def clean_email(self):
        email = _single_line(self.cleaned_data["email"], "email")
        # Keep the domain as mail servers read it (IDNA, lower case). Full-width letters or a
        # zero-width space would otherwise make a second candidate for one mailbox, and a
        # look-alike domain shows as xn--… rather than passing for the real one.
        local, _, domain = email.rpartition("@")
        try:
            domain = domain.encode("idna").decode("ascii").lower()
        except UnicodeError:
            raise ValidationError("Enter a valid email address.") from None
        return f"{local}@{domain}"

    def clean_phone(self):
        phone = _single_line(self.cleaned_data["phone"], "phone number")
        if phone and (not PHONE.match(phone) or len(re.sub(r"\D", "", phone)) < 6):
            raise ValidationError("Enter a phone number with digits only, e.g. +1 415 555 0100.")
        return phone

    def clean_location(self):
        return _single_line(self.cleaned_data["location"], "location")

    def clean_cover_letter(self):
        text = self.cleaned_data["cover_letter"].strip()
        if CONTROL_CHARS.search(text):
            raise ValidationError("Your cover letter contains characters we cannot store.")
        return text

    def clean_links(self):
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        if len(lines) > MAX_LINKS:
            raise ValidationError(f"Add at most {MAX_LINKS} links.")
        validate = URLValidator(schemes=["http", "https"])
        for line in lines:
            try:
                validate(line)
            except ValidationError:
                raise ValidationError(
                    f"“{line[:80]}” is not a full web address (start it with https://)."
                ) from None
        return lines

    def clean_resume(self):
        upload = self.cleaned_data["resume"]
        self.checked_resume = check_resume(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        self.answers = {}
        for question in self.questions:
            name = question.field_name
            if name in self.errors:
                continue
            try:
                self.answers[question] = question.clean_answer(cleaned.get(name))
            except ValidationError as error:
                self.add_error(name, error)
        return cleaned

    def errors_before_validation(self, message: str) -> None:
        """Show `message` on the bound form without validating it (no file is read)."""
        self._errors = forms.utils.ErrorDict()
        self.cleaned_data = {}
        self.add_error(None, message)

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))


class ManageLinkForm(forms.Form):
    email = forms.EmailField(
        label="The email address you applied with",
        max_length=254,
        error_messages={"required": "Please enter your email address."},
    )

    def clean_email(self):
        return _single_line(self.cleaned_data["email"], "email")
