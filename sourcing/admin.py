from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from sourcing import services
from sourcing.forms import AdminAddCandidateForm
from sourcing.models import CandidateTag, Origin, Tag


@admin.register(Origin)
class OriginAdmin(admin.ModelAdmin):
    """Applications the team added, and Django admin's way to add one.

    Application itself has no admin "add": a bare row would skip what every application
    gets (the candidate of its address, a checked resume in private storage, its stage
    history). "Add" here goes through sourcing.services.add_candidate like the dashboard's
    form, with the same form.
    """

    list_display = ["application", "source", "by", "added_by", "created_at"]
    list_filter = ["source"]
    list_select_related = ["application__posting", "by", "added_by"]
    search_fields = ["application__name", "application__candidate__email"]
    readonly_fields = ["application", "source", "by", "added_by", "relationship", "link"]
    date_hierarchy = "created_at"

    def has_change_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        from applications.models import Application

        # Adding an application is what this does: the right to add one, not an origin.
        if not request.user.has_perm("applications.add_application") and not (
            request.user.is_superuser
        ):
            raise PermissionDenied
        form = AdminAddCandidateForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                application = form.add(by=request.user)
            except services.CannotAdd as refusal:
                form.add_error(None, str(refusal))
            else:
                self.log_addition(request, application.origin, [{"added": {}}])
                messages.success(request, f"Added {application}.")
                return redirect(
                    reverse("admin:applications_application_change", args=[application.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": "Add a candidate to a posting",
            "form": form,
            "opts": Application._meta,
            "has_view_permission": True,
        }
        return TemplateResponse(
            request,
            "admin/sourcing/add_candidate.html",
            context,
            status=400 if form.errors else 200,
        )


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]


@admin.register(CandidateTag)
class CandidateTagAdmin(admin.ModelAdmin):
    list_display = ["tag", "candidate", "added_by", "added_at"]
    list_select_related = ["tag", "candidate", "added_by"]
    raw_id_fields = ["candidate", "added_by"]
