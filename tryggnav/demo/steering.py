"""Demo step: the steering loop of OSG Huddinge.

- The agreements of the seed documents as published: the avsiktsförklaring
  2023–2026 (dnr KS-2022/941.142, seed 004) with its six parties, the
  samverkansöverenskommelse 2023–2024 under it (four priority areas; Flemingsberg,
  Skogås, Vårby and the area around Huddinge centrum), and the
  samverkansöverenskommelse 2021–2022 of the 2021 follow-up (seed 001).
- Activities of 2021 from seed 001 (Unga för Orten, mobile leisure leaders, safety
  cameras in Grantorp, …) and two indicators from it: the share feeling safe outdoors
  after dark (63 %, 59–68 %) and the fire service's call-outs of Diagram 1, whose
  numbers are not in the text and are therefore left empty.
- A demo case worked through all seven of Brå's steps: vandalism and graffiti in
  Flemingsberg, with figures counted from the demo incidents (the generated partner
  reports and the police events) on the day the demo is loaded. The texts of the case
  are generated and say so; the figures are computed, not invented.

Idempotent: objects are found by owner and title; the case is built once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from tryggnav.areas.models import Area
from tryggnav.incidents.models import Category
from tryggnav.organisations.models import CollaborationGroup, Organisation
from tryggnav.steering import figures, indicators, services
from tryggnav.steering.models import (
    Activity,
    Agreement,
    FigureSnapshot,
    Indicator,
    Measure,
    PreventionType,
    Problem,
    Step,
)

GROUP = "osg-huddinge"
ACTOR = "eva.lindqvist@huddinge.example"
SEED_004 = "Huddinge kommun, tjänsteutlåtande 2022-09-04, dnr KS-2022/941.142"
SEED_001 = "Huddinge kommun, Program för trygghet och säkerhet – uppföljning för 2021"
DEMO_CASE = "Skadegörelse och klotter i Flemingsberg (demofall)"
GENERATED = "Genererad text (demo)."

JOINT_COMMITMENT = (
    "Utifrån samverkansöverenskommelsen ska samverkansparterna gemensamt ta fram, genomföra "
    "och följa upp aktiviteter under den tid som samverkansöverenskommelsen gäller. "
    "(Partens egna åtaganden står i bilaga 1 och 3, som inte ingår i underlaget.)"
)
INTENT_COMMITMENT = (
    "Parterna förbinder sig att på lokal nivå samverka för att öka tryggheten och minska "
    "brottsligheten i Huddinge, och att teckna en samverkansöverenskommelse för 2023–2024 "
    "med de fyra prioriterade områdena."
)

# (organisation slug or None, name as the seed spells it)
PARTIES_2023 = [
    ("huddinge-kommun", "Huddinge kommun"),
    (None, "Polisområde Stockholm syd"),
    ("sbff", "Södertörns brandförsvarsförbund"),
    ("kriminalvarden-huddinge", "Kriminalvården"),
    ("huge-bostader", "Hüge Bostäder AB"),
    ("huddinge-samhallsfastigheter", "Huddinge samhällsfastigheter AB"),
]
PRIORITIES_2023 = [
    "gängkriminalitet",
    "ANDTS – Alkohol, Narkotika, Doping, Tobak och Spel",
    "våld i nära relation",
    "trygghet i offentlig miljö",
]
DISTRICTS_2023 = ["Flemingsberg", "Skogås", "Vårby", "Huddinge centrum"]
PARTIES_2021 = [
    ("huddinge-kommun", "Huddinge kommun"),
    ("lpo-huddinge", "Lokalpolisområde Huddinge"),
    ("sbff", "Södertörns brandförsvarsförbund"),
]
PRIORITIES_2021 = [
    "barn och unga",
    "narkotika (ANDTS – Alkohol, Narkotika, Doping, Tobak och Spel)",
    "trygghet i den offentliga miljön",
]


def _agreement(group, by, *, title: str, parties, commitment: str = "", **fields) -> Agreement:
    found = Agreement.objects.filter(group=group, title=title).first()
    if found:
        return found
    agreement = services.agreement_create(by=by, group=group, is_demo=True, title=title, **fields)
    # The parties as the seed names them, linked to the demo organisation where there is one.
    agreement.parties.all().delete()
    orgs = {o.slug: o for o in Organisation.objects.filter(slug__in=[s for s, _ in parties if s])}
    for order, (slug, name) in enumerate(parties):
        agreement.parties.create(
            organisation=orgs.get(slug),
            name=name,
            order=order,
            commitments=commitment or JOINT_COMMITMENT,
        )
    return agreement


def _agreements(group, by) -> list[Agreement]:
    intent = _agreement(
        group,
        by,
        title="Avsiktsförklaring för ökad trygghet, 2023–2026",
        parties=PARTIES_2023,
        commitment=INTENT_COMMITMENT,
        kind=Agreement.Kind.INTENT,
        starts=datetime.date(2023, 1, 1),
        ends=datetime.date(2026, 12, 31),
        purpose=(
            "Avsiktsförklaring om samverkan mellan Huddinge kommun, polisområde Stockholm syd, "
            "Södertörns brandförsvarsförbund, Kriminalvården, Hüge Bostäder AB och Huddinge "
            "samhällsfastigheter AB för åren 2023–2026. Parterna förbinder sig att på lokal "
            "nivå samverka för att öka tryggheten och minska brottsligheten i Huddinge."
        ),
        decided_by="Kommunstyrelsen (förslag i tjänsteutlåtande daterat 2022-09-04)",
        decision_reference="KS-2022/941.142",
        source=SEED_004,
    )
    collaboration = _agreement(
        group,
        by,
        title="Samverkansöverenskommelse 2023–2024",
        parties=PARTIES_2023,
        kind=Agreement.Kind.COLLABORATION,
        parent=intent,
        starts=datetime.date(2023, 1, 1),
        ends=datetime.date(2024, 12, 31),
        purpose=(
            "Utifrån analysen har en samverkansöverenskommelse för år 2023–2024 formulerats. "
            "Kommundelarna Flemingsberg, Skogås och Vårby samt området runt Huddinge centrum "
            "bör vara prioriterade."
        ),
        decided_by="Kommundirektören (uppdrag från kommunstyrelsen)",
        decision_reference="KS-2022/941.142",
        priority_areas=PRIORITIES_2023,
        areas=Area.objects.filter(municipality_id="0126", name__in=DISTRICTS_2023),
        source=SEED_004 + "; bilaga 3 ingår inte i underlaget",
    )
    earlier = _agreement(
        group,
        by,
        title="Samverkansöverenskommelse 2021–2022",
        parties=PARTIES_2021,
        kind=Agreement.Kind.COLLABORATION,
        starts=datetime.date(2021, 1, 1),
        ends=datetime.date(2022, 12, 31),
        purpose=(
            "Till 2021 togs en ny samverkansöverenskommelse fram tillsammans med "
            "Lokalpolisområde Huddinge och Södertörns brandförsvarsförbund för 2021-2022. "
            "Samverkan bygger på att parterna tar fram en lägesbild, gör orsaksanalyser, "
            "sätter in insatser samt följer upp dessa."
        ),
        priority_areas=PRIORITIES_2021,
        steering_group="Styrgruppen för samverkansöverenskommelsen",
        meeting_rhythm=(
            "Operativa samverkansgruppen (OSG) varje vecka; samverkansaktiviteterna följs upp "
            "regelbundet och rapporteras till styrgruppen"
        ),
        source=SEED_001,
    )
    return [intent, collaboration, earlier]


ACTIVITIES_2021: list[dict[str, Any]] = [
    {
        "title": "Unga för Orten 2021",
        "responsible_name": "Föreningen Samverkan i Huddinge (leddes av en medarbetare på Huge Bostäder)",
        "areas": ["Vårby", "Skogås"],
        "place": "Grantorp, Visättra, Vårby gård, Masmo och Skogås",
        "prevention_type": PreventionType.SOCIAL,
        "hours": 23000,
        "outputs": (
            "Under nio veckor har ungdomarna tillsammans jobbat ungefär 23 000 arbetstimmar för "
            "att öka tryggheten och trivseln i Grantorp, Visättra, Vårby Gård, Masmo och Skogås."
        ),
        "description": "Trygghetsskapande feriearbete. Exakta datum anges inte i underlaget.",
    },
    {
        "title": "Mobila fritidsledare sommaren 2021",
        "responsible": "huddinge-kultur-fritid",
        "place": "Runt om i kommunen",
        "prevention_type": PreventionType.SOCIAL,
        "outputs": (
            "Mobila fritidsledare fanns runt om i kommunen varje kväll under hela sommaren, på "
            "platser där det var många ungdomar ute, och genomförde olika aktiviteter."
        ),
    },
    {
        "title": "Fältsekreterare och kurator under sommaren 2021",
        "responsible": "huddinge-socialforvaltningen",
        "place": "Familjecentralerna och ute i kommundelarna",
        "prevention_type": PreventionType.SOCIAL,
        "outputs": (
            "Kurator att tillgå under hela sommaren för föräldrar med barn via "
            "familjecentralerna; förebyggande fältsekreterare ute nästan alla dagar och kvällar "
            "med riktade aktiviteter till barn 10–12 år."
        ),
    },
    {
        "title": "Trygghetskameror i Grantorp",
        "responsible": "huddinge-kommun",
        "areas": ["Flemingsberg"],
        "place": "Grantorp",
        "prevention_type": PreventionType.SITUATIONAL,
        "outputs": (
            "I mitten av december startades Huddinges första trygghetskameraanläggning upp i "
            "Grantorp. Under året har även en plan för kommande installationer tagits fram."
        ),
    },
    {
        "title": "Trygghetsvärdar",
        "responsible": "huddinge-kommun",
        "prevention_type": PreventionType.SAFETY,
        "outputs": "Tre trygghetsvärdar anställdes under hösten 2021; arbetet styrs av lägesbilden.",
    },
    {
        "title": "Trygghetsanalys i Skogås centrum",
        "responsible": "huddinge-kommun",
        "areas": ["Skogås"],
        "place": "Skogås centrum och närområdet",
        "prevention_type": PreventionType.SITUATIONAL,
        "outputs": "Trygghetsanalys i slutet av året; åtgärder görs under 2022.",
    },
    {
        "title": "Väktare vid badplatser och utökad parkeringsbevakning",
        "responsible": "huddinge-kommun",
        "place": "Badplatser och intilliggande parkeringar",
        "prevention_type": PreventionType.SITUATIONAL,
        "outputs": (
            "En väktare anlitades för att säkerställa trygga badplatser och "
            "parkeringsbevakningen ökades."
        ),
    },
]


def _activities(group, by) -> int:
    created = 0
    orgs = {o.slug: o for o in Organisation.objects.filter(groups=group)}
    for spec in ACTIVITIES_2021:
        if Activity.objects.filter(group=group, title=spec["title"]).exists():
            continue
        spec = dict(spec)
        services.activity_create(
            by=by,
            group=group,
            is_demo=True,
            starts=datetime.date(2021, 1, 1),
            ends=datetime.date(2021, 12, 31),
            areas=Area.objects.filter(municipality_id="0126", name__in=spec.pop("areas", [])),
            responsible=orgs.get(spec.pop("responsible", "")),
            source=SEED_001,
            **spec,
        )
        created += 1
    return created


def _indicators(group, by) -> None:
    if not Indicator.objects.filter(group=group, name__startswith="Trygga utomhus").exists():
        safe = services.indicator_create(
            by=by,
            group=group,
            is_demo=True,
            name="Trygga utomhus i området där man bor när det är mörkt (andel, %)",
            kind=Indicator.Kind.SURVEY,
            unit="procent",
            lower_is_better=False,
            description=(
                "”Hur trygg känner du dig utomhus i området där du bor när det är mörkt ute?” "
                "SCB:s medborgarundersökning; indikator i Mål och budget."
            ),
            source=SEED_001,
        )
        services.indicator_value_save(
            indicator=safe,
            by=by,
            period_start=datetime.date(2021, 1, 1),
            label="2021",
            value=63,
            low=59,
            high=68,
            note="Med 95 procents säkerhet mellan 59 och 68 procent.",
        )
    if not Indicator.objects.filter(group=group, name__startswith="Olyckor där").exists():
        services.indicator_create(
            by=by,
            group=group,
            is_demo=True,
            name="Olyckor där räddningstjänsten ryckt ut (Sbff)",
            kind=Indicator.Kind.MANUAL,
            unit="antal per år",
            description=(
                "Trafikolycka, utsläpp farligt ämne, drunkning och brand (Diagram 1 i "
                "uppföljningen för 2021). Texten säger att antalet fortsätter att minska, men "
                "diagrammets siffror finns inte i textunderlaget; mata in dem från Sbff:s "
                "statistik."
            ),
            source=SEED_001,
        )


def _quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _in_force(agreements: list[Agreement]) -> Agreement:
    """The agreement in force today: the case's dates are relative to today, and a
    status report covers only its agreement's period."""
    today = timezone.localdate()
    current = [a for a in agreements if a.starts <= today <= a.ends]
    if current:
        return min(current, key=lambda a: a.ends - a.starts)
    return max(agreements, key=lambda a: a.ends)


@dataclass
class _Case:
    """What the steps of the demo case share."""

    group: CollaborationGroup
    by: Any
    problem: Problem
    areas: list[Area]
    categories: list[Category]
    orgs: dict[str, Organisation]
    parties: list[Organisation]
    today: datetime.date


def _case(group, by, agreement: Agreement) -> Problem | None:
    if Problem.objects.filter(group=group, title=DEMO_CASE).exists():
        return None
    flemingsberg = list(Area.objects.filter(municipality_id="0126", name="Flemingsberg"))
    categories = list(
        Category.objects.filter(
            collaboration_group__isnull=True, slug__in=["klotter", "skadegorelse"]
        )
    )
    if not flemingsberg or not categories:
        return None
    orgs = {o.slug: o for o in Organisation.objects.filter(groups=group)}
    parties = [
        orgs[s]
        for s in ("huddinge-kommun", "lpo-huddinge", "huge-bostader", "sodertorn-bevakning")
        if s in orgs
    ]
    priority = agreement.priority_areas.filter(name="trygghet i offentlig miljö").first()
    problem = services.problem_create(
        by=by,
        group=group,
        title=DEMO_CASE,
        description=GENERATED + " Ett exempel på hur ett ärende bearbetas genom Brås steg.",
        agreement=agreement,
        priority_area=priority,
        areas=flemingsberg,
        categories=categories,
        is_demo=True,
    )
    case = _Case(group, by, problem, flemingsberg, categories, orgs, parties, timezone.localdate())
    _initiation(case)
    _mappings(case)
    _joint_mapping(case)
    _cause_analysis(case)
    measure = _measure(case)
    _implementation(case, measure)
    _evaluation(case, measure)
    for step in Step:
        services.problem_step_complete(problem=problem, by=by, step=step)
    return problem


def _initiation(case: _Case) -> None:
    """Step 1."""
    services.problem_step_save(
        problem=case.problem,
        by=case.by,
        step=Step.INITIATION,
        decided_by="OSG Huddinge (demo)",
        decided_on=case.today - datetime.timedelta(days=330),
        reason=(
            GENERATED + " Parterna ser återkommande skadegörelse och klotter kring "
            "Flemingsbergs centrum och i bostadsområdena, ett av de prioriterade områdena i "
            "samverkansöverenskommelsen (trygghet i offentlig miljö)."
        ),
        parties=case.parties,
    )


def _mappings(case: _Case) -> None:
    """Step 2: each party's own mapping, with its own counts from the demo data."""
    scope = figures.Scope.for_problem(case.problem)
    year_ago = case.today - datetime.timedelta(days=365)
    for org in case.parties:
        own = scope.incidents().filter(organisation=org, occurred_from__date__gte=year_ago).count()
        police = (
            scope.incidents(whole_municipality=True)
            .filter(source="police", occurred_from__date__gte=year_ago)
            .count()
        )
        summary = (
            f"{GENERATED} {org.name} har det senaste året rapporterat {own} händelser av "
            "skadegörelse eller klotter i Flemingsberg i Tryggnav."
        )
        if org.kind == Organisation.Kind.POLICE:
            summary += (
                f" Polisens öppna händelser med typen skadegörelse i Huddinge kommun: {police} "
                "det senaste året (platsen anges oftast bara till kommunen)."
            )
        services.mapping_save(
            problem=case.problem,
            by=case.by,
            organisation=org,
            summary=summary,
            resources=GENERATED + " Egen personal i området; kan bidra till gemensamma insatser.",
            sources="Tryggnavs rapporter och polisens händelser (demo).",
        )


def _joint_mapping(case: _Case) -> None:
    """Step 3: joint picture with the weekly figures attached."""
    scope = figures.Scope.for_problem(case.problem)
    weekly = services.snapshot_take(
        problem=case.problem, by=case.by, step=Step.JOINT_MAPPING, kind=FigureSnapshot.Kind.WEEKLY
    )
    in_area = sum(row["antal"] for row in weekly.data)
    whole = sum(row["hela_kommunen"] for row in weekly.data)
    recent = sum(row["antal"] for row in weekly.data[-13:])
    before = sum(row["antal"] for row in weekly.data[-26:-13])
    services.problem_step_save(
        problem=case.problem,
        by=case.by,
        step=Step.JOINT_MAPPING,
        joint_summary=(
            f"{GENERATED} Under perioden {scope.since}–{scope.until} räknades {in_area} "
            f"händelser av skadegörelse och klotter i Flemingsberg, av {whole} i hela kommunen. "
            f"De senaste 13 veckorna: {recent}; de 13 veckorna dessförinnan: {before} "
            "(en jämförelse av två korta perioder, inte en signifikant förändring)."
        ),
        prioritised="Klotter och skadegörelse i Flemingsbergs centrum och bostadsområden.",
        left_out=(
            "Bilbränder och narkotikahandel prioriteras bort i detta ärende: de hanteras inom "
            "andra prioriterade områden där andra parter har resurserna."
        ),
    )


def _peak_text(pattern: FigureSnapshot) -> str:
    """The busiest hour and the evening's share, from a weekday × hour snapshot."""
    if not pattern.data:
        return ""
    matrix = np.array([row["antal"] for row in pattern.data]).reshape(7, 24)
    evening = matrix[:, 18:24].sum() / max(matrix.sum(), 1e-9)
    day, hour = np.unravel_index(int(matrix.argmax()), matrix.shape)
    # Stored demo text, always Swedish.
    return (
        f" Flest händelser väntas {figures.WEEKDAYS[day]} kl. {hour}–{hour + 1}; "
        f"{100 * evening:.0f} % av händelserna infaller kl. 18–24."
    )


def _cause_analysis(case: _Case) -> None:
    """Step 4: cause analysis with the time pattern and the concentration by area."""
    pattern = services.snapshot_take(
        problem=case.problem,
        by=case.by,
        step=Step.CAUSE_ANALYSIS,
        kind=FigureSnapshot.Kind.WEEKDAY_HOUR,
    )
    services.snapshot_take(
        problem=case.problem, by=case.by, step=Step.CAUSE_ANALYSIS, kind=FigureSnapshot.Kind.AREAS
    )
    services.problem_step_save(
        problem=case.problem,
        by=case.by,
        step=Step.CAUSE_ANALYSIS,
        cause_place=GENERATED + " Gångstråk och entréer med dålig belysning och lite insyn.",
        cause_time=GENERATED + _peak_text(pattern),
        cause_offenders=GENERATED + " Främst grupper av unga, enligt parternas iakttagelser.",
        cause_victims=GENERATED + " Fastigheter, soprum och allmänna ytor; boende blir otrygga.",
        cause_guardians=GENERATED + " Få vuxna i rörelse kvällstid; sanering dröjer ibland veckor.",
        cause_summary=(
            GENERATED + " Klotter som står kvar lockar till mer (broken windows); kvällstid "
            "saknas kapabla väktare på platsen."
        ),
    )


def _measure(case: _Case) -> Measure:
    """Step 5: an incident indicator and a SMART measure."""
    baseline_date = _quarter_start(case.today - datetime.timedelta(days=200))
    indicator = services.indicator_create(
        by=case.by,
        group=case.group,
        is_demo=True,
        name="Skadegörelse och klotter i Flemingsberg per kvartal",
        kind=Indicator.Kind.INCIDENT,
        interval=Indicator.Interval.QUARTER,
        starts=_quarter_start(case.today - datetime.timedelta(days=730)),
        areas=case.areas,
        categories=case.categories,
        unit="antal händelser",
        source="Tryggnavs rapporter och polisens händelser (demo)",
    )
    points = [p for p in indicators.series(indicator, today=case.today) if p.end <= baseline_date]
    baseline = points[-1].value if points else 0.0
    measure = services.measure_create(
        problem=case.problem,
        by=case.by,
        agreed_by=case.parties,
        areas=case.areas,
        title="Sanering inom 24 timmar och kvällsrond (demo)",
        specific="Minska skadegörelse och klotter i Flemingsbergs centrum och bostadsområden.",
        place="Flemingsbergs centrum",
        indicator=indicator,
        baseline_value=baseline,
        baseline_date=baseline_date,
        target_value=round(baseline * 0.8, 1) if baseline else 1.0,
        deadline=baseline_date + datetime.timedelta(days=365),
        resources=GENERATED
        + " Fastighetsskötare hos Huge Bostäder; väktarrond 3 kvällar i veckan.",
        responsible=case.orgs.get("huge-bostader") or case.parties[0],
        prevention_type=PreventionType.SITUATIONAL,
        perspective_children="Skolvägar och lekplatser saneras först.",
        perspective_gender="Kvinnors otrygghet kvällstid vägs in i rondens tider.",
        perspective_disability="Sanering och belysning får inte hindra framkomligheten.",
        perspective_hbtq="Hatklotter prioriteras och polisanmäls.",
        perspective_elderly="Entréer till seniorboenden ingår i ronden.",
    )
    services.measure_status_update(measure=measure, by=case.by, status=measure.Status.ONGOING)
    return measure


def _implementation(case: _Case, measure: Measure) -> None:
    """Step 6: the implementation log, and an obstacle raised to the central level."""
    for title, org_slug, hours, output in [
        (
            "Klottersanering inom 24 timmar",
            "huge-bostader",
            310,
            "Sanerade ytor rapporteras i Tryggnav.",
        ),
        ("Väktarrond kvällstid", "sodertorn-bevakning", 420, "Tre kvällar i veckan, kl. 18–24."),
    ]:
        services.activity_create(
            by=case.by,
            group=case.group,
            is_demo=True,
            title=f"{title} (demo)",
            measure=measure,
            responsible=case.orgs.get(org_slug),
            areas=case.areas,
            starts=measure.baseline_date,
            prevention_type=PreventionType.SITUATIONAL,
            hours=hours,
            outputs=GENERATED + " " + output,
        )
    services.escalation_create(
        problem=case.problem,
        by=case.by,
        step=Step.IMPLEMENTATION,
        obstacle=(
            GENERATED + " Klotter på fastigheter som inte ägs av parterna kan inte saneras "
            "inom 24 timmar utan avtal med fastighetsägarna."
        ),
        raised_to="Central nivå (kommunstyrelsen)",
    )


def _evaluation(case: _Case, measure: Measure) -> None:
    """Step 7: follow-up against comparison areas."""
    comparison = list(
        Area.objects.filter(
            municipality_id="0126",
            name__in=["Stuvsta-Snättringe", "Sjödalen-Fullersta", "Trångsund"],
        )
    )
    services.evaluation_create(
        measure=measure,
        by=case.by,
        evaluated_on=case.today,
        comparison_areas=comparison,
        conclusion=(
            GENERATED + " Åtgärden är ett demofall och har inte genomförts på riktigt; siffrorna "
            "är räknade från demodata. Bedömningen följer statistikmodulens formulering ovan."
        ),
    )


def load() -> list[str]:
    group = CollaborationGroup.objects.filter(slug=GROUP).first()
    by = get_user_model().objects.filter(email=ACTOR).first()
    if group is None or by is None:
        return ["Styrning: demogruppen saknas, hoppar över."]
    agreements = _agreements(group, by)
    activities = _activities(group, by)
    _indicators(group, by)
    with transaction.atomic():
        problem = _case(group, by, _in_force(agreements))
    return [
        f"Styrning (demo): {len(agreements)} överenskommelser, {activities} nya aktiviteter, "
        + (
            "demofallet genom sju steg skapat."
            if problem
            else "demofallet fanns redan eller saknar data."
        )
    ]
