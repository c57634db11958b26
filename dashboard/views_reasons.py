"""The list of rejection reasons, kept by recruiters: every rejection picks one of them."""

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect, render

from applications.models import RejectionReason
from dashboard.scope import can_manage_postings, staff_required


class RejectionReasonForm(forms.ModelForm):
    class Meta:
        model = RejectionReason
        fields = ["label", "position", "active"]
        labels = {"label": "Reason", "active": "Offered"}


class BaseRejectionReasonFormSet(forms.BaseModelFormSet):
    def clean(self):
        super().clean()
        # The database holds names unique ignoring case; say so before it refuses.
        seen = set()
        for form in self.forms:
            label = (getattr(form, "cleaned_data", None) or {}).get("label")
            if label and label.casefold() in seen:
                raise forms.ValidationError(f"“{label}” is listed twice: give each its own name.")
            if label:
                seen.add(label.casefold())


RejectionReasonFormSet = forms.modelformset_factory(
    RejectionReason,
    form=RejectionReasonForm,
    formset=BaseRejectionReasonFormSet,
    extra=1,
    can_delete=False,
)


@staff_required
def rejection_reasons(request):
    # Like a posting's pipeline, the list is the recruiters' to keep; to anyone else the
    # page is not there at all.
    if not can_manage_postings(request.user):
        raise Http404("No such page.")
    formset = RejectionReasonFormSet(request.POST or None, queryset=RejectionReason.objects.all())
    if request.method == "POST":
        if formset.is_valid():
            try:
                with transaction.atomic():
                    formset.save()
            except IntegrityError:  # another recruiter saved the same name meanwhile
                messages.error(request, "Another reason has that name already.")
            else:
                messages.success(request, "Rejection reasons saved.")
                return redirect("dashboard:rejection_reasons")
        return render(request, "dashboard/rejection_reasons.html", {"formset": formset}, status=400)
    return render(request, "dashboard/rejection_reasons.html", {"formset": formset})
