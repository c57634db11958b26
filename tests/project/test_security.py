"""Security headers on the public pages, and templates that need no inline script or style."""

import re
from pathlib import Path

import pytest

from tests.factories import backend_engineer_posting, submit

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/jobs/backend-engineer/", "/jobs/backend-engineer/apply/"]
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_send_a_strict_content_security_policy(client, path):
    backend_engineer_posting()
    response = client.get(path)
    assert response.status_code == 200
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert directives(response) == {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_refuse_framing_and_sniffing_and_limit_the_referrer(client, path):
    backend_engineer_posting()
    response = client.get(path)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_status_page_keeps_its_secret_url_from_other_sites_yet_lets_its_forms_post(client):
    # "no-referrer" would make browsers send `Origin: null` with the withdraw form, which
    # Django's CSRF check refuses; "same-origin" sends nothing to other sites.
    application = submit(backend_engineer_posting())
    response = client.get(application.get_status_url())
    assert response["Referrer-Policy"] == "same-origin"


def test_hsts_is_sent_over_https_in_production(client, settings):
    backend_engineer_posting()
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get("/jobs/backend-engineer/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_hsts_is_never_sent_over_plain_http(client, settings):
    backend_engineer_posting()
    settings.SECURE_HSTS_SECONDS = 31_536_000
    response = client.get("/jobs/backend-engineer/")
    assert "Strict-Transport-Security" not in response


def test_the_admin_gets_the_same_policy_without_relaxations(admin_client):
    response = admin_client.get("/admin/postings/posting/add/")
    assert response.status_code == 200
    assert "unsafe-inline" not in response["Content-Security-Policy"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>")
INLINE_STYLE = re.compile(r"<style\b|\sstyle=")
INLINE_HANDLER = re.compile(r"\son[a-z]+=|javascript:", re.IGNORECASE)


def served_templates():
    # Emails are exempt: they are not served pages, and mail clients need inline styles.
    return sorted(
        path
        for path in TEMPLATES.rglob("*.html")
        if "emails" not in path.relative_to(TEMPLATES).parts
    )


@pytest.mark.parametrize(
    "template", served_templates(), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_served_templates_hold_no_inline_script_style_or_event_handler(template):
    source = template.read_text()
    assert not INLINE_SCRIPT.search(source)
    assert not INLINE_STYLE.search(source)
    assert not INLINE_HANDLER.search(source)


def test_a_view_that_changes_the_policy_still_gets_its_own_header(rf):
    from csp.decorators import csp_exempt, csp_replace
    from django.http import HttpResponse

    from ats.middleware import CSPMiddleware

    middleware = CSPMiddleware(lambda request: HttpResponse())
    framed = csp_replace({"frame-ancestors": ["'self'"]})(lambda request: HttpResponse())
    request = rf.get("/")
    middleware.process_request(request)
    response = middleware.process_response(request, framed(request))
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    exempt = csp_exempt()(lambda request: HttpResponse())
    request = rf.get("/")
    middleware.process_request(request)
    assert "Content-Security-Policy" not in middleware.process_response(request, exempt(request))


def test_the_site_wide_header_follows_a_changed_setting(client, settings):
    backend_engineer_posting()
    assert "object-src 'none'" in client.get("/")["Content-Security-Policy"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert client.get("/jobs/backend-engineer/")["Content-Security-Policy"] == "default-src 'none'"
