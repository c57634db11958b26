from django.contrib import admin

from dashboard.models import Note


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    """For admins tidying up; teams write notes on the candidate page, where mentions email."""

    list_display = ["application", "author", "created_at"]
    list_select_related = ["application__candidate", "application__posting", "author"]
    search_fields = ["body", "application__candidate__name"]
    raw_id_fields = ["application", "author", "mentions"]
    date_hierarchy = "created_at"
