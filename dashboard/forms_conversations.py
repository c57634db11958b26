"""Writing to candidates: the compose form of the candidate page and of "Email selected".

The wording's rules (lengths, placeholders, a time to come) are conversations.services',
which the views call; its ValidationError lands on these fields by name. A time is typed in
the writer's own time zone (the middleware activates their profile's).
"""

from django import forms
from django.utils import timezone

from conversations.models import Message


class ComposeForm(forms.Form):
    NOW, LATER = "now", "later"

    subject = forms.CharField(label="Subject", max_length=Message.SUBJECT_MAX, required=False)
    body = forms.CharField(
        label="Message",
        max_length=Message.BODY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Plain text; a blank line starts a paragraph. Placeholders are filled for "
        "each person.",
    )
    when = forms.ChoiceField(
        label="When",
        choices=[(NOW, "Send now"), (LATER, "Send at…")],
        initial=NOW,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    send_at = forms.DateTimeField(
        label="Send at",
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, templates=(), **kwargs):
        """`templates`: (value, label) pairs to start from, for the seam where saved
        templates (conversations.email_templates.compose_templates(posting)) plug in; with
        none, the form has no template field and starts blank."""
        super().__init__(*args, **kwargs)
        zone = timezone.get_current_timezone_name()
        self.fields["send_at"].help_text = f"In your time zone, {zone}."
        if templates:
            self.fields["template"] = forms.ChoiceField(
                label="Start from a template",
                choices=[("", "Blank"), *templates],
                required=False,
            )
            self.order_fields(["template"])

    def clean(self):
        data = super().clean()
        if data.get("when") == self.LATER and not data.get("send_at"):
            self.add_error("send_at", "Pick the time to send it at.")
        if data.get("when") != self.LATER:
            data["send_at"] = None
        return data
