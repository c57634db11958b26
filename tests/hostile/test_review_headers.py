"""The trust review's item 17: the 413 page, answered before the view when an upload is too
large, was sent without the Content-Security-Policy and frame headers every other page has."""

import pytest

from tests.factories import backend_engineer_posting

pytestmark = pytest.mark.django_db


SECURITY_HEADERS = [
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Strict-Transport-Security",
]


def test_the_too_large_page_sends_the_same_security_headers_as_every_page(client, settings):
    """The 413 is answered before the view, and before the body is read; it must still
    forbid framing and carry the policy, like the apply page it stands in for."""
    backend_engineer_posting()
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.APPLY_MAX_REQUEST_BYTES = 1000
    apply_path = "/jobs/backend-engineer/apply/"
    normal = client.get(apply_path, secure=True)
    refused = client.post(apply_path, {"name": "x" * 2000}, secure=True)
    assert (normal.status_code, refused.status_code) == (200, 413)
    expected = {name: normal.get(name) for name in SECURITY_HEADERS}
    assert None not in expected.values()
    assert {name: refused.get(name) for name in SECURITY_HEADERS} == expected
