"""Access cases of the citizen channel and Open311: the form, the map, the status page
and Open311 are public (anyone, logged in or not); moderation is for the coordinators
of the municipality's own organisation."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.access import LOGIN_REDIRECT, PUBLIC, Case
from tests.inspections import factories as f
from tryggnav.inspections import citizen
from tryggnav.inspections.models_citizen import CitizenReport, Moderation

R = LOGIN_REDIRECT
MODERATE = {"anonymous": R, "outsider": 404, "reader": 403, "reporter": 404, "coordinator": 302}


def _assert(condition: bool) -> None:
    assert condition


def _submit(text: str = "Mörkt vid stigen", photo=None) -> citizen.Submitted:
    found = CitizenReport.objects.filter(text=text).first()
    if found is not None:
        raise AssertionError("one report per text in the matrix")
    return citizen.report_submit(municipality_id="0180", category="belysning", text=text,
                                 lat=f.LAT, lon=f.LON, address=None, photo=photo)  # fmt: skip


def _approved(w) -> CitizenReport:
    report = _submit("Godkänd rapport").report
    return citizen.report_moderate(report=report, by=w.user("coordinator"), approve=True,
                                   public_title="Släckt lampa")  # fmt: skip


def _photo():
    jpeg = f.jpeg_with_exif()
    return SimpleUploadedFile("foto.jpg", jpeg.getvalue(), "image/jpeg")


def _moderation_data(w):
    report = CitizenReport.objects.get(text="Att granska")
    p = str(report.public_id)
    return {f"{p}-decision": "approve", f"{p}-public_title": "Släckt lampa",
            f"{p}-category": "belysning", f"{p}-severity": "2"}  # fmt: skip


CASES = [
    Case("inspections:citizen_report", PUBLIC, args=lambda w: ["0180"]),
    Case(
        "inspections:citizen_report",
        {"anonymous": 404, "reader": 404},
        args=lambda w: ["0114"],
        label="closed",
    ),  # fmt: skip
    Case(
        "inspections:citizen_report",
        {"anonymous": 302, "reader": 302},
        args=lambda w: ["0180"],
        method="post",
        data=lambda w: {"category": "klotter", "text": "Klotter", "lat": f.LAT, "lon": f.LON},
        label="post",
    ),
    Case("inspections:citizen_map", PUBLIC, args=lambda w: ["0180"]),
    Case("inspections:citizen_map_data", PUBLIC, args=lambda w: ["0180"]),
    Case("inspections:citizen_status", PUBLIC, args=lambda w: [_submit().token]),
    Case(
        "inspections:citizen_status",
        {"anonymous": 404, "reader": 404},
        args=lambda w: ["x" * 43],
        label="unknown",
    ),  # fmt: skip
    Case(
        "inspections:moderation",
        {"anonymous": R, "outsider": 404, "reader": 403, "reporter": 404, "coordinator": 200},
        args=lambda w: [w.lead.slug],
    ),
    Case(
        "inspections:moderate",
        MODERATE,
        args=lambda w: [w.lead.slug, _submit("Att granska").report.public_id],
        method="post",
        writes=True,
        data=_moderation_data,
        check=lambda w, b: _assert(
            CitizenReport.objects.filter(
                text="Att granska", moderation=Moderation.APPROVED
            ).exists()
        ),
    ),
    Case(
        "inspections:moderation_photo",
        {"anonymous": R, "outsider": 404, "reader": 403, "reporter": 404, "coordinator": 200},
        args=lambda w: [w.lead.slug, _submit("Med foto", photo=_photo()).report.public_id],
    ),
    Case("open311:services", PUBLIC, args=lambda w: ["json"]),
    Case("open311:service", PUBLIC, args=lambda w: ["belysning", "json"]),
    Case("open311:requests", PUBLIC, args=lambda w: ["json"]),
    Case(
        "open311:requests",
        {"anonymous": 201, "reader": 201},
        args=lambda w: ["json"],
        method="post",
        data=lambda w: {
            "service_code": "klotter",
            "lat": f.LAT,
            "long": f.LON,
            "description": "Klotter på muren",
            "jurisdiction_id": "0180",
        },  # fmt: skip
        label="post",
    ),
    Case("open311:request", PUBLIC, args=lambda w: [_approved(w).public_id, "json"]),
    Case("open311:token", PUBLIC, args=lambda w: [_submit().report.public_id, "json"]),
]
