"""Fixed-window rate limits, counted in a cache of their own (settings.CACHES["ratelimit"]).

The counters never share a store with the careers page cache: there, page traffic evicts
entries to make room, and an evicted counter starts again from zero, which would lift the
limit for anyone willing to request a few hundred pages first. This module sits at the
bottom of the house so that every app (accounts' password reset, applications' apply form)
can use it.
"""

import logging
import time

from django.conf import settings
from django.core.cache import caches

logger = logging.getLogger(__name__)

CACHE_ALIAS = "ratelimit"


def client_ip(request) -> str:
    """The client's address; behind N trusted proxies, the Nth address from the right."""
    proxies = settings.ATS_NUM_PROXIES
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _key(scope: str, identity: str, window: int) -> str:
    bucket = int(time.time() // window)
    return f"ratelimit:{scope}:{identity}:{bucket}"


def hit(scope: str, identity: str, *, limit: int, window: int) -> bool:
    """Count one attempt; True while the identity is within `limit` per `window` seconds.

    Fails open: when the store is unreachable we would rather take an application than lose it.
    """
    key = _key(scope, identity, window)
    try:
        store = caches[CACHE_ALIAS]
        store.add(key, 0, timeout=window + 1)
        count = store.incr(key)
    except Exception:
        logger.warning("Rate limit store unavailable; allowing %s", scope, exc_info=True)
        return True
    return count <= limit


def peek(scope: str, identity: str, *, limit: int, window: int) -> bool:
    """True while the identity may still `hit` this scope once, without counting anything.

    Fails open, like `hit`.
    """
    try:
        count = caches[CACHE_ALIAS].get(_key(scope, identity, window), 0)
    except Exception:
        logger.warning("Rate limit store unavailable; allowing %s", scope, exc_info=True)
        return True
    return count < limit
