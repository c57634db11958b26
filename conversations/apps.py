from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "conversations"
    verbose_name = "Conversations"

    def ready(self):
        # Candidate emails are worded by recruiters: notifications renders them from here
        # instead of its file templates (notifications imports nothing above it).
        from conversations.email_templates import wording_source
        from notifications.emails import register_wording_source

        register_wording_source(wording_source)
