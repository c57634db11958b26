"""Receivers that keep interviews in step with the apps below, which cannot import this one,
and the signal that tells others (interviewers' own calendars) an interview changed."""

from django.dispatch import Signal

# Sent by interviews.services on commit, after an interview is scheduled, moved or cancelled:
# `interview_id`, and `action`, one of "scheduled", "rescheduled", "cancelled".
interview_changed = Signal()


def give_new_posting_its_plan(sender, instance, created, raw=False, **kwargs):
    """A new posting gets interviews.plan.DEFAULT_PLAN on its stages. Connected after
    applications' receiver (this app's ready() runs later, INSTALLED_APPS being in layer
    order), so the default pipeline's stages exist by then."""
    if created and not raw:  # Fixtures (raw) bring their own steps.
        from interviews import plan

        plan.copy_default_plan(posting=instance)


def cancel_interviews_of_withdrawn(sender, instance, created, raw=False, **kwargs):
    """A withdrawn application's interviews ahead are cancelled, and everyone told, in the
    transaction of the withdrawal (a StageChange into the Withdrawn stage)."""
    if created and not raw and instance.to_stage.kind == instance.to_stage.Kind.WITHDRAWN:
        from interviews import services

        services.cancel_ahead(
            application=instance.application,
            reason="The application was withdrawn.",
        )


def forget_erased(sender, applications, **kwargs):
    """An erased applicant's interviews ahead are cancelled without a word (the emails would
    name the person just erased; interviewers' connected calendars drop the events), and what
    interviewers and the hiring manager wrote about them goes."""
    from interviews import services

    for application in applications:
        services.cancel_ahead(application=application, notify=False)
    services.forget_feedback(applications=applications)
