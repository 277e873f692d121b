"""The name of a category or an area in the reader's language.

Categories and areas carry a Swedish ``name`` and an optional English ``name_en``.
Every page, chart, report and API response asks here which one to show, so the
rule (English when the active language is English and an English name is given,
else Swedish) lives in one place.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language


def wants_english() -> bool:
    return (get_language() or "").lower().startswith("en")


def localized(name: str, name_en: str | None) -> str:
    """``name_en`` when the active language is English and it is given, else ``name``."""
    if name_en and wants_english():
        return name_en
    return name


def localized_name(obj: Any) -> str:
    """The display name of a category or an area (any object with ``name``, ``name_en``)."""
    if obj is None:
        return ""
    return localized(obj.name, getattr(obj, "name_en", ""))
