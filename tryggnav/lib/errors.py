"""Input errors that name where the problem is, in Swedish and English.

Imports and commands raise ``InputError``; pages and commands show its message
instead of a stack trace, and nothing is written (imports are all-or-nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language


@dataclass
class Problem:
    sv: str
    en: str
    file: str = ""
    row: int | None = None
    field: str = ""

    def where(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.row is not None:
            parts.append(f"rad/row {self.row}")
        if self.field:
            parts.append(f"fält/field {self.field!r}")
        return ", ".join(parts)

    def text(self) -> str:
        """The Swedish or the English text, by the active language (pages show one)."""
        return self.en if (get_language() or "sv").startswith("en") else self.sv

    def __str__(self) -> str:
        where = self.where()
        prefix = f"{where}: " if where else ""
        return f"{prefix}{self.sv} / {self.en}"


@dataclass
class InputError(Exception):
    problems: list[Problem] = field(default_factory=list)

    @classmethod
    def single(cls, sv: str, en: str, **where: object) -> InputError:
        return cls([Problem(sv, en, **where)])  # type: ignore[arg-type]

    def text(self) -> str:
        """All problems in the active language, for one message on a page."""
        return "; ".join(p.text() for p in self.problems)

    def add_to_form(self, form: Any, *, field: str | None = None) -> None:
        """Show the problems on a form: on ``field``, on the field each names, or on
        the form as a whole when it has no such field."""
        for problem in self.problems:
            target = field or (problem.field if problem.field in form.fields else None)
            form.add_error(target, problem.text())

    def __str__(self) -> str:
        shown = self.problems[:20]
        lines = [str(p) for p in shown]
        if len(self.problems) > len(shown):
            rest = len(self.problems) - len(shown)
            lines.append(f"… och {rest} fel till / … and {rest} more errors")
        return "\n".join(lines)


class Conflict(InputError):
    """Someone else changed the object first (two coordinators acting at once, or a
    form sent twice). Pages show it like any input error; the API answers 409."""

    @classmethod
    def handled(cls, sv: str, en: str, *, who: str, when: Any, **where: object) -> Conflict:
        """``sv`` and ``en`` end where "by X at T" follows, e.g. "Rapporten är redan
        avvisad" + " av Cecilia Samordnare kl. 2026-12-06 00:20."."""
        stamp = timezone.localtime(when).strftime("%Y-%m-%d %H:%M") if when else ""
        who_sv = f" av {who}" if who else ""
        who_en = f" by {who}" if who else ""
        at_sv, at_en = (f" kl. {stamp}", f" at {stamp}") if stamp else ("", "")
        return cls([Problem(f"{sv}{who_sv}{at_sv}.", f"{en}{who_en}{at_en}.", **where)])  # type: ignore[arg-type]


def person(user: Any) -> str:
    """A user's name for a message ("Cecilia Samordnare", else the e-mail address)."""
    if user is None:
        return ""
    return user.get_full_name() or user.email or user.get_username()
