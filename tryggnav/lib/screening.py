"""Personal data screening of free text: what to warn the reporter about and what to mask.

Tryggnav holds no register of persons (DESIGN.md). Reporters are warned before
saving; everyone outside the reporting organisation, every export and the API
get ``masked``. Detected: Swedish personnummer and samordningsnummer (only with
a valid check digit, via the ``personnummer`` package, so dates and order
numbers are not flagged), phone numbers, e-mail addresses, vehicle
registration numbers and probable personal names (``tryggnav.lib.person_names``:
a known Swedish first name, possibly with a surname; a heuristic with known
false positives and misses, measured in docs/privacy.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from personnummer import personnummer

from tryggnav.lib import person_names

PERSONNUMMER = "personnummer"
SAMORDNINGSNUMMER = "samordningsnummer"
PHONE = "telefon"
EMAIL = "epost"
REGISTRATION = "regnummer"
NAME = "namn"

LABELS = {
    PERSONNUMMER: _("personnummer"),
    SAMORDNINGSNUMMER: _("samordningsnummer"),
    PHONE: _("telefonnummer"),
    EMAIL: _("e-postadress"),
    REGISTRATION: _("registreringsnummer"),
    NAME: _("personnamn"),
}
# The placeholders are stored in text_masked, so they are not translated.
PLACEHOLDERS = {
    PERSONNUMMER: "[personnummer]",
    SAMORDNINGSNUMMER: "[personnummer]",
    PHONE: "[telefon]",
    EMAIL: "[e-post]",
    REGISTRATION: "[regnummer]",
    NAME: "[namn]",
}

# 6 or 8 digits of date, an optional separator, 4 digits. Digits around it must not
# continue (a longer number is not a personnummer).
_ID_NUMBER = re.compile(r"(?<![\d-])(?:\d{2})?\d{6}\s?[-+]?\s?\d{4}(?![\d-])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}")
# Swedish numbers: +46 / 0046 / 0, then 7–9 more digits, with spaces or hyphens.
_PHONE = re.compile(r"(?<![\w+])(?:\+46|0046|0)[\s-]?\(?0?\)?[1-9](?:[\s-]?\d){5,9}(?!\d)")
# Plates: three letters (not I, Q, V, Å, Ä, Ö) and three digits, the last may be a letter.
_PLATE = re.compile(r"\b[A-HJ-PR-UW-Z]{3}[ -]?\d{2}[A-HJ-PR-UW-Z0-9]\b")
_PLATE_LOWER = re.compile(r"\b[a-hj-pr-uw-z]{3}\d{2}[a-hj-pr-uw-z0-9]\b")


@dataclass(frozen=True)
class Match:
    kind: str
    start: int
    end: int
    value: str

    @property
    def label(self) -> str:
        return str(LABELS[self.kind])


@dataclass(frozen=True)
class ScreeningResult:
    matches: list[Match] = field(default_factory=list)
    masked: str = ""

    @property
    def has_personal_data(self) -> bool:
        return bool(self.matches)

    def kinds(self) -> list[str]:
        """The labels of the kinds found, each once, in order of first appearance."""
        seen: list[str] = []
        for match in self.matches:
            if match.label not in seen:
                seen.append(match.label)
        return seen


def _id_number_kind(value: str) -> str | None:
    compact = re.sub(r"\s", "", value)
    if not personnummer.valid(compact):
        return None
    parsed = personnummer.parse(compact)
    return SAMORDNINGSNUMMER if parsed.is_coordination_number() else PERSONNUMMER


def _candidates(text: str) -> list[Match]:
    found: list[Match] = []
    for m in _ID_NUMBER.finditer(text):
        kind = _id_number_kind(m.group())
        if kind:
            found.append(Match(kind, m.start(), m.end(), m.group()))
    for m in _EMAIL.finditer(text):
        found.append(Match(EMAIL, m.start(), m.end(), m.group()))
    for m in _PHONE.finditer(text):
        found.append(Match(PHONE, m.start(), m.end(), m.group()))
    for pattern in (_PLATE, _PLATE_LOWER):
        for m in pattern.finditer(text):
            found.append(Match(REGISTRATION, m.start(), m.end(), m.group()))
    for start, end in person_names.find_names(text):
        found.append(Match(NAME, start, end, text[start:end]))
    return found


def screen(text: str) -> ScreeningResult:
    """Find personal data in ``text`` and return the matches and the masked text.

    Overlapping candidates are resolved by taking the earliest, then the longest;
    identity numbers are found first, so a valid personnummer is never reported
    as a phone number.
    """
    text = text or ""
    candidates = sorted(_candidates(text), key=lambda m: (m.start, -(m.end - m.start)))
    matches: list[Match] = []
    position = 0
    for match in candidates:
        if match.start >= position:
            matches.append(match)
            position = match.end
    parts: list[str] = []
    position = 0
    for match in matches:
        parts.append(text[position : match.start])
        parts.append(PLACEHOLDERS[match.kind])
        position = match.end
    parts.append(text[position:])
    return ScreeningResult(matches=matches, masked="".join(parts))
