"""The one home of the rules about what may happen to an application.

Services enforce these rules and views and templates ask them (through the model's
properties), so a page can never offer what the service refuses, nor a hand-made POST do what
the page hides.
"""

from applications.models import Application, Stage

# An applicant may withdraw while the decision is still open: not once hired, rejected or
# withdrawn already.
WITHDRAWABLE_KINDS = (Stage.Kind.APPLIED, Stage.Kind.ACTIVE)


def can_withdraw(application: Application) -> bool:
    return application.erased_at is None and application.stage.kind in WITHDRAWABLE_KINDS
