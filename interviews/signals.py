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
