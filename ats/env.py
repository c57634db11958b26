"""Read settings from environment variables, failing loudly on a bad value.

Each helper raises ImproperlyConfigured naming the variable, so a typo in a
deployment stops start-up with a message instead of silently running with a
default nobody chose.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip()


def env_bool(name: str, default: bool) -> bool:
    value = env_str(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean: use one of true/false, yes/no, on/off, 1/0."
    )


def env_int(
    name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    value = env_str(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise ImproperlyConfigured(
            f"{name}={number} is out of range ({minimum if minimum is not None else '-inf'}"
            f" to {maximum if maximum is not None else 'inf'})."
        )
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = env_str(name)
    if value is None:
        return default
    items = [item.strip() for item in value.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(f"{name}={value!r} lists nothing: give comma-separated values.")
    return items


def env_url(name: str, default: str | None, *, schemes: tuple[str, ...]) -> str | None:
    value = env_str(name, default)
    if value is None:
        return None
    scheme, sep, rest = value.partition("://")
    if not sep or scheme not in schemes or (not rest and scheme not in ("sqlite",)):
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a valid URL: it must start with one of "
            + ", ".join(f"{s}://" for s in schemes)
            + "."
        )
    return value


def env_plus_address(name: str) -> str | None:
    """A mailbox address that plus addressing will extend (`jobs@example.com` receives
    `jobs+<token>@example.com`): one @, a domain with a dot or "localhost", and no '+' in
    the local part, which would make the token ambiguous."""
    value = env_str(name)
    if value is None:
        return None
    local, at, domain = value.rpartition("@")
    problem = ""
    if not at or not local or not domain:
        problem = "is not an email address (local@domain)"
    elif "+" in local:
        problem = "has a '+' in its local part; give the plain mailbox, the token is added"
    elif any(c.isspace() or c in '<>"(),;:\\[]@' for c in local + domain):
        problem = "holds characters an address may not (give the bare address, no name)"
    elif "." not in domain and domain != "localhost":
        problem = "has no domain"
    if problem:
        raise ImproperlyConfigured(f"{name}={value!r} {problem}.")
    return value


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env_str(name, default).lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} is not one of: {', '.join(choices)}.")
    return value


def env_subset(name: str, choices: tuple[str, ...], *, off: str = "off") -> list[str]:
    """A comma-separated selection from `choices`, in the order given; unset, empty or `off`
    selects nothing. An unknown or repeated name stops start-up rather than being dropped."""
    value = env_str(name)
    if value is None or value.lower() == off:
        return []
    items = [item.strip().lower() for item in value.split(",") if item.strip()]
    unknown = [item for item in items if item not in choices]
    if unknown or not items or len(set(items)) != len(items):
        raise ImproperlyConfigured(
            f"{name}={value!r} must be {off!r} or a comma-separated list of distinct names "
            f"from: {', '.join(choices)}."
        )
    return items
