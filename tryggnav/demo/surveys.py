"""Demo step: survey results, published ones as published and generated ones labelled.

1. SCB:s medborgarundersökning 2021 as Huddinge's follow-up report for 2021 (seed 001)
   quotes it: Huddinge 63 % (95 % interval 59–68 %), Stockholms län 70 %, Sverige 73 %,
   Huddinge's four areas 77/64/54/49 %, Vaxholm 91 % (highest), Upplands Väsby 49 %
   (lowest). Only these figures are published there; the report's statements are
   stored as claims, and the indicator page checks each one against these figures.
2. A generated companion survey ("genererade demovärden", ``is_generated``) with all 21
   participating municipalities of the county, so that the league table with rank
   intervals has something to show. Vaxholm, Upplands Väsby and Huddinge keep their
   published shares (n generated); the other 18 values and every n are generated, with
   Huddinge in place 16 as in the report. Earlier years are generated for a trend.
3. Brå's NTU 2016 by sex (national, published without n): "Otrygg att gå ut ensam sent
   en kväll", 19 % of all, 9 % of men, 31 % of women (data/ntu-2016-otrygghet-grupper).

Idempotent: surveys, indicators, results and claims are matched on their keys.
"""

from __future__ import annotations

import random

from django.db import transaction

from tryggnav.areas.models import Municipality
from tryggnav.organisations.models import Organisation
from tryggnav.surveys.models import Claim, Indicator, Provider, Result, Survey, UnitType

SEED_SOURCE = (
    "Huddinge kommun: Uppföljning av Program för trygghet och säkerhet 2021 "
    "(avsnittet Medborgarundersökning), som återger SCB:s medborgarundersökning 2021."
)
INDICATOR = "Andel som känner sig trygga utomhus i området där de bor när det är mörkt ute"
QUESTION = "Hur trygg känner du dig utomhus i området där du bor när det är mörkt ute?"
SURVEY = "SCB:s medborgarundersökning"
GENERATED_SURVEY = "SCB:s medborgarundersökning – genererade demovärden"
NOT_PARTICIPATING = ["0136", "0163", "0180", "0184", "0188"]  # Haninge, Sollentuna, …
AREAS = [
    ("0126-mellersta", "Mellersta Huddinge", 0.77),
    ("0126-nordvastra", "Nordvästra Huddinge", 0.64),
    ("0126-ostra", "Östra Huddinge", 0.54),
    ("0126-sydvastra", "Sydvästra Huddinge", 0.49),
]


def _survey(org: Organisation, name: str, year: int, **extra) -> Survey:
    survey, _created = Survey.objects.update_or_create(
        organisation=org,
        provider=extra.pop("provider", Provider.SCB),
        name=name,
        year=year,
        defaults={"is_demo": True, **extra},
    )
    return survey


def _indicator(survey: Survey, name: str = INDICATOR, **extra) -> Indicator:
    indicator, _created = Indicator.objects.update_or_create(
        survey=survey, name=name, defaults={"question": QUESTION, **extra}
    )
    return indicator


def _result(
    indicator: Indicator,
    unit_type: str,
    code: str,
    name: str,
    estimate: float,
    *,
    group: str = "alla",
    **extra,
) -> Result:
    county = municipality = None
    if unit_type == UnitType.MUNICIPALITY:
        municipality = code
        county = Municipality.objects.get(code=code).county_id
    elif unit_type == UnitType.AREA:
        municipality, county = code[:4], "01"
    elif unit_type == UnitType.COUNTY:
        county = code
    values = {
        "unit_name": name,
        "municipality_id": municipality,
        "county_id": county,
        "estimate": estimate,
        "n": None,
        "se": None,
        "deff": None,
        "ci_low": None,
        "ci_high": None,
        "is_generated": False,
        "note": "",
        **extra,
    }
    result, _created = Result.objects.update_or_create(
        indicator=indicator, unit_type=unit_type, unit_code=code, group=group, defaults=values
    )
    return result


def _claim(indicator: Indicator, text: str, subject: Result, **values) -> None:
    Claim.objects.update_or_create(
        indicator=indicator,
        text=text,
        defaults={"subject": subject, "source": "Uppföljning 2021, s. 3", **values},
    )


def _published(org: Organisation) -> Indicator:
    survey = _survey(org, SURVEY, 2021, source=SEED_SOURCE)
    indicator = _indicator(survey)
    huddinge = _result(
        indicator, UnitType.MUNICIPALITY, "0126", "Huddinge", 0.63, ci_low=0.59, ci_high=0.68
    )
    county = _result(indicator, UnitType.COUNTY, "01", "Stockholms län", 0.70)
    sweden = _result(indicator, UnitType.COUNTRY, "SE", "Sverige", 0.73)
    _result(indicator, UnitType.MUNICIPALITY, "0187", "Vaxholm", 0.91)
    _result(indicator, UnitType.MUNICIPALITY, "0114", "Upplands Väsby", 0.49)
    areas = {
        code: _result(indicator, UnitType.AREA, code, name, share) for code, name, share in AREAS
    }
    D = Claim.Kind.DIFFERENCE
    _claim(
        indicator,
        "I Stockholms län är andelen trygga 70 procent vilket är en signifikant "
        "högre andel jämfört med Huddinge.",
        huddinge,
        kind=D,
        other=county,
        direction=Claim.Direction.LOWER,
    )
    _claim(
        indicator,
        "Totalt i Sverige anger 73 procent att de känner sig trygga när det är "
        "mörkt ute vilket även det är högre än Huddinges andel.",
        huddinge,
        kind=D,
        other=sweden,
        direction=Claim.Direction.LOWER,
    )
    _claim(
        indicator,
        "I en rangordning av resultaten hamnar Huddinge på plats 16 av 21 kommuner.",
        huddinge,
        kind=Claim.Kind.RANK,
        rank=16,
        rank_of=21,
    )
    central = areas["0126-mellersta"]
    for other, text in [
        (
            huddinge,
            "Det är även en signifikant skillnad på tryggheten i mellersta Huddinge "
            "jämfört med Huddinge kommun som helhet",
        ),
        (areas["0126-ostra"], "… och även jämfört med östra … Huddinge."),
        (areas["0126-sydvastra"], "… och även jämfört med … sydvästra Huddinge."),
    ]:
        _claim(indicator, text, central, kind=D, other=other, direction=Claim.Direction.HIGHER)
    return indicator


_GENERATED_NOTE = "Genererat för demonstration; inte en publicerad siffra."
_PUBLISHED_NOTE = "Andelen är publicerad (uppföljning 2021); n är genererat."


def _generated(org: Organisation) -> None:
    rng = random.Random(2021)
    municipalities = list(
        Municipality.objects.filter(county_id="01").exclude(code__in=NOT_PARTICIPATING)
    )
    others = [m for m in municipalities if m.code not in ("0126", "0187", "0114")]
    rng.shuffle(others)
    # Huddinge in place 16 of 21: 14 generated above it (plus Vaxholm), 4 below (plus
    # Upplands Väsby).
    shares = sorted((rng.randint(64, 88) for _ in range(14)), reverse=True)
    shares += sorted((rng.randint(50, 62) for _ in range(4)), reverse=True)
    for year, drift in ((2015, 0.04), (2017, 0.03), (2019, 0.02), (2021, 0.0)):
        survey = _survey(
            org,
            GENERATED_SURVEY,
            year,
            is_generated=True,
            source="Genererade värden för demonstration av Tryggnav.",
        )
        indicator = _indicator(survey)
        _result(
            indicator,
            UnitType.COUNTY,
            "01",
            "Stockholms län",
            round(0.70 + drift, 3),
            n=18000,
            deff=1.4,
            is_generated=True,
            note=_GENERATED_NOTE,
        )
        if year == 2021:
            _generated_2021(indicator, rng, list(zip(others, shares, strict=True)))
        else:
            _result(
                indicator,
                UnitType.MUNICIPALITY,
                "0126",
                "Huddinge",
                round(0.63 + drift + rng.uniform(-0.02, 0.02), 2),
                n=rng.randint(900, 1300),
                deff=1.5,
                is_generated=True,
                note=_GENERATED_NOTE,
            )


def _generated_2021(
    indicator: Indicator, rng: random.Random, others: list[tuple[Municipality, int]]
) -> None:
    """The 2021 ranking: Huddinge's published share and interval, Vaxholm's and Upplands
    Väsby's published shares, and generated shares for the other municipalities."""
    _result(
        indicator,
        UnitType.MUNICIPALITY,
        "0126",
        "Huddinge",
        0.63,
        ci_low=0.59,
        ci_high=0.68,
        n=1180,
        deff=1.5,
        is_generated=True,
        note="Andel och intervall publicerade (uppföljning 2021); n är genererat.",
    )
    for code, name, share in (("0187", "Vaxholm", 0.91), ("0114", "Upplands Väsby", 0.49)):
        low, high = (450, 700) if code == "0187" else (500, 900)
        _result(
            indicator,
            UnitType.MUNICIPALITY,
            code,
            name,
            share,
            n=rng.randint(low, high),
            deff=1.4,
            is_generated=True,
            note=_PUBLISHED_NOTE,
        )
    for municipality, share_percent in others:
        _result(
            indicator,
            UnitType.MUNICIPALITY,
            municipality.code,
            municipality.short_name,
            share_percent / 100,
            n=rng.randint(450, 1100),
            deff=1.4,
            is_generated=True,
            note=_GENERATED_NOTE,
        )


def _ntu(org: Organisation) -> None:
    survey = _survey(
        org,
        "Nationella trygghetsundersökningen",
        2016,
        provider=Provider.BRA_NTU,
        source="Brå, NTU 2016: Otrygghet och oro för brott i olika befolkningsgrupper "
        "(data/ntu-2016-otrygghet-grupper). Publicerat utan antal svarande och intervall.",
    )
    indicator = _indicator(
        survey,
        "Andel som känner sig otrygga att gå ut ensamma sent en kväll",
        question="",
        higher_is_better=False,
    )
    for group, share in (("alla", 0.19), ("män", 0.09), ("kvinnor", 0.31)):
        _result(indicator, UnitType.COUNTRY, "SE", "Sverige", share, group=group)


def load() -> list[str]:
    org = Organisation.objects.filter(slug="huddinge-kommun").first()
    if org is None:
        return ["Undersökningar: Huddinge kommun saknas (demo-grunden), hoppar över."]
    with transaction.atomic():
        _published(org)
        _generated(org)
        _ntu(org)
    return [
        "Undersökningar: medborgarundersökningen 2021 som publicerad i Huddinges uppföljning, "
        "genererade demovärden för rangordning och trend, NTU 2016 per kön."
    ]
