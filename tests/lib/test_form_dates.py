"""Every date a form takes is bounded, so year 1 or 9999 is a form error, not a 500."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django import forms

import tryggnav
from tryggnav.lib import dates


def _form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for module_info in pkgutil.walk_packages(tryggnav.__path__, "tryggnav."):
        if not module_info.name.endswith(".forms"):
            continue
        module = importlib.import_module(module_info.name)
        for obj in vars(module).values():
            if (
                isinstance(obj, type)
                and issubclass(obj, forms.BaseForm)
                and obj.__module__ == module.__name__
            ):
                found.append(obj)
    return found


def _date_fields(form_class: type[forms.BaseForm]) -> list[tuple[str, forms.Field]]:
    return [
        (name, field)
        for name, field in form_class.base_fields.items()
        if isinstance(field, (forms.DateField, forms.DateTimeField))
    ]


def test_forms_with_dates_are_found() -> None:
    with_dates = [cls for cls in _form_classes() if _date_fields(cls)]
    assert len(with_dates) >= 10


@pytest.mark.parametrize("form_class", _form_classes(), ids=lambda cls: cls.__qualname__)
def test_every_form_date_is_bounded(form_class: type[forms.BaseForm]) -> None:
    for name, field in _date_fields(form_class):
        assert isinstance(field, (dates.DateField, dates.DateTimeField)), (
            f"{form_class.__module__}.{form_class.__qualname__}.{name} takes any date; "
            "use tryggnav.lib.dates.DateField or DateTimeField"
        )


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_far_dates_are_form_errors(value: str) -> None:
    field = dates.DateField()
    with pytest.raises(forms.ValidationError):
        field.clean(value)


@pytest.mark.parametrize("value", ["0001-01-01T00:30", "9999-12-31T23:59", "1899-12-31T12:00"])
def test_far_moments_are_form_errors(value: str) -> None:
    field = dates.DateTimeField(input_formats=["%Y-%m-%dT%H:%M"])
    with pytest.raises(forms.ValidationError):
        field.clean(value)


def test_a_moment_inside_the_range_is_taken() -> None:
    field = dates.DateTimeField(input_formats=["%Y-%m-%dT%H:%M"])
    assert field.clean("2026-12-06T10:15").year == 2026
