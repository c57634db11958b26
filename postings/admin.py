from django.contrib import admin

from postings.models import Location, Posting, Question, Section, Team


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    # Deleting a team would silently take it off its postings, and could leave a posting
    # with none: a team with postings stays until they have moved to other teams.
    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.postings.exists():
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "country", "remote"]
    list_filter = ["country", "remote"]
    search_fields = ["city", "region", "country"]


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    fields = [
        ("label", "kind", "required", "position"),
        "help_text",
        "choices",
        "knockout_answer",
        "card_badge",
    ]


@admin.register(Posting)
class PostingAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "team_list",
        "employment_type",
        "workplace_type",
        "status",
        "published_at",
    ]
    list_filter = ["status", "teams", "employment_type", "workplace_type", "locations"]
    search_fields = ["title", "slug", "teams__name"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["teams", "locations"]
    date_hierarchy = "published_at"
    inlines = [SectionInline, QuestionInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "teams", "summary", "status"]}),
        ("Where and how", {"fields": ["locations", "employment_type", "workplace_type"]}),
        (
            "Pay",
            {
                "fields": [
                    ("salary_min", "salary_max", "salary_currency", "salary_period"),
                    "pay_transparency_note",
                    "equity",
                    "relocation_assistance",
                ]
            },
        ),
        ("Dates", {"fields": ["published_at", "closes_at"]}),
        ("Screening", {"fields": ["auto_reject_knockouts", "rejection_email_delay_hours"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("teams")

    @admin.display(description="Teams")
    def team_list(self, posting):
        return posting.team_display
