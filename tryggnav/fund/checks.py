"""Checks of an application's content: the SMART goal (the rules of Brå step 5, as
``steering.forms.MeasureForm`` applies them, with the same messages), and an uploaded
attachment's type, judged by its first bytes and never by its name."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.utils.translation import gettext as _

from tryggnav.lib.errors import InputError, Problem

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG = "image/png"
JPEG = "image/jpeg"


def _zip_kind(data: bytes) -> str | None:
    """A .docx or .xlsx is a zip with word/ or xl/ inside; other zips are refused."""
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if any(n.startswith("word/") for n in names):
        return DOCX
    if any(n.startswith("xl/") for n in names):
        return XLSX
    return None


def sniff(data: bytes) -> str | None:
    """The content type of an allowed attachment from its bytes, or None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    # Old .doc/.xls (OLE compound files) are not accepted: an .msi installer is the
    # same container and cannot be told apart by its first bytes.
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    return None


def attachment_type(*, data: bytes, filename: str) -> str:
    """The checked content type, or an InputError naming the file."""
    if not data:
        raise InputError.single("Filen är tom.", "The file is empty.", file=filename, field="file")
    if len(data) > MAX_ATTACHMENT_BYTES:
        mb = MAX_ATTACHMENT_BYTES // (1024 * 1024)
        raise InputError.single(
            f"Filen är större än {mb} MB.",
            f"The file is larger than {mb} MB.",
            file=filename,
            field="file",
        )
    kind = sniff(data)
    if kind is None:
        raise InputError.single(
            "Filen är inte en PDF, ett Word- eller Excel-dokument eller en bild (PNG, JPEG) "
            "enligt sitt innehåll; filnamnet avgör inte.",
            "By its content the file is not a PDF, a Word or Excel document or an image "
            "(PNG, JPEG); its name does not decide.",
            file=filename,
            field="file",
        )
    return kind


def smart_problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, message) for each SMART rule of Brå step 5 the data breaks."""
    out: list[tuple[str, str]] = []
    has_place = data.get("area") or data.get("place") or (data.get("place_name") or "").strip()
    if not has_place and data.get("lat") is None:
        out.append(("place_name", _("Specifikt: ange områden eller en plats.")))
    baseline, deadline = data.get("baseline_date"), data.get("deadline")
    if baseline and deadline and deadline <= baseline:
        out.append(("deadline", _("Tidsatt: slutdatum måste ligga efter utgångsvärdets datum.")))
    value, target = data.get("baseline_value"), data.get("target_value")
    if value is not None and target is not None and value == target:
        out.append(("target_value", _("Mätbart: målvärdet ska skilja sig från utgångsvärdet.")))
    return out


SUBMIT_REQUIRED = (
    ("indicator", "Mätbart: indikator", "Measurable: indicator"),
    ("baseline_value", "Mätbart: utgångsvärde", "Measurable: baseline value"),
    ("baseline_date", "Utgångsvärdet avser datum", "Date of the baseline value"),
    ("target_value", "Målvärde", "Target value"),
    ("deadline", "Tidsatt: klart senast", "Time-bound: deadline"),
    ("activities", "Aktiviteter och tidplan", "Activities and timetable"),
    ("perspective_children", "Barnperspektiv", "Children's perspective"),
    ("perspective_gender", "Jämställdhetsperspektiv", "Gender perspective"),
    ("perspective_disability", "Funktionshindersperspektiv", "Disability perspective"),
    ("perspective_hbtq", "Hbtq-perspektiv", "LGBTQ perspective"),
    ("perspective_elderly", "Äldreperspektiv", "Perspective of the elderly"),
)


def submit_problems(application: Any) -> list[Problem]:
    """What an application lacks before it can be sent in."""
    problems = []
    for name, sv, en in SUBMIT_REQUIRED:
        value = getattr(application, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            problems.append(Problem(f"{sv} saknas.", f"{en} is missing.", field=name))
    values = {name: getattr(application, name) for name in (
        "area", "place", "place_name", "lat", "baseline_date", "deadline",
        "baseline_value", "target_value")}  # fmt: skip
    for name, text in smart_problems(values):
        problems.append(Problem(text, text, field=name))
    if not application.budget_lines.exists():
        problems.append(Problem("Budgeten saknas.", "The budget is missing.", field="budget"))
    if not application.democracy_confirmed:
        problems.append(
            Problem(
                "Demokrativillkoren är inte bekräftade.",
                "The democracy conditions are not confirmed.",
                field="democracy_confirmed",
            )
        )
    have = set(application.attachments.values_list("label", flat=True))
    for label in application.call.required_attachments:
        if label not in have:
            problems.append(
                Problem(f"Bilagan {label!r} saknas.", f"Attachment {label!r} is missing.",
                        field="attachments")
            )  # fmt: skip
    return problems
