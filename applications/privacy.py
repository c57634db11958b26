"""The privacy notice an applicant agrees to when they apply, in every wording it has had.

Each application records the version its applicant agreed to (Application.privacy_notice_version),
so a wording, once published, never changes: a new wording is a new version added below, and
CURRENT_VERSION moves to it. A test pins the published wordings.
"""

PRIVACY_NOTICES = {
    "1": "I agree that my data is stored and processed to evaluate my application; I can "
    "download or erase it at any time from my status page.",
}
CURRENT_VERSION = "1"


def privacy_notice(version: str) -> str:
    """The wording of a version, or "" for one this site never published."""
    return PRIVACY_NOTICES.get(version, "")
