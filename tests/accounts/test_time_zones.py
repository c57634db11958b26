import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Profile, validate_time_zone, zone_or_utc

UTC = zoneinfo.ZoneInfo("UTC")


def test_a_zone_is_found_by_name_and_anything_else_reads_as_utc():
    assert zone_or_utc("Europe/Berlin") == zoneinfo.ZoneInfo("Europe/Berlin")
    # Empty, since removed from tzdata, or a path: never an error page, UTC.
    for name in ("", "Mars/Olympus_Mons", "../../etc/passwd"):
        assert zone_or_utc(name) == UTC, name


def test_a_profile_reads_its_zone_even_when_tzdata_dropped_it():
    assert Profile(time_zone="Asia/Tokyo").zone == zoneinfo.ZoneInfo("Asia/Tokyo")
    assert Profile(time_zone="Mars/Olympus_Mons").zone == UTC


def test_only_zones_of_the_tz_database_are_valid():
    validate_time_zone("America/New_York")
    with pytest.raises(ValidationError):
        validate_time_zone("Mars/Olympus_Mons")
