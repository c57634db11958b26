from django.contrib import admin

from postings.models import Location, Posting, Question, Section, Team


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


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
    list_display = ["title", "team", "employment_type", "workplace_type", "status", "published_at"]
    list_filter = ["status", "team", "employment_type", "workplace_type", "locations"]
    search_fields = ["title", "slug", "team__name"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["locations"]
    date_hierarchy = "published_at"
    list_select_related = ["team"]
    inlines = [SectionInline, QuestionInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "team", "summary", "status"]}),
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
