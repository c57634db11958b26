"""The reports' filters: which postings (one, a team's, or all the user may see) and which
applications (submitted within a range of days, in the user's time zone)."""

from datetime import timedelta

from django import forms

from applications.models import Application
from dashboard.forms import _day_field, _start_of
from postings.models import Posting, Team
from reports.sql import Covered


class ReportFilterForm(forms.Form):
    posting = forms.ModelChoiceField(
        label="Posting", queryset=None, required=False, empty_label="All postings"
    )
    team = forms.ModelChoiceField(
        label="Team", queryset=None, required=False, empty_label="All teams"
    )
    submitted_from = _day_field("Submitted from")
    submitted_to = _day_field("Submitted until")

    def __init__(self, data=None, *, user):
        super().__init__(data)
        self.postings = Posting.objects.for_user(user)
        self.fields["posting"].queryset = self.postings.order_by("title", "pk")
        # Only teams with a posting the user may see: another team's name is not theirs to list.
        self.fields["team"].queryset = (
            Team.objects.filter(postings__in=self.postings.values("pk")).distinct().order_by("name")
        )
        for name, field in self.fields.items():
            control = "form-select" if name in ("posting", "team") else "form-control"
            field.widget.attrs["class"] = f"{control} {control}-sm"

    def clean(self):
        data = super().clean()
        start, end = data.get("submitted_from"), data.get("submitted_to")
        if start and end and start > end:
            self.add_error("submitted_to", "The end date must not be before the start date.")
        posting, team = data.get("posting"), data.get("team")
        if posting and team and not posting.teams.filter(pk=team.pk).exists():
            self.add_error("team", f"{posting.title} is not a posting of the team {team.name}.")
        return data

    def covered(self) -> Covered:
        """The postings and applications the reports cover; call after is_valid()."""
        data = self.cleaned_data
        postings = self.postings
        if data.get("posting"):
            postings = postings.filter(pk=data["posting"].pk)
        if data.get("team"):
            postings = postings.filter(teams=data["team"])
        # Erased applications count: their rows stay for exactly these statistics, and no
        # report names anyone.
        applications = Application.objects.filter(posting__in=postings.values("pk"))
        if data.get("submitted_from"):
            applications = applications.filter(submitted_at__gte=_start_of(data["submitted_from"]))
        if data.get("submitted_to"):
            end = _start_of(data["submitted_to"] + timedelta(days=1))
            applications = applications.filter(submitted_at__lt=end)
        return Covered(applications=applications, postings=postings)

    @property
    def query_string(self) -> str:
        """The filters in force, for the CSV links."""
        return self.data.urlencode() if self.is_bound else ""
