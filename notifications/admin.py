from django.contrib import admin, messages

from notifications import services
from notifications.models import OutboxEmail


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ["subject", "to", "kind", "status", "attempts", "send_after", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to", "subject", "key"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    readonly_fields = [
        "key",
        "kind",
        "to",
        "subject",
        "body_text",
        "body_html",
        "application",
        "status",
        "send_after",
        "attempts",
        "last_error",
        "claimed_at",
        "sent_at",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Retry the selected failed emails")
    def retry(self, request, queryset):
        count = services.retry_failed(queryset)
        self.message_user(request, f"{count} email(s) queued to be sent again.", messages.SUCCESS)
