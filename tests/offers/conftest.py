import pytest

from applications.models import Stage
from applications.services import move_application
from offers import pdf, services
from tests import factories
from tests.conftest import need


@pytest.fixture
def need_pdf():
    need(pdf.available(), "WeasyPrint or the Pango libraries it needs are not installed")


@pytest.fixture
def offer_stage(posting):
    return posting.stages.get(name="Offer")


@pytest.fixture
def at_offer(application, offer_stage):
    move_application(application=application, to_stage=offer_stage)
    application.refresh_from_db()
    return application


@pytest.fixture
def frieda(db):
    """A second recruiter, who approves last."""
    return factories.UserFactory(username="frieda", role="recruiter")


@pytest.fixture
def terms():
    def build(**overrides):
        return factories.offer_terms(**{"equity": "10,000 options", **overrides})

    return build


@pytest.fixture
def draft(at_offer, recruiter, terms):
    return services.draft_offer(application=at_offer, by=recruiter, terms=terms())


@pytest.fixture
def pending(need_pdf, draft, recruiter, hiring_manager, frieda):
    services.submit_for_approval(offer=draft, by=recruiter, approvers=[hiring_manager, frieda])
    draft.refresh_from_db()
    return draft


@pytest.fixture
def approved(pending, hiring_manager, frieda):
    services.decide(offer=pending, by=hiring_manager, approve=True)
    services.decide(offer=pending, by=frieda, approve=True)
    pending.refresh_from_db()
    return pending


@pytest.fixture
def sent(approved, recruiter):
    return services.send_offer(offer=approved, by=recruiter)


def hired_stage(posting):
    return posting.stages.get(kind=Stage.Kind.HIRED)
