from django import template

from tryggnav.fund import effects
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


@register.filter
def value(number_: float | None) -> str:
    """An indicator's value: one decimal at most, trailing zeros dropped."""
    return number(number_, 1, trim=True)


@register.filter
def effect_message(effect: dict) -> str:
    """The statistics core's own wording of an effect, in the reader's language."""
    return effects.message(effect)
