from django.conf import settings


def site(request):
    return {"COMPANY_NAME": settings.COMPANY_NAME}
