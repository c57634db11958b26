"""A superuser opens an apply page whose question hint a recruiter filled with htmx markup
meant to change the superuser's password: the hint shows as text and the password holds."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from postings.models import Question
from tests import factories
from tests.hostile.test_stored_markup import takeover_hint

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def superuser(live_server, page):
    """A superuser signed in to the admin in `page`."""
    admin = get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    return admin


@pytest.fixture
def requests(page):
    """Every URL the page asks for from now on."""
    urls = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def test_a_superuser_opening_a_booby_trapped_apply_page_keeps_their_password(
    live_server, page, superuser, requests
):
    posting = factories.backend_engineer_posting()
    hint = takeover_hint(superuser.pk)
    Question.objects.create(
        posting=posting,
        label="Anything else?",
        help_text=hint,
        kind=Question.Kind.SHORT_TEXT,
        required=False,
        position=1,
    )

    page.goto(live_server.url + f"/jobs/{posting.slug}/apply/")
    # htmx fires hx-trigger="load" as soon as it has loaded: let the page go quiet first.
    page.wait_for_load_state("networkidle")

    expect(page.get_by_text(hint)).to_be_visible()
    assert page.evaluate("typeof window.htmx") == "undefined"
    assert not [url for url in requests if "/password/" in url or "htmx" in url]
    superuser.refresh_from_db()
    assert superuser.check_password(PASSWORD)


@pytest.mark.parametrize("htmx", ["htmx-2.min.js", "htmx-4.min.js"])
def test_htmx_loaded_onto_a_careers_page_acts_on_nothing(
    htmx, live_server, page, superuser, requests
):
    """Should markup ever slip past escaping, the careers site's <body> tells any htmx (both
    versions the django-htmx package serves) to leave the page alone."""
    posting = factories.backend_engineer_posting()
    page.goto(live_server.url + f"/jobs/{posting.slug}/apply/")
    trap = takeover_hint(superuser.pk).split("</script>", 1)[1]
    page.evaluate(
        """(trap) => document.querySelector("#apply-form").insertAdjacentHTML("beforeend", trap)""",
        trap,
    )
    page.add_script_tag(url=f"/static/django_htmx/{htmx}")
    page.wait_for_load_state("networkidle")

    assert page.evaluate("typeof window.htmx") == "object"
    assert not [url for url in requests if "/password/" in url]
    superuser.refresh_from_db()
    assert superuser.check_password(PASSWORD)
