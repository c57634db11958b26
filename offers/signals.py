def forget_erased(sender, applications, **kwargs):
    """Receiver of applications_erased: see offers.services.forget_erased."""
    from offers import services

    services.forget_erased(applications=applications)
