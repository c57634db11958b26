"""How this app hears of what happens below it: erasure, the status page and the applicant's
data export reach the survey through hooks, since applications may not import reports."""


def connect():
    from applications import exports, status_panels
    from applications.signals import applications_erased
    from reports import applicant

    applications_erased.connect(forget_erased, dispatch_uid="reports-forget-erased")
    status_panels.register(applicant.status_panel)
    exports.register("voluntary_self_identification", applicant.export_answers)


def forget_erased(sender, applications, **kwargs):
    """The answers go with the application, inside the erasure's transaction."""
    from reports.models import SurveyResponse

    SurveyResponse.objects.filter(application__in=applications).delete()
