"""The interviews in the Django admin: the plan may be edited here; interviews, scorecards and
decisions are read only, since their writes go through services that send the invitations,
lock the scorecards and move the application. A calendar's password is never shown."""

from django.contrib import admin

from ats.admin_inlines import ReadOnlyInline
from interviews.models import (
    Attribute,
    AttributeRating,
    CalendarConnection,
    Decision,
    Interview,
    InterviewerSeat,
    InterviewStep,
    OfferedSlot,
    Scorecard,
    ScorecardAmendment,
    WorkingHours,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AttributeInline(admin.TabularInline):
    model = Attribute
    extra = 1
    fields = ["name", "position"]


@admin.register(InterviewStep)
class InterviewStepAdmin(admin.ModelAdmin):
    list_display = ["name", "stage", "posting", "kind", "duration_minutes", "position"]
    list_filter = ["kind", "stage__posting"]
    list_select_related = ["stage__posting"]
    search_fields = ["name", "stage__posting__title"]
    fields = ["stage", "name", "kind", "duration_minutes", "guidance", "position", "interviewers"]
    filter_horizontal = ["interviewers"]
    inlines = [AttributeInline]

    @admin.display(ordering="stage__posting__title")
    def posting(self, step):
        return step.stage.posting


class SeatInline(ReadOnlyInline):
    model = InterviewerSeat
    fields = ["user", "active", "starts_at", "ends_at"]


class SlotInline(ReadOnlyInline):
    model = OfferedSlot
    fields = ["starts_at", "ends_at"]


class ScorecardInline(ReadOnlyInline):
    model = Scorecard
    fields = ["interviewer", "status", "recommendation", "submitted_at"]
    show_change_link = True


@admin.register(Interview)
class InterviewAdmin(ReadOnlyAdmin):
    list_display = ["step", "application", "status", "starts_at", "ends_at"]
    list_filter = ["status", "step__stage__posting"]
    list_select_related = ["step", "application"]
    search_fields = ["application__name", "application__candidate__email", "step__name"]
    date_hierarchy = "starts_at"
    fields = [
        "application",
        "step",
        "status",
        "starts_at",
        "ends_at",
        "location",
        "video_url",
        "candidate_time_zone",
        "uid",
        "sequence",
        "scheduled_by",
        "created_at",
        "updated_at",
        "cancelled_at",
    ]
    inlines = [SeatInline, SlotInline, ScorecardInline]


class RatingInline(ReadOnlyInline):
    model = AttributeRating
    fields = ["attribute", "value"]


class AmendmentInline(ReadOnlyInline):
    model = ScorecardAmendment
    fields = ["created_at", "author", "reason", "changes"]


@admin.register(Scorecard)
class ScorecardAdmin(ReadOnlyAdmin):
    list_display = ["interview", "interviewer", "status", "recommendation", "submitted_at"]
    list_filter = ["status", "recommendation"]
    list_select_related = ["interview__step", "interview__application", "interviewer"]
    fields = [
        "interview",
        "interviewer",
        "status",
        "recommendation",
        "key_points",
        "concerns",
        "created_at",
        "updated_at",
        "submitted_at",
    ]
    inlines = [RatingInline, AmendmentInline]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["application", "outcome", "to_stage", "decided_by", "created_at"]
    list_filter = ["outcome"]
    list_select_related = ["application", "to_stage", "decided_by"]
    fields = [
        "application",
        "outcome",
        "to_stage",
        "rejection_reason",
        "note",
        "decided_by",
        "created_at",
    ]


@admin.register(WorkingHours)
class WorkingHoursAdmin(admin.ModelAdmin):
    list_display = ["user", "weekday", "starts", "ends"]
    list_filter = ["weekday"]
    list_select_related = ["user"]


@admin.register(CalendarConnection)
class CalendarConnectionAdmin(ReadOnlyAdmin):
    """Connected by each interviewer from their settings; here only to see which work.
    `password_encrypted` is in neither `fields` nor any list, so it is never displayed."""

    list_display = ["user", "url", "last_synced_at", "last_error"]
    list_select_related = ["user"]
    fields = [
        "user",
        "url",
        "username",
        "calendar_url",
        "created_at",
        "last_synced_at",
        "last_error",
    ]
