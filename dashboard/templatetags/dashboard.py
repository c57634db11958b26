from django import template

register = template.Library()


@register.filter
def person(user, missing="Someone"):
    """A teammate's name as the dashboard shows it: full name, else username."""
    if user is None:
        return missing
    return user.get_full_name() or user.get_username()


@register.filter
def web_url(value) -> str:
    """The value if it is an http(s) address, else "": never a javascript: link, whatever
    reached the database."""
    text = str(value or "").strip()
    return text if text.lower().startswith(("https://", "http://")) else ""
