"""A fixed-window rate limit on Django's cache: local memory by default, Redis when configured."""

import logging
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


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


def hit(scope: str, identity: str, *, limit: int, window: int) -> bool:
    """Count one attempt; True while the identity is within `limit` per `window` seconds.

    Fails open: when the cache is unreachable we would rather take an application than lose it.
    """
    bucket = int(time.time() // window)
    key = f"ratelimit:{scope}:{identity}:{bucket}"
    try:
        cache.add(key, 0, timeout=window + 1)
        count = cache.incr(key)
    except Exception:
        logger.warning("Rate limit store unavailable; allowing %s", scope, exc_info=True)
        return True
    return count <= limit
