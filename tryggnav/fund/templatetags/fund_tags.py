from django import template

from tryggnav.lib.numbers import MISSING, number

register = template.Library()


@register.filter
def kr(value: int | None) -> str:
    """An amount in whole kronor: "1 234 567 kr"."""
    if value is None or value == "":
        return MISSING
    return f"{number(value)}\u00a0kr"


@register.filter
def score1(value: float | None) -> str:
    return number(value, 1)
