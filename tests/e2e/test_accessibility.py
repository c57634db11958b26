"""What axe-core found beyond the serious and critical violations every journey checks."""

import pytest

from tests import factories
from tests.e2e.conftest import axe_violations, describe_violations
from tests.e2e.test_posting_management import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def test_the_reorder_buttons_of_questions_and_stages_are_a_group_axe_allows(live_server, page):
    recruiter = factories.UserFactory(username="alice", role="recruiter")
    posting = factories.backend_engineer_posting()
    factories.QuestionFactory(posting=posting, label="Years of Python?", position=1)
    log_in(page, live_server, recruiter)
    for part in ("questions", "stages"):
        page.goto(f"{live_server.url}/dashboard/postings/{posting.pk}/{part}/")
        groups = page.get_by_role("group", name="Reorder")
        assert groups.count() >= 2, part
        violations = axe_violations(page, rules=["aria-allowed-role"])
        assert violations == [], describe_violations(page, violations)
