"""The candidate page's scorecard summary and the decision form under it (advance, reject
with a reason, hold). The reads are interviews.summary; the write is
interviews.decisions.record_decision, which moves the application through the pipeline's
own service and rules."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from applications.models import Application, RejectionReason, Stage
from applications.pipeline import MoveNotAllowed
from dashboard.forms import QUIET_LABEL
from dashboard.scope import get_application, staff_required
from interviews import decisions, summary
from interviews.models import Decision


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Decision", choices=Decision.Outcome.choices, widget=forms.RadioSelect
    )
    to_stage = forms.ModelChoiceField(
        queryset=Stage.objects.none(), label="Advance to", required=False
    )
    rejection_reason = forms.ModelChoiceField(
        queryset=RejectionReason.objects.active(),
        label="Reason for rejecting",
        required=False,
        empty_label="Choose a reason…",
    )
    note = forms.CharField(
        label="Note for the team",
        required=False,
        max_length=Decision.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    quiet = forms.BooleanField(label=QUIET_LABEL, required=False)

    def __init__(self, data=None, *, application: Application, stages):
        super().__init__(data)
        self.application = application
        following = decisions.next_stage(application, stages)
        # The page renders these (no query); a POST is checked against the same stages.
        self.stage_choices = [
            s for s in stages if s.kind in decisions.ADVANCE_KINDS and s.pk != application.stage_id
        ]
        self.fields["to_stage"].queryset = Stage.objects.filter(
            pk__in=[s.pk for s in self.stage_choices]
        )
        self.next_stage = following

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Decision.Outcome.REJECT and not data.get("rejection_reason"):
            self.add_error("rejection_reason", "Choose a reason for rejecting.")
        return data

    @property
    def notify(self) -> bool | None:
        return False if self.cleaned_data.get("quiet") else None


def scorecard_context(user, application: Application, stages) -> dict:
    """What the candidate page's _scorecard_summary.html needs."""
    may_decide = (
        decisions.may_decide(user) and application.erased_at is None and application.can_move
    )
    return {
        "scorecards": summary.summary_for(application, user),
        "decision_form": DecisionForm(application=application, stages=stages)
        if may_decide
        else None,
        "decision_reasons": list(RejectionReason.objects.active()) if may_decide else [],
    }


@staff_required
@require_POST
def decide(request, posting_pk, pk):
    application = get_application(
        request.user,
        posting_pk,
        pk,
        Application.objects.select_related("candidate", "posting", "stage"),
    )
    back = redirect(application.get_dashboard_url() + "#scorecards")
    form = DecisionForm(
        request.POST, application=application, stages=list(application.posting.stages.all())
    )
    if not form.is_valid():
        messages.error(
            request,
            "The decision was not recorded: "
            + " ".join(str(e) for errors in form.errors.values() for e in errors),
        )
        return back
    try:
        decision = decisions.record_decision(
            application=application,
            outcome=form.cleaned_data["outcome"],
            by=request.user,
            note=form.cleaned_data["note"],
            to_stage=form.cleaned_data["to_stage"],
            rejection_reason=form.cleaned_data["rejection_reason"],
            notify=form.notify,
        )
    except (MoveNotAllowed, ValidationError) as error:
        text = error.messages if isinstance(error, ValidationError) else [str(error)]
        messages.error(request, "The decision was not recorded: " + " ".join(text))
        return back
    name = application.display_name
    if decision.outcome == Decision.Outcome.ADVANCE:
        messages.success(request, f"Advanced {name} to {decision.to_stage.name}.")
    elif decision.outcome == Decision.Outcome.REJECT:
        messages.success(request, f"Rejected {name}.")
    else:
        messages.success(request, f"{name} is on hold in {application.stage.name}.")
    return back
