from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html

from applications.models import (
    Answer,
    Application,
    Candidate,
    RejectionReason,
    Resume,
    Stage,
    StageChange,
)
from applications.views import resume_file_response
from postings.models import Question


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    fields = ["question", "display"]
    readonly_fields = ["question", "display"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class StageChangeInline(admin.TabularInline):
    model = StageChange
    fk_name = "application"
    extra = 0
    fields = ["at", "from_stage", "to_stage", "by", "rejection_reason", "reason"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class YesNoAnswerFilter(admin.SimpleListFilter):
    """Filter by the answer to any yes/no question, e.g. "Are you applying to the internship?"."""

    title = "yes/no answer"
    parameter_name = "answer"

    def lookups(self, request, model_admin):
        questions = Question.objects.filter(kind=Question.Kind.YES_NO).select_related("posting")
        return [
            (f"{q.pk}:{value}", f"{q.posting.title}: {q.label} — {label}")
            for q in questions
            for value, label in (("yes", "Yes"), ("no", "No"))
        ]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        question_id, _, value = self.value().partition(":")
        if not question_id.isdigit() or value not in ("yes", "no"):
            return queryset
        return queryset.filter(
            answers__question_id=int(question_id), answers__value_bool=(value == "yes")
        )


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "candidate",
        "posting",
        "stage",
        "submitted_at",
        "needs_review",
        "source",
    ]
    list_filter = ["posting", "stage__name", "needs_review", YesNoAnswerFilter, "utm_source"]
    search_fields = ["name", "candidate__name", "candidate__email"]
    list_select_related = ["candidate", "posting", "stage"]
    date_hierarchy = "submitted_at"
    readonly_fields = [
        "candidate",
        "posting",
        "stage",
        "submitted_at",
        "stage_changed_at",
        "knocked_out",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "referrer",
        "withdrawn_at",
        "erased_at",
        "consented_at",
        "privacy_notice_version",
        "resume_link",
    ]
    exclude = ["status_token"]
    inlines = [AnswerInline, StageChangeInline]

    def get_urls(self):
        return [
            path(
                "<int:pk>/resume/",
                self.admin_site.admin_view(self.download_resume),
                name="applications_application_resume",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="Resume")
    def resume_link(self, obj):
        if not hasattr(obj, "resume"):
            return "—"
        return format_html(
            '<a href="{}">{}</a> ({} KB)',
            reverse("admin:applications_application_resume", args=[obj.pk]),
            obj.resume.original_filename,
            obj.resume.size // 1024,
        )

    def download_resume(self, request, pk):
        """Staff only (admin_view), and only with permission to view applications."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        return resume_file_response(
            get_object_or_404(Resume, application_id=pk), as_attachment=True
        )


class ApplicationInline(admin.TabularInline):
    model = Application
    extra = 0
    fields = ["posting", "stage", "submitted_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "location", "created_at"]
    search_fields = ["name", "email"]
    list_filter = ["applications__posting", "applications__stage__name"]
    inlines = [ApplicationInline]
    readonly_fields = ["created_at", "erased_at"]


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["name", "candidate_name", "posting", "kind", "position", "notify_candidate"]
    list_filter = ["kind", "posting"]
    list_select_related = ["posting"]


@admin.register(RejectionReason)
class RejectionReasonAdmin(admin.ModelAdmin):
    list_display = ["label", "position", "active"]
    list_editable = ["position", "active"]
    list_filter = ["active"]
    search_fields = ["label"]
