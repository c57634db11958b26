"""Receivers and hooks, importing the services only when called (apps load before them)."""


def reply_to_for_candidate(application, to: str) -> str:
    """notifications' Reply-To hook: see conversations.services.reply_to_for_candidate."""
    from conversations import services

    return services.reply_to_for_candidate(application, to)


def forget_erased(sender, applications, **kwargs):
    """Receiver of applications_erased: see conversations.services.forget_erased."""
    from conversations import services

    services.forget_erased(applications=applications)
