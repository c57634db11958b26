from django import template

register = template.Library()


@register.filter
def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.0%}"


@register.filter
def p_value(p: float | None) -> str:
    """Three decimals; below that, "<0.001" rather than a precision the test does not have."""
    if p is None:
        return "—"
    return "<0.001" if p < 0.001 else f"{p:.3f}"


@register.filter
def not_compared(step) -> list[str]:
    """The characteristics a step could not compare, by their short names."""
    return [c.characteristic.short for c in step.comparisons if not c.compared]
