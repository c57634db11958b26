import re

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.urls import reverse
from django.utils.html import escape

from applications import pending_resumes
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


class TelInput(forms.TextInput):
    """A phone keypad on phones, and the browser's saved number."""

    input_type = "tel"


class ApplicationForm(forms.Form):
    """The applicant's form: contact details, resume, the posting's questions, consent."""

    name = forms.CharField(
        label="Full name",
        max_length=200,
        min_length=2,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Please enter your name."},
    )
    email = forms.EmailField(
        label="Email",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": "Please enter your email address, so we can reply."},
    )
    phone = forms.CharField(
        label="Phone",
        max_length=30,
        required=False,
        widget=TelInput(attrs={"autocomplete": "tel"}),
    )
    location = forms.CharField(
        label="Where are you based?",
        max_length=200,
        required=False,
        help_text="City and country.",
        # One field for both: autofill offers the city, the person adds the country.
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    resume = forms.FileField(
        label="Resume",
        help_text="PDF or Word (.docx), up to 10 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
        error_messages={"required": "Please attach your resume."},
    )
    # A signed reference to the resume attached to an earlier try of this form
    # (applications/pending_resumes.py), so that fixing a typo never means uploading again.
    resume_token = forms.CharField(required=False, widget=forms.HiddenInput)
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
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "url"}),
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
        self.kept_resume = None
        if self.data.get("resume_token"):
            # Attached on an earlier try: choosing a file again is optional (see clean()).
            self.fields["resume"].required = False
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
            Fieldset(
                "Your experience",
                "resume",
                # Autoescaped: the filename is the applicant's own.
                HTML(
                    "{% if form.attached_resume %}"
                    '<p class="form-text mt-n2" id="resume-attached"><strong>'
                    "{{ form.attached_resume }}</strong> is attached — choose another file to "
                    "replace it.</p>{% endif %}"
                ),
                "resume_token",
                "links",
                "cover_letter",
            ),
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
        if upload:
            self.checked_resume = check_resume(upload)
        return upload

    def _clean_kept_resume(self, cleaned) -> None:
        """No new file, but one attached on an earlier try: check that one again."""
        reference = cleaned.get("resume_token")
        if "resume" in self.errors or cleaned.get("resume") or not reference:
            return
        try:
            kept = pending_resumes.open_kept(reference, posting=self.posting)
        except pending_resumes.PendingResumeError:
            self.add_error("resume", pending_resumes.ATTACH_AGAIN)
            return
        try:
            self.checked_resume = check_resume(kept)
        except ValidationError as error:
            kept.close()
            self.add_error("resume", error)
            return
        cleaned["resume"] = self.kept_resume = kept

    @property
    def attached_resume(self) -> str | None:
        """The name of the resume carried from an earlier try, if the reference is good."""
        reference = self.data.get("resume_token") if self.is_bound else None
        if not reference or "resume" in (self._errors or {}):
            return None
        return pending_resumes.filename(reference, posting=self.posting)

    def keep_resume(self) -> None:
        """After a failed submission: keep a newly attached resume that passed its checks and
        put its reference in the form, so the next try does not need it again."""
        upload = self.cleaned_data.get("resume")
        if "resume" in self.errors:
            # A refused file (or a stale reference) leaves nothing attached, so that the
            # field asks for a file and an older one is never sent without being seen.
            reference = ""
            self.fields["resume"].required = True
        elif self.checked_resume is None or upload is self.kept_resume:
            if self.kept_resume is not None:
                self.kept_resume.close()  # still kept, under the reference the form carries
            return
        else:
            reference = pending_resumes.keep(
                upload,
                posting=self.posting,
                original_filename=self.checked_resume.original_filename,
            )
            self.fields["resume"].required = False  # attached: no asterisk asks for it again
        self.data = self.data.copy()
        self.data["resume_token"] = reference

    def release_kept_resume(self) -> None:
        """The application holds its own copy now: the kept file goes."""
        if self.kept_resume is not None:
            self.kept_resume.close()
            pending_resumes.discard(self.cleaned_data["resume_token"], posting=self.posting)

    def clean(self):
        cleaned = super().clean()
        self._clean_kept_resume(cleaned)
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

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(element id, label, message) for each error of a field, in the form's order: the
        summary above the form links each one to its field."""
        summary = []
        for bound in self:
            for error in bound.errors:
                # Radio buttons and checkbox lists have no element of the field's own id.
                anchor = bound.id_for_label or f"{bound.auto_id}_0"
                summary.append((anchor, bound.label, error))
        return summary

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
