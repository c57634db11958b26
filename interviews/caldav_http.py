"""The HTTP side of CalDAV: caldav's client over a session held to one checked origin, the
time budget and a byte limit (see interviews.calendars, the only module that uses this one,
and only when it talks to a calendar server)."""

import logging
from urllib.parse import urljoin, urlsplit

import caldav
import niquests

from interviews.calendars import (
    MAX_REDIRECTS,
    MAX_RESPONSE_BYTES,
    CalendarError,
    TransportError,
    _Budget,
    check_address,
)

log = logging.getLogger("interviews.calendars")


class _GuardedSession(niquests.Session):
    """The HTTP session caldav uses, held to one checked origin and to the budget."""

    def __init__(self, url: str, budget: _Budget):
        self.scheme, self.host, self.port, address = check_address(url)
        pinned = f"[{address}]" if ":" in address else address
        super().__init__(resolver=f"in-memory://default/?hosts={self.host}:{pinned}")
        # No proxies, .netrc or other ambient configuration from the environment.
        self.trust_env = False
        self.budget = budget

    def _same_origin(self, url: str) -> bool:
        try:
            parts = urlsplit(url)
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            return False
        return (parts.scheme, (parts.hostname or "").lower(), port) == (
            self.scheme,
            self.host,
            self.port,
        )

    def request(self, method, url, **kwargs):
        kwargs.update(allow_redirects=False, stream=True, proxies=None)
        for _ in range(MAX_REDIRECTS + 1):
            if not self._same_origin(str(url)):
                raise CalendarError(
                    "The calendar server sent us to another server; enter that address instead."
                )
            step = min(self.budget.left(), self.budget.seconds / 3)
            kwargs["timeout"] = (step, step)
            try:
                response = super().request(method, url, **kwargs)
            except niquests.exceptions.RequestException as exc:
                message = f"The calendar server could not be reached ({_kind(exc)})."
                raise TransportError(message) from None
            if not response.is_redirect:
                return self._read(response)
            url = urljoin(str(url), response.headers.get("Location", ""))
            response.close()
        raise CalendarError("The calendar server redirected too many times.")

    def _read(self, response):
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > MAX_RESPONSE_BYTES:
            response.close()
            raise CalendarError("The calendar server's answer was too large.")
        body, size = [], 0
        try:
            for chunk in response.iter_content(None):  # as the bytes arrive, to keep to the budget
                size += len(chunk)
                if size > MAX_RESPONSE_BYTES:
                    raise CalendarError("The calendar server's answer was too large.")
                body.append(chunk)
                self.budget.left()
        except niquests.exceptions.RequestException as exc:
            message = f"The calendar server stopped answering ({_kind(exc)})."
            raise TransportError(message) from None
        finally:
            response.close()
        response._content = b"".join(body)
        response._content_consumed = True
        return response


def _kind(exc: Exception) -> str:
    if isinstance(exc, niquests.exceptions.Timeout):
        return "timed out"
    if isinstance(exc, niquests.exceptions.SSLError):
        return "its certificate was refused"
    return "connection failed"


def client(url: str, username: str, password: str, budget: _Budget) -> caldav.DAVClient:
    session = _GuardedSession(url, budget)
    client = caldav.DAVClient(
        url=url, username=username, password=password, enable_rfc6764=False, timeout=None
    )
    client.session.close()
    client.session = session
    return client


def calling(operation):
    """Run a caldav operation; turn whatever it raises into a CalendarError of ours."""
    try:
        return operation()
    except CalendarError:
        raise
    except caldav.lib.error.AuthorizationError:
        raise CalendarError("The calendar server refused the username or password.") from None
    except caldav.lib.error.NotFoundError:
        raise CalendarError("The calendar server has no calendar at that address.") from None
    except Exception as exc:  # a hostile server can make the parsers raise anything
        log.info("CalDAV operation failed: %s", type(exc).__name__)
        raise CalendarError("The calendar server's answer could not be understood.") from None
