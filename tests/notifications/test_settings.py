"""The outbox's one setting stops start-up when it could make a slow send go out twice."""

from tests.project.test_settings import load_settings


def test_a_claim_lease_shorter_than_three_smtp_timeouts_stops_start_up():
    result = load_settings(ATS_EMAIL_CLAIM_LEASE_SECONDS="20", EMAIL_TIMEOUT="10")
    assert result.returncode != 0
    assert "ATS_EMAIL_CLAIM_LEASE_SECONDS=20 must be at least three times EMAIL_TIMEOUT" in (
        result.stderr
    )


def test_a_lease_of_three_smtp_timeouts_is_accepted():
    result = load_settings(ATS_EMAIL_CLAIM_LEASE_SECONDS="30", EMAIL_TIMEOUT="10")
    assert result.returncode == 0, result.stderr
