"""Offers in the Django admin, read only: every write goes through offers.services, which
keeps the approval chain, the audit trail and the candidate's emails in step. The letter's
wording per posting may be edited here."""

from django.contrib import admin

from ats.admin_inlines import ReadOnlyInline
from offers.models import LetterTemplate, Offer, OfferApprover, OfferEvent


class ApproverInline(ReadOnlyInline):
    model = OfferApprover
    fields = ["position", "user", "decision", "comment", "decided_at"]


class EventInline(ReadOnlyInline):
    model = OfferEvent
    fields = ["at", "by", "action", "changes", "comment"]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["application", "version", "status", "job_title", "expires_on", "created_at"]
    list_filter = ["status"]
    list_select_related = ["application"]
    search_fields = ["application__name", "job_title"]
    inlines = [ApproverInline, EventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    list_display = ["posting", "updated_at"]
    list_select_related = ["posting"]
