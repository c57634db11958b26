from django import forms

from postings.models import Location, Posting, Team


class PostingFilterForm(forms.Form):
    """The careers page's filters. Unknown values are ignored rather than erroring."""

    q = forms.CharField(required=False, max_length=100, label="Search")
    team = forms.ModelChoiceField(
        queryset=Team.objects.all(), required=False, to_field_name="slug", empty_label="All teams"
    )
    location = forms.ModelChoiceField(
        queryset=Location.objects.all(), required=False, empty_label="All locations"
    )
    employment_type = forms.ChoiceField(
        choices=[("", "All types"), *Posting.EmploymentType.choices], required=False, label="Type"
    )
    workplace = forms.ChoiceField(
        choices=[("", "Any workplace"), *Posting.WorkplaceType.choices], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-control" if name == "q" else "form-select"

    def filter(self, queryset):
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        if data["team"]:
            queryset = queryset.filter(teams=data["team"])
        if data["location"]:
            queryset = queryset.filter(locations=data["location"])
        if data["employment_type"]:
            queryset = queryset.filter(employment_type=data["employment_type"])
        if data["workplace"]:
            queryset = queryset.filter(workplace_type=data["workplace"])
        if data["q"]:
            queryset = queryset.search(data["q"])
        return queryset
