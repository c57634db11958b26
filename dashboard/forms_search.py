"""The global search's form: the query, and filters by posting, stage, tag and source."""

from django import forms
from django.db.models.functions import Lower

from applications.models import Source, Stage
from search import queries as search
from sourcing.reads import tagged


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "maxlength": search.MAX_LENGTH,
                "placeholder": 'python "data pipelines" -java',
            }
        ),
    )
    posting = forms.ModelChoiceField(
        label="Posting", required=False, queryset=None, empty_label="Any posting"
    )
    stage = forms.ChoiceField(label="Stage", required=False)
    tag = forms.CharField(label="Tag", required=False, max_length=40)
    source = forms.ChoiceField(label="Source", required=False)

    def __init__(self, data=None, *, postings):
        """`postings`: the ones the user may see, which are also the ones filtered by."""
        super().__init__(data)
        self.fields["posting"].queryset = postings.order_by("title", "pk").only("pk", "title")
        # Stages by name, across postings: "Screen" of every pipeline that has one.
        names = (
            Stage.objects.filter(posting__in=postings.values("pk"))
            .order_by(Lower("name"))
            .values_list("name", flat=True)
        )
        unique = {}
        for name in names:
            unique.setdefault(name.casefold(), name)
        self.fields["stage"].choices = [("", "Any stage")] + [(n, n) for n in unique.values()]
        self.fields["source"].choices = [("", "Any source"), *Source.choices]
        for name in ("posting", "stage", "source"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["tag"].widget.attrs["class"] = "form-control form-control-sm"
        for name in [n for n in self.errors if n in self.fields] if self.is_bound else ():
            css = self.fields[name].widget.attrs.get("class", "")
            self.fields[name].widget.attrs["class"] = f"{css} is-invalid"

    def clean_q(self):
        """The parsed query (search.queries.Query); a query is what this page is for."""
        try:
            return search.parse(self.cleaned_data["q"])
        except search.BadQuery as error:
            raise forms.ValidationError(str(error)) from None

    def filter(self, applications):
        """Apply the valid filters to a queryset of applications."""
        data = self.cleaned_data
        if data.get("posting"):
            applications = applications.filter(posting=data["posting"])
        if data.get("stage"):
            applications = applications.filter(stage__name__iexact=data["stage"])
        if data.get("tag"):
            applications = tagged(applications, data["tag"])
        if data.get("source"):
            applications = applications.from_source(data["source"])
        return applications
