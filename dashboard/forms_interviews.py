"""Forms of scheduling: a time for an interview, times to offer, a cancellation.

Times are typed in the recruiter's own time zone (the middleware activates their profile's)
and come out of the form as aware datetimes, stored in UTC.
"""

from datetime import UTC, datetime, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from interviews.models import Interview

MAX_DAYS_AHEAD = 15


def _person(user) -> str:
    return user.get_full_name() or user.username


class InterviewerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return _person(user)


def pool_of(step):
    """Who may run `step`: its interviewer pool, active users only."""
    return (
        get_user_model()
        .objects.filter(interview_pool=step, is_active=True)
        .select_related("profile")
        .order_by("first_name", "last_name", "username")
    )


class _PlaceFields(forms.Form):
    location = forms.CharField(
        label="Location",
        required=False,
        max_length=Interview._meta.get_field("location").max_length,
        help_text="For an on-site or phone interview: an address, a room, a phone number.",
    )
    video_url = forms.URLField(
        label="Video call link",
        required=False,
        max_length=Interview._meta.get_field("video_url").max_length,
        assume_scheme="https",
    )


def _start_field() -> forms.DateTimeField:
    return forms.DateTimeField(
        label="Starts at",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class ScheduleForm(_PlaceFields):
    starts_at = _start_field()
    interviewers = InterviewerChoiceField(
        queryset=get_user_model().objects.none(), widget=forms.CheckboxSelectMultiple
    )
    field_order = ["starts_at", "interviewers", "location", "video_url"]

    def __init__(self, *args, step, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interviewers"].queryset = pool_of(step)
        zone = timezone.get_current_timezone_name()
        self.fields["starts_at"].help_text = f"In your time zone, {zone}."

    def clean_starts_at(self):
        starts_at = self.cleaned_data["starts_at"]
        if starts_at <= timezone.now():
            raise forms.ValidationError("Pick a time in the future.")
        return starts_at


class RescheduleForm(_PlaceFields):
    starts_at = _start_field()
    field_order = ["starts_at", "location", "video_url"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = timezone.get_current_timezone_name()
        self.fields["starts_at"].help_text = f"In your time zone, {zone}."


class FindTimesForm(forms.Form):
    """The GET half of offering times: whose time, and how many working days ahead."""

    interviewers = InterviewerChoiceField(
        queryset=get_user_model().objects.none(), widget=forms.CheckboxSelectMultiple
    )
    days = forms.IntegerField(
        label="Working days ahead", min_value=1, max_value=MAX_DAYS_AHEAD, initial=5
    )

    def __init__(self, *args, step, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interviewers"].queryset = pool_of(step)


class OfferForm(_PlaceFields):
    """The POST half: the times ticked (UTC ISO strings, each a free start found for the
    interviewers chosen), and the place."""

    interviewers = InterviewerChoiceField(
        queryset=get_user_model().objects.none(), widget=forms.MultipleHiddenInput
    )
    starts = forms.MultipleChoiceField(label="Times to offer", widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, step, slots: list[datetime], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interviewers"].queryset = pool_of(step)
        self.fields["starts"].choices = [
            (slot.astimezone(UTC).isoformat(), slot_label(slot)) for slot in slots
        ]

    def clean_starts(self):
        return [datetime.fromisoformat(value) for value in self.cleaned_data["starts"]]


def slot_label(slot: datetime) -> str:
    return timezone.localtime(slot).strftime("%a %b %-d, %H:%M")


def working_days_end(start: datetime, days: int) -> datetime:
    """The end of the `days`-th working day (Monday to Friday) after `start`, in the current
    time zone."""
    local = timezone.localtime(start)
    day, counted = local.date(), 0
    while counted < days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            counted += 1
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), datetime.min.time()))


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional, emailed to everyone invited)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
