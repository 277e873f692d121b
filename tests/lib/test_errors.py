"""InputError on pages: the active language's text, on the field it names."""

from __future__ import annotations

from django import forms
from django.utils import translation

from tryggnav.lib.errors import InputError, Problem


class _Form(forms.Form):
    name = forms.CharField()


def _error() -> InputError:
    return InputError(
        [
            Problem("Namnet finns redan.", "The name exists.", field="name"),
            Problem("Filen är tom.", "The file is empty.", field="file"),
        ]
    )


def test_text_follows_the_active_language():
    with translation.override("sv"):
        assert _error().text() == "Namnet finns redan.; Filen är tom."
    with translation.override("en"):
        assert _error().text() == "The name exists.; The file is empty."


def test_add_to_form_puts_problems_on_their_field_or_the_form():
    form = _Form({"name": "x"})
    assert form.is_valid()
    with translation.override("en"):
        _error().add_to_form(form)
    assert form.errors["name"] == ["The name exists."]
    assert form.non_field_errors() == ["The file is empty."]
    other = _Form({"name": "x"})
    other.is_valid()
    _error().add_to_form(other, field="name")
    assert other.errors["name"] == ["Namnet finns redan.", "Filen är tom."]
