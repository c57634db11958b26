"""Forms of the pipeline room: board filters, moving, rejecting, bulk actions, notes, settings."""

import calendar
import functools
import zoneinfo
from datetime import date, datetime, time, timedelta

from crispy_forms.helper import FormHelper
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import Profile
from applications.models import Answer, Application, RejectionReason, Source, Stage
from dashboard.models import Note
from search import queries as search
from sourcing.reads import tagged

# Far from both ends of what date and datetime can hold: the filter adds a day to its end date
# and makes both aware, which overflows at year 1 and 9999. No application is dated outside.
EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(2999, 12, 31)
DAY_OUT_OF_RANGE = f"Enter a date between {EARLIEST_DAY.isoformat()} and {LATEST_DAY.isoformat()}."


def _day_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(
            attrs={"type": "date", "min": EARLIEST_DAY.isoformat(), "max": LATEST_DAY.isoformat()}
        ),
        validators=[
            MinValueValidator(EARLIEST_DAY, DAY_OUT_OF_RANGE),
            MaxValueValidator(LATEST_DAY, DAY_OUT_OF_RANGE),
        ],
    )


class BoardFilterForm(forms.Form):
    """The board's GET filters. Fields that fail validation are shown with their error and
    simply not applied; the rest still filter."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"placeholder": "Name, email, resume, answers, notes, tags", "type": "search"}
        ),
    )
    stage = forms.TypedChoiceField(label="Stage", required=False, coerce=int, empty_value=None)
    source = forms.ChoiceField(label="Source", required=False)
    tag = forms.CharField(label="Tag", required=False, max_length=40)
    submitted_from = _day_field("Submitted from")
    submitted_to = _day_field("Submitted until")

    ANSWER_CHOICES = [("", "Any answer"), ("yes", "Yes"), ("no", "No")]

    def __init__(self, data=None, *, stages, questions, short_labels=None):
        """`short_labels`: {question id: a name for its filter in the summary line}."""
        super().__init__(data)
        self.short_labels = dict(self.SHORT_LABELS)
        self.fields["stage"].choices = [("", "All stages")] + [(s.pk, s.name) for s in stages]
        self.fields["source"].choices = [("", "Any source"), *Source.choices]
        self.questions = list(questions)
        for question in self.questions:
            self.fields[self.answer_field(question)] = forms.ChoiceField(
                label=question.label, required=False, choices=self.ANSWER_CHOICES
            )
            if question.pk in (short_labels or {}):
                self.short_labels[self.answer_field(question)] = short_labels[question.pk]

    @staticmethod
    def answer_field(question) -> str:
        return f"answer_{question.pk}"

    @property
    def answer_fields(self):
        return [self[self.answer_field(q)] for q in self.questions]

    @property
    def searching(self) -> bool:
        """A valid search term narrows the applications."""
        return self.is_bound and self.is_valid() and self.cleaned_data.get("q") is not None

    def clean_q(self):
        """The parsed query (search.queries.Query), or None for no search."""
        text = self.cleaned_data["q"]
        if not text.strip():
            return None
        try:
            return search.parse(text)
        except search.BadQuery as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        data = super().clean()
        start, end = data.get("submitted_from"), data.get("submitted_to")
        if start and end and start > end:
            self.add_error("submitted_to", "The end date must not be before the start date.")
        return data

    SHORT_LABELS = {"q": "Search", "submitted_from": "From", "submitted_to": "Until"}

    @property
    def active(self) -> list[tuple[str, str]]:
        """(label, value) of each filter in force, in words, for the summary line."""
        if not self.is_bound:
            return []
        self.is_valid()
        shown = []
        for name, value in self.cleaned_data.items():
            if value in (None, ""):
                continue
            field = self.fields[name]
            if hasattr(field, "choices"):
                value = {str(k): v for k, v in field.choices}.get(str(value), value)
            label = self.short_labels.get(name, field.label)
            shown.append((_shorten(str(label)), str(value)))
        return shown

    def filter(self, applications):
        """Apply every valid filter to a queryset of applications."""
        if not self.is_bound:
            return applications
        self.is_valid()
        data = self.cleaned_data
        if data.get("stage"):
            applications = applications.filter(stage_id=data["stage"])
        if data.get("source"):
            applications = applications.from_source(data["source"])
        if data.get("tag"):
            applications = tagged(applications, data["tag"])
        if data.get("submitted_from"):
            applications = applications.filter(submitted_at__gte=_start_of(data["submitted_from"]))
        if data.get("submitted_to"):
            end = _start_of(data["submitted_to"] + timedelta(days=1))
            applications = applications.filter(submitted_at__lt=end)
        for question in self.questions:
            answer = data.get(self.answer_field(question))
            if answer:
                applications = applications.filter(
                    Exists(
                        Answer.objects.filter(
                            application=OuterRef("pk"),
                            question=question,
                            value_bool=answer == "yes",
                        )
                    )
                )
        if data.get("q"):
            applications = search.matching(applications, data["q"])
        return applications


def _shorten(label: str, limit: int = 32) -> str:
    if len(label) <= limit:
        return label
    return label[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:?") + "…"


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


QUIET_LABEL = "Don't email the candidate"
NEED_REJECTION_REASON = "Choose a reason for rejecting."


def _rejection_reason_field(*, required: bool) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=RejectionReason.objects.active(),
        label="Reason for rejecting",
        required=required,
        empty_label="Choose a reason…",
        error_messages={"required": NEED_REJECTION_REASON},
    )


def _note_field() -> forms.CharField:
    return forms.CharField(
        label="Note",
        required=False,
        max_length=500,
        help_text="Optional, for the team; the candidate never sees it.",
    )


class _Quiet:
    """A "Don't email the candidate" box: ticked, no email; else whatever the stage sends."""

    @property
    def notify(self) -> bool | None:
        return False if self.cleaned_data.get("quiet") else None


class MoveForm(_Quiet, forms.Form):
    """One application to one stage; into the rejected stage only with a reason."""

    stage = forms.ModelChoiceField(queryset=Stage.objects.none(), label="Move to", empty_label=None)
    rejection_reason = _rejection_reason_field(required=False)
    reason = _note_field()
    quiet = forms.BooleanField(label=QUIET_LABEL, required=False)

    def __init__(self, data=None, *, posting, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["stage"].queryset = posting.stages.all()

    def clean(self):
        data = super().clean()
        stage = data.get("stage")
        if stage and stage.kind == Stage.Kind.REJECTED and not data.get("rejection_reason"):
            self.add_error("rejection_reason", NEED_REJECTION_REASON)
        return data


class RejectForm(_Quiet, forms.Form):
    rejection_reason = _rejection_reason_field(required=True)
    reason = _note_field()
    quiet = forms.BooleanField(
        label=QUIET_LABEL,
        required=False,
        help_text="Otherwise the rejection email waits for the posting's delay before it goes.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class FillPostingForm(forms.Form):
    """A filled posting's wrap-up: close it and reject the applications still open. Their
    emails are not optional here: each waits the posting's rejection delay, as one by one."""

    rejection_reason = _rejection_reason_field(required=True)
    reason = _note_field()


class BulkActionForm(_Quiet, forms.Form):
    """The board's action bar: the checked applications, and what to do with them."""

    REJECT = "reject"

    applications = forms.ModelMultipleChoiceField(
        queryset=Application.objects.none(),
        error_messages={"required": "Select at least one application first."},
    )
    action = forms.ChoiceField(label="Action", required=False)
    rejection_reason = _rejection_reason_field(required=False)
    reason = forms.CharField(label="Note", required=False, max_length=500)
    quiet = forms.BooleanField(label="Don't email the candidates", required=False)

    def __init__(self, data=None, *, applications, stages):
        super().__init__(data)
        self.stages = {str(stage.pk): stage for stage in stages}
        self.fields["applications"].queryset = applications
        moves, reject = [], [(self.REJECT, "Reject…")]
        for pk, stage in self.stages.items():
            emails = " · emails" if stage.notify_candidate else ""
            if stage.kind == Stage.Kind.REJECTED:
                reject = [(self.REJECT, f"Reject…{emails}")]
            else:
                moves.append((pk, f"Move to {stage.name}{emails}"))
        self.fields["action"].choices = [("", "Choose an action…"), *moves, *reject]

    def clean_action(self):
        action = self.cleaned_data["action"]
        if not action:
            raise forms.ValidationError("Choose what to do with the selected applications.")
        return action

    def clean(self):
        data = super().clean()
        if data.get("action") == self.REJECT and not data.get("rejection_reason"):
            self.add_error("rejection_reason", NEED_REJECTION_REASON)
        return data

    @property
    def is_reject(self) -> bool:
        return self.cleaned_data["action"] == self.REJECT

    @property
    def stage(self):
        return self.stages[self.cleaned_data["action"]]


class NoteForm(forms.ModelForm):
    class Meta:
        model = Note
        fields = ["body", "private"]
        labels = {"body": "Add a note", "private": "Private (hidden from interviewers)"}
        help_texts = {"body": "Type @username to notify a teammate who works on this posting."}
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"body": {"required": "Write something first."}}

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError("Write something first.")
        return body


@functools.cache
def time_zone_choices() -> list[tuple[str, str]]:
    # Region/City names only: the tz database's aliases ("EST5EDT", "Etc/GMT+3") mislead.
    zones = sorted(
        z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith("Etc/")
    )
    return [("UTC", "UTC"), *((z, z.replace("_", " ")) for z in zones)]


class SettingsForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label="Time zone", help_text="Every time the dashboard shows is in this zone."
    )

    class Meta:
        model = Profile
        fields = ["time_zone", "new_application_email"]
        labels = {"new_application_email": "Email me about new applications"}
        help_texts = {"new_application_email": "For the postings whose hiring team you are on."}
        widgets = {"new_application_email": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices()
        if self.instance.is_interviewer:
            # Interviewers sit on no hiring team: no application emails to choose.
            del self.fields["new_application_email"]


class WorkingHoursForm(forms.Form):
    """One row per weekday, "from" and "to" in the user's own time zone; an empty row is a
    day off."""

    DAYS = list(enumerate(calendar.day_name))

    def __init__(self, data=None, *, hours):
        """`hours`: [(weekday, starts, ends)] as stored, or the defaults."""
        initial = {}
        for weekday, starts, ends in hours:
            initial.setdefault(f"day{weekday}_from", starts)
            initial.setdefault(f"day{weekday}_to", ends)
        super().__init__(data, initial=initial)
        for weekday, name in self.DAYS:
            for end, label in (("from", f"{name} from"), ("to", f"{name} to")):
                self.fields[f"day{weekday}_{end}"] = forms.TimeField(
                    label=label,
                    required=False,
                    widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                )

    @property
    def rows(self):
        """(day, its abbreviation for narrow screens, "from" field, "to" field) per weekday."""
        return [
            (name, calendar.day_abbr[d], self[f"day{d}_from"], self[f"day{d}_to"])
            for d, name in self.DAYS
        ]

    def clean(self):
        data = super().clean()
        for weekday, name in self.DAYS:
            starts, ends = data.get(f"day{weekday}_from"), data.get(f"day{weekday}_to")
            if f"day{weekday}_from" in self.errors or f"day{weekday}_to" in self.errors:
                continue
            if (starts is None) != (ends is None):
                self.add_error(
                    f"day{weekday}_to" if ends is None else f"day{weekday}_from",
                    f"Give {name} both a start and an end, or leave both empty for a day off.",
                )
            elif starts is not None and ends <= starts:
                self.add_error(
                    f"day{weekday}_to", f"On {name}, \u201cto\u201d must be after \u201cfrom\u201d."
                )
        if not self.errors and not self.hours():
            raise forms.ValidationError(
                "Give the hours of at least one day: with none, Monday to Friday 09:00 to 17:00 "
                "would apply."
            )
        return data

    def hours(self) -> list[tuple[int, time, time]]:
        return [
            (d, self.cleaned_data[f"day{d}_from"], self.cleaned_data[f"day{d}_to"])
            for d, _ in self.DAYS
            if self.cleaned_data.get(f"day{d}_from") is not None
        ]


class CalendarConnectForm(forms.Form):
    url = forms.URLField(
        label="CalDAV address",
        max_length=500,
        assume_scheme="https",
        help_text="Your calendar's address, or your account's, from your calendar provider.",
    )
    username = forms.CharField(label="Username", max_length=200)
    password = forms.CharField(
        label="Password",
        max_length=500,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text="Preferably an app password made for the ATS; stored encrypted.",
    )
