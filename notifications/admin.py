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
        "reply_to",
        "message_id",
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

    # A password reset email holds a working link to the account: whoever may read the outbox
    # must not be able to take the account over with it.
    HIDDEN_BODY_KINDS = {OutboxEmail.Kind.PASSWORD_RESET}
    BODY_FIELDS = ("body_text", "body_html")

    def _hides_body(self, obj) -> bool:
        return obj is not None and obj.kind in self.HIDDEN_BODY_KINDS

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if self._hides_body(obj):
            return [name for name in fields if name not in self.BODY_FIELDS] + ["body"]
        return fields

    def get_exclude(self, request, obj=None):
        if self._hides_body(obj):
            return [*(super().get_exclude(request, obj) or ()), *self.BODY_FIELDS]
        return super().get_exclude(request, obj)

    @admin.display(description="Body")
    def body(self, obj):
        return "Not shown: it holds a link that sets the account's password."

    @admin.action(description="Retry the selected failed emails")
    def retry(self, request, queryset):
        count = services.retry_failed(queryset)
        self.message_user(request, f"{count} email(s) queued to be sent again.", messages.SUCCESS)
