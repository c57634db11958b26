"""Receivers that keep interviews in step with the apps below, which cannot import this one,
and the signal that tells others (interviewers' own calendars) an interview changed."""

from django.dispatch import Signal

# Sent by interviews.services on commit, after an interview is scheduled, moved or cancelled:
# `interview_id`, and `action`, one of "scheduled", "rescheduled", "cancelled".
interview_changed = Signal()
