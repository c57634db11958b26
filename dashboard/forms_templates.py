"""Forms of the candidate email templates and the message templates.

What a recruiter types is wording for notifications.wording: only the placeholders listed
beside the editor are replaced, so a name outside them is refused here by name rather than
left to reach a candidate as typed.
"""

from django import forms

from applications.models import Application
from conversations.models import WORDING_BODY_MAX, WORDING_SUBJECT_MAX, MessageTemplate
from conversations.placeholders import BASE_PLACEHOLDERS
from notifications.wording import unknown_placeholders

# The preview offers the most recent applications in the user's scope; any other one in scope
# is still accepted by id.
PREVIEW_CHOICES = 30


def _subject_field():
    return forms.CharField(
        max_length=WORDING_SUBJECT_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


def _body_field():
    return forms.CharField(
        max_length=WORDING_BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Blank lines separate paragraphs.",
        strip=False,
    )


def _check_wording(form, known) -> None:
    for name in ("subject", "body"):
        wording = form.cleaned_data.get(name)
        if wording is None:
            continue
        unknown = unknown_placeholders(wording, known)
        if unknown:
            form.add_error(
                name,
                "Unknown placeholders: "
                + ", ".join(f"{{{{ {n} }}}}" for n in unknown)
                + ". Use one of those listed beside the editor.",
            )


def clean_subject_line(subject: str) -> str:
    # The browser's input keeps to one line, but a crafted POST need not: a subject is one
    # header line, so a line break is refused rather than quietly joined.
    if "\r" in subject or "\n" in subject:
        raise forms.ValidationError("A subject is one line.")
    return subject.strip()


class PreviewApplicationField(forms.ModelChoiceField):
    def label_from_instance(self, application):
        return f"{application.name} · {application.posting.title}"


class WordingForm(forms.Form):
    subject = _subject_field()
    body = _body_field()

    def __init__(self, *args, placeholders, applications=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.placeholders = placeholders
        if applications is not None:
            field = PreviewApplicationField(
                queryset=applications,
                required=False,
                label="Preview with the application of",
                empty_label=None,
            )
            # Validation looks the id up in the whole scoped queryset; the menu lists the
            # most recent, so the page stays one query however many applications there are.
            field.widget.choices = [
                (app.pk, field.label_from_instance(app)) for app in applications[:PREVIEW_CHOICES]
            ]
            self.fields["application"] = field

    def clean_subject(self):
        return clean_subject_line(self.cleaned_data["subject"])

    def clean(self):
        cleaned = super().clean()
        _check_wording(self, self.placeholders)
        return cleaned


def preview_application(form, applications) -> Application | None:
    """The application the preview is filled from: the one chosen, else the most recent."""
    if form.is_bound and "application" in form.fields:
        field = form.fields["application"]
        try:
            chosen = field.clean(form.data.get("application") or None)
        except forms.ValidationError:
            chosen = None
        if chosen is not None:
            return chosen
    return applications.first()


class MessageTemplateForm(forms.ModelForm):
    subject = _subject_field()
    body = _body_field()

    class Meta:
        model = MessageTemplate
        fields = ["name", "posting", "subject", "body"]
        labels = {"posting": "For"}
        help_texts = {"name": 'What the compose form offers, e.g. "Follow-up after interview".'}

    def __init__(self, *args, postings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["posting"].queryset = postings
        self.fields["posting"].empty_label = "Every posting"
        self.fields["posting"].required = False

    def clean_subject(self):
        return clean_subject_line(self.cleaned_data["subject"])

    def clean(self):
        cleaned = super().clean()
        _check_wording(self, BASE_PLACEHOLDERS)
        return cleaned
