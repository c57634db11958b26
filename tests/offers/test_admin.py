import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_offers_admin_page_opens_and_an_offer_is_read_only(admin_client, pending):
    for url in (
        reverse("admin:offers_offer_changelist"),
        reverse("admin:offers_offer_change", args=[pending.pk]),
        reverse("admin:offers_lettertemplate_changelist"),
    ):
        assert admin_client.get(url).status_code == 200, url
    page = admin_client.get(reverse("admin:offers_offer_change", args=[pending.pk]))
    assert 'name="job_title"' not in page.content.decode()
    assert admin_client.get(reverse("admin:offers_offer_add")).status_code == 403
