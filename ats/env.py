"""Read settings from environment variables, failing loudly on a bad value.

Each helper raises ImproperlyConfigured naming the variable, so a typo in a
deployment stops start-up with a message instead of silently running with a
default nobody chose.
"""

import os
import re
from urllib.parse import parse_qs, unquote, urlsplit

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


_BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_REGION = re.compile(r"[a-z0-9-]{1,40}")
_SSE = {"aes256": "AES256", "aws:kms": "aws:kms", "none": None}
_BUCKET_QUERY = ("region", "secure", "sse", "addressing")


def env_bucket(name: str) -> dict | None:
    """An S3-compatible bucket, as the options of django-storages' S3 backend, or None unset.

    s3://[KEY:SECRET@]HOST[:PORT]/BUCKET[/PREFIX][?region=R&secure=true&sse=AES256&addressing=path]

    Without KEY:SECRET, boto3 finds credentials itself (AWS_* variables, an instance role).
    A KEY or SECRET holding '/', '@' or ':' is percent-encoded. Every message names the URL
    with its secret masked, so a failed start never prints it.
    """
    value = env_str(name)
    if value is None:
        return None
    parts = urlsplit(value)
    # Masked from the raw text, not the parsed URL: a secret with an unencoded '/' is not
    # where urlsplit looks for it.
    scheme, _, rest = value.partition("://")
    userinfo, at, tail = rest.rpartition("@")
    shown = f"{scheme}://{userinfo.partition(':')[0]}:***@{tail}" if at else value

    def refuse(problem: str):
        raise ImproperlyConfigured(f"{name}={shown!r} {problem}.")

    if parts.scheme != "s3":
        refuse("is not an s3:// URL (s3://KEY:SECRET@HOST[:PORT]/BUCKET?region=...)")
    try:
        port = parts.port
    except ValueError:
        refuse("has a port that is not a number")
    if not parts.hostname:
        refuse("names no host (the store's endpoint, e.g. s3.eu-west-1.amazonaws.com)")
    if bool(parts.username) != bool(parts.password):
        refuse("gives a key without its secret, or a secret without its key")
    bucket, _, prefix = parts.path.strip("/").partition("/")
    if not _BUCKET_NAME.fullmatch(bucket):
        refuse("names no valid bucket (3-63 lowercase letters, digits, dots and hyphens)")
    query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=False)
    unknown = sorted(set(query) - set(_BUCKET_QUERY))
    if unknown:
        refuse(f"has unknown options {', '.join(unknown)} (known: {', '.join(_BUCKET_QUERY)})")
    repeated = sorted(key for key, values in query.items() if len(values) > 1)
    if repeated:
        refuse(f"repeats {', '.join(repeated)}")
    option = {key: values[0].strip() for key, values in query.items()}
    region = option.get("region", "us-east-1").lower()
    if not _REGION.fullmatch(region):
        refuse(f"has region={region!r}, which is not a region name")
    secure = option.get("secure", "true").lower()
    if secure not in _TRUE | _FALSE:
        refuse(f"has secure={secure!r}: use true or false")
    sse = option.get("sse", "AES256").lower()
    if sse not in _SSE:
        refuse(f"has sse={sse!r}: use AES256, aws:kms, or none for a store that refuses it")
    addressing = option.get("addressing", "path").lower()
    if addressing not in ("path", "virtual"):
        refuse(f"has addressing={addressing!r}: use path or virtual")
    use_ssl = secure in _TRUE
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return {
        "access_key": unquote(parts.username) if parts.username else None,
        "secret_key": unquote(parts.password) if parts.password else None,
        "bucket_name": bucket,
        "location": prefix.strip("/"),
        "endpoint_url": f"{'https' if use_ssl else 'http'}://{host}{f':{port}' if port else ''}",
        "use_ssl": use_ssl,
        "region_name": region,
        "addressing_style": addressing,
        "object_parameters": {"ServerSideEncryption": _SSE[sse]} if _SSE[sse] else {},
    }


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
