from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "conversations"
    verbose_name = "Conversations"

    def ready(self):
        from applications.signals import applications_erased
        from conversations import signals
        from conversations.email_templates import wording_source
        from notifications.emails import register_wording_source
        from notifications.services import register_reply_to

        # Candidate emails are worded by recruiters: notifications renders them from here
        # instead of its file templates (notifications imports nothing above it).
        register_wording_source(wording_source)

        # Emails to a candidate answer to their conversation's address (ATS_REPLY_ADDRESS).
        register_reply_to(signals.reply_to_for_candidate)
        applications_erased.connect(
            signals.forget_erased, dispatch_uid="conversations-forget-erased"
        )
