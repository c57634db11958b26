"""Encryption of the calendar passwords the ATS keeps, with the key(s) of ATS_CALENDAR_KEY.

Fernet (AES-128-CBC with an HMAC) from `cryptography`; several comma-separated keys make a
MultiFernet, so a key can be rotated: the first encrypts, every one decrypts. `cryptography`
is imported when a secret is, not with this module: a web worker that never connects a
calendar does without its 7 MB.
"""

from django.conf import settings

KEY_MISSING = "Calendar connections are off: ATS_CALENDAR_KEY is not set."


class KeyMissing(Exception):
    """No key is configured: nothing may be encrypted or decrypted."""


class CannotDecrypt(Exception):
    """The stored secret was encrypted with a key that is no longer configured."""


def enabled() -> bool:
    return bool(settings.ATS_CALENDAR_KEY)


def _fernet():
    from cryptography.fernet import Fernet, MultiFernet

    if not enabled():
        raise KeyMissing(KEY_MISSING)
    return MultiFernet([Fernet(key.strip()) for key in settings.ATS_CALENDAR_KEY.split(",")])


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode("ascii")


def decrypt(token: str) -> str:
    from cryptography.fernet import InvalidToken

    try:
        return _fernet().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeError):
        raise CannotDecrypt(
            "The saved calendar password cannot be read with the current ATS_CALENDAR_KEY: "
            "connect the calendar again."
        ) from None
