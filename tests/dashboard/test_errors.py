"""Refusals and missing pages in the dashboard keep its frame for staff and lead back to it;
visitors, and staff on the careers site, get the public pages."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

DASHBOARD_WAY_BACK = f'href="{reverse("dashboard:home")}">Back to the dashboard</a>'
PUBLIC_WAY_BACK = f'href="{reverse("postings:list")}"'


def test_a_hiring_manager_refused_a_change_stays_in_the_dashboard(as_manager, posting):
    response = as_manager.post(reverse("dashboard:posting_publish", args=[posting.pk]))
    page = response.content.decode()
    assert response.status_code == 403
    assert DASHBOARD_WAY_BACK in page
    assert 'id="dashboard-nav"' in page
    assert "Only recruiters can change postings." in page
    assert "Back to open roles" not in page


def test_a_missing_dashboard_page_keeps_the_frame_for_staff(as_manager, posting):
    for url in [
        "/dashboard/nowhere/",
        reverse("dashboard:board", args=[posting.pk + 1000]),
        reverse("dashboard:application", args=[posting.pk, 999_999]),
    ]:
        response = as_manager.get(url)
        page = response.content.decode()
        assert response.status_code == 404, url
        assert DASHBOARD_WAY_BACK in page and 'id="dashboard-nav"' in page, url


def test_visitors_and_staff_on_the_careers_site_get_the_public_pages(client, as_manager):
    staff_on_site = as_manager.get("/jobs/no-such-role/")
    assert staff_on_site.status_code == 404
    assert PUBLIC_WAY_BACK in staff_on_site.content.decode()
    assert "dashboard-nav" not in staff_on_site.content.decode()
    as_manager.logout()
    visitor = client.get("/jobs/no-such-role/")
    assert visitor.status_code == 404 and "Back to the dashboard" not in visitor.content.decode()


def test_a_signed_in_account_that_is_not_staff_gets_the_public_refusal(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("pat", password="x" * 20))
    response = client.get(reverse("dashboard:home"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "Back to the dashboard" not in page and "dashboard-nav" not in page
