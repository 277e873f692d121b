"""Demo step: citizens' reports in Huddinge, GENERATED.

Six invented reports written through the citizen channel's services and flagged
``is_demo`` (the pages label them "Demo"; no mail is sent and nothing is counted against
an address): four approved by the municipality's moderator and routed (one of them
fixed), one rejected, and one waiting for moderation. Runs after the deficiencies step
(it uses the routing rules made there). Idempotent: skipped when Huddinge has demo
citizen reports.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from tryggnav.inspections import citizen, services
from tryggnav.inspections.models_citizen import CitizenReport

MUNICIPALITY = "0126"
MODERATOR = "eva.lindqvist@huddinge.example"
NOTE = "(Genererad demodata.)"

# category, lat, lon, the reporter's text, the public title ("" waits, "-" rejected), fixed
REPORTS = [
    (
        "belysning",
        59.2201,
        17.9461,
        "Tre lampor är släckta längs gångvägen mot stationen.",
        "Släckta lampor längs gångvägen vid Flemingsbergs station",
        True,
    ),
    (
        "vegetation",
        59.2172,
        18.1530,
        "Buskarna vid busshållplatsen är så höga att man inte ser något.",
        "Höga buskar skymmer busshållplatsen i Skogås",
        False,
    ),
    (
        "klotter",
        59.2650,
        17.8830,
        "Mycket klotter på bullerplanket.",
        "Klotter på bullerplanket i Vårby",
        False,
    ),
    (
        "otrygg",
        59.2190,
        17.9420,
        "Det känns otryggt i gångtunneln på kvällen, den är mörk och smutsig.",
        "Mörk gångtunnel i Flemingsberg",
        False,
    ),
    ("skrap", 59.2160, 18.1490, "Skräp överallt vid återvinningsstationen.", "-", False),
    ("skada", 59.2185, 18.1555, "Trasig bänk i parken, vassa kanter.", "", False),
]


def load() -> list[str]:
    moderator = get_user_model().objects.filter(email=MODERATOR).first()
    if moderator is None or not citizen.channel_open(MUNICIPALITY):
        return ["Medborgarrapporter: demoorganisationerna saknas, hoppar över."]
    if CitizenReport.objects.filter(municipality_id=MUNICIPALITY, is_demo=True).exists():
        return ["Medborgarrapporter (demo): fanns redan."]
    with transaction.atomic():
        for category, lat, lon, text, title, fixed in REPORTS:
            report = citizen.report_submit(
                municipality_id=MUNICIPALITY, category=category, text=f"{text} {NOTE}",
                lat=lat, lon=lon, address=None, is_demo=True,
            ).report  # fmt: skip
            if not title:
                continue
            report = citizen.report_moderate(
                report=report, by=moderator, approve=title != "-", public_title=title,
                public_text=text, reject_reason="Gäller en privat fastighet; vi har tipsat ägaren.",
            )  # fmt: skip
            if fixed and report.deficiency is not None:
                services.deficiency_fix(deficiency=report.deficiency, by=moderator,
                                        note=f"Lamporna är bytta. {NOTE}")  # fmt: skip
    return [
        f"Medborgarrapporter (demo, genererade): {len(REPORTS)} i Huddinge, en väntar på granskning."
    ]
