import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q


def validate_time_zone(value: str) -> None:
    if not is_time_zone(value):
        raise ValidationError(f"{value!r} is not a time zone: pick one such as Europe/Berlin.")


def is_time_zone(name: str) -> bool:
    return name in zoneinfo.available_timezones()


def zone_or_utc(name: str) -> zoneinfo.ZoneInfo:
    """The time zone of that name; UTC for an empty name, or one since removed from tzdata
    (stored names were validated, but tzdata changes under them)."""
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


class Profile(models.Model):
    """What the ATS knows about a staff user beyond Django's auth: their role and email habits."""

    class Role(models.TextChoices):
        RECRUITER = "recruiter", "Recruiter"
        HIRING_MANAGER = "hiring_manager", "Hiring manager"
        # Sees only the applications they interview, and their own scorecards until they
        # have submitted (see interviews/ and dashboard/scope.py).
        INTERVIEWER = "interviewer", "Interviewer"

    class EmailFrequency(models.TextChoices):
        INSTANT = "instant", "As each application arrives"
        DAILY = "daily", "A daily digest"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.HIRING_MANAGER)
    # Every time a staff page shows is in this zone; stored times stay UTC.
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    new_application_email = models.CharField(
        max_length=10, choices=EmailFrequency.choices, default=EmailFrequency.INSTANT
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["recruiter", "hiring_manager", "interviewer"]),
                name="profile_role_valid",
            ),
            models.CheckConstraint(
                condition=Q(new_application_email__in=["instant", "daily"]),
                name="profile_email_frequency_valid",
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"

    @property
    def is_recruiter(self) -> bool:
        return self.role == self.Role.RECRUITER

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zone_or_utc(self.time_zone)

    @property
    def is_interviewer(self) -> bool:
        return self.role == self.Role.INTERVIEWER
