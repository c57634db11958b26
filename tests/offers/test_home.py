"""The dashboard home lists the offers waiting for the signed-in user's approval, in the
chain's order, and the offers out with candidates, within the user's scope."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboard import home
from offers import services
from offers.models import Offer

pytestmark = pytest.mark.django_db


def test_an_offer_waits_on_the_home_of_the_approver_whose_turn_it_is(
    client, pending, hiring_manager, frieda
):
    assert home.offers_awaiting_approval_by(hiring_manager) == [pending]
    # Frieda approves after Bob: not her turn yet.
    assert home.offers_awaiting_approval_by(frieda) == []
    client.force_login(hiring_manager)
    page = client.get(reverse("dashboard:home")).content.decode()
    assert "Offers waiting for your approval" in page
    assert reverse("dashboard:offer", args=[pending.pk]) in page

    services.decide(offer=pending, by=hiring_manager, approve=True)
    assert home.offers_awaiting_approval_by(hiring_manager) == []
    assert home.offers_awaiting_approval_by(frieda) == [pending]


def test_sent_offers_are_listed_as_out_until_answered_and_expired_ones_say_so(
    client, sent, recruiter, outsider
):
    assert home.offers_out_with_candidates(recruiter) == [sent]
    # A hiring manager of no team of this posting sees none of it.
    assert home.offers_out_with_candidates(outsider) == []
    Offer.objects.filter(pk=sent.pk).update(expires_on=timezone.localdate() - timedelta(days=1))
    client.force_login(recruiter)
    page = client.get(reverse("dashboard:home")).content.decode()
    assert "Offers out with candidates" in page and "Expired" in page


def test_the_home_shows_no_offer_cards_without_offers(client, recruiter, application):
    client.force_login(recruiter)
    page = client.get(reverse("dashboard:home")).content.decode()
    assert "Offers out with candidates" not in page
    assert "Offers waiting for your approval" not in page


def test_the_board_card_shows_the_offer_in_play(client, pending, hiring_manager):
    client.force_login(hiring_manager)
    board = client.get(reverse("dashboard:board", args=[pending.application.posting_id]))
    card = board.content.decode().split(f'id="card-{pending.application_id}"')[1]
    assert "Offer: Waiting for approval" in card.split("</article>")[0]
