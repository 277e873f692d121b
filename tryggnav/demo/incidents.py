"""Demo step: generated partner reports for the two demo collaboration groups.

Two years of weekly reporting up to last week, from the demo partner
organisations of OSG Huddinge and EST Hässelby-Vällingby, with realistic rhythms:
more in evenings and at weekends, fires and fireworks around New Year, graffiti
in spring, disorder in summer. Points are drawn inside the groups' areas.
Some organisations skip weeks, so the coverage page has something to say; a few
reports are still waiting for review, some are rejected or merged, and a couple
carry personal data to show the masking.

Everything is generated: flagged ``is_generated`` and labelled "Genererad (demo)".
Deterministic: each organisation-week has its own seed, and each report an
external id ``demo-<organisation>-<year>W<week>-<n>``, so a second run adds nothing
and a run a week later adds only the new week.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
import shapely
from django.contrib.auth import get_user_model
from django.utils import timezone
from shapely.geometry import shape

from tryggnav.areas import locator
from tryggnav.areas.models import Area, Municipality
from tryggnav.incidents import counts
from tryggnav.incidents.models import Category, Incident
from tryggnav.lib.screening import screen
from tryggnav.organisations.models import CollaborationGroup, GroupMembership, Membership

WEEKS = 104


@dataclass(frozen=True)
class Reporter:
    organisation: str
    per_week: float
    skip_share: float  # share of weeks without any report
    categories: tuple[str, ...]


HOUSING = (
    "klotter",
    "skadegorelse",
    "nedskrapning",
    "trasig-belysning",
    "inbrott-forrad-kallare",
    "brand-soprum",
    "otrygg-plats",
    "ungdomsgrupp-stor",
    "trasigt-las",
    "overgivet-fordon",
)
SECURITY = (
    "ungdomsgrupp-stor",
    "brak",
    "narkotikaforsaljning",
    "olaga-intrang",
    "skadegorelse",
    "berusning",
    "klotter",
    "hot",
    "fyrverkerier",
)
FIRE = ("anlagd-brand", "brand-soprum", "bilbrand", "brand", "fyrverkerier")
POLICE = (
    "narkotikaforsaljning",
    "misshandel",
    "ran",
    "inbrott",
    "stold",
    "brak",
    "vapen",
    "narkotikabrott",
)
YOUTH = ("ungdomsgrupp-stor", "brak", "skadegorelse", "klotter", "otrygg-plats", "langning")
MUNICIPALITY = ("otrygg-plats", "trasig-belysning", "nedskrapning", "klotter", "skymd-sikt")

REPORTERS = {
    "osg-huddinge": [
        Reporter("huge-bostader", 6.0, 0.04, HOUSING),
        Reporter("sodertorn-bevakning", 5.0, 0.15, SECURITY),
        Reporter("sbff", 1.6, 0.10, FIRE),
        Reporter("huddinge-kultur-fritid", 1.5, 0.25, YOUTH),
        Reporter("lpo-huddinge", 3.0, 0.05, POLICE),
        Reporter("huddinge-kommun", 1.0, 0.30, MUNICIPALITY),
        Reporter("huddinge-socialforvaltningen", 0.8, 0.45, YOUTH),
        Reporter("huddinge-samhallsfastigheter", 1.2, 0.20, HOUSING),
    ],
    "est-hasselby-vallingby": [
        Reporter("vasterort-bostader", 5.0, 0.05, HOUSING),
        Reporter("vasterort-bevakning", 4.0, 0.12, SECURITY),
        Reporter("lpo-vasterort", 2.5, 0.08, POLICE),
        Reporter("hasselby-vallingby-sdf", 1.2, 0.20, MUNICIPALITY),
    ],
}

TEXTS = {
    "brott": [
        "Anmält till polisen.",
        "Vittne såg två personer springa därifrån.",
        "Händelsen skedde vid entrén.",
        "",
    ],
    "ordningsstorning": [
        "Grupp om 10–15 ungdomar, högljudda, skräp kvar.",
        "Störande beteende vid busshållplatsen under kvällen.",
        "Smällare kastades mot fasaden.",
        "Berusade personer i trapphuset.",
    ],
    "skadegorelse": [
        "Nytt klotter på fasaden mot gångvägen.",
        "Krossad ruta i porten.",
        "Tags i tvättstugan, sanerat dagen efter.",
        "Sönderslagen belysning.",
    ],
    "brand": [
        "Brand i soprum, släckt av räddningstjänsten.",
        "Brinnande papperskorg.",
        "Bilbrand på parkeringen, misstänkt anlagd.",
        "Rök från källarförråd.",
    ],
    "narkotika": [
        "Misstänkt försäljning vid cykelstället kvällstid.",
        "Hittade kanyler i buskaget.",
        "Lukt av cannabis i trapphuset.",
    ],
    "otrygg-plats": [
        "Mörk gångtunnel, flera lampor trasiga.",
        "Buskage skymmer sikten vid stigen.",
        "Boende upplever platsen som otrygg efter mörkrets inbrott.",
    ],
    "miljo": [
        "Grovsopor dumpade vid miljöstugan.",
        "Mycket skräp efter helgen.",
        "Övergiven cykel utan hjul.",
    ],
    "trafik": ["Mopeder kör på gångvägen.", ""],
    "ovrigt": ["Se bifogad beskrivning.", ""],
}
# Texts that fit the category itself; TEXTS per category group are the fallback. The
# random draw still picks an index among the group's texts (so the demo's random stream,
# and with it every generated time and place, stays the same) and maps it onto these.
CATEGORY_TEXTS = {
    "ungdomsgrupp-stor": [
        "Grupp om 10–15 ungdomar, högljudda, skräp kvar.",
        "Stor grupp ungdomar vid busshållplatsen under kvällen.",
    ],
    "brak": ["Bråk mellan två personer utanför entrén.", "Högljutt bråk i trapphuset."],
    "berusning": ["Berusade personer i trapphuset.", "Berusad person sov i porten."],
    "fyrverkerier": ["Smällare kastades mot fasaden.", "Raketer sköts mot balkongerna."],
    "hot": ["Hyresgäst hotades i tvättstugan.", "Väktare hotades vid ingripande."],
    "olaga-intrang": ["Obehöriga i källarförrådet.", "Uppbruten dörr till vinden."],
    "klotter": [
        "Nytt klotter på fasaden mot gångvägen.",
        "Tags i tvättstugan, sanerat dagen efter.",
    ],
    "skadegorelse": ["Krossad ruta i porten.", "Sönderslagen belysning i entrén."],
    "brand-soprum": ["Brand i soprum, släckt av räddningstjänsten.", "Rök från soprummet."],
    "anlagd-brand": ["Brinnande papperskorg.", "Anlagd brand i barnvagnsrummet."],
    "bilbrand": ["Bilbrand på parkeringen, misstänkt anlagd.", "Brand i moped vid cykelstället."],
    "brand": ["Rök från källarförråd.", "Brand i buskage vid gångvägen."],
    "narkotikaforsaljning": [
        "Misstänkt försäljning vid cykelstället kvällstid.",
        "Misstänkt langning av narkotika vid skolgården.",
    ],
    "narkotikabrott": ["Lukt av cannabis i trapphuset.", "Hittade kanyler i buskaget."],
    "langning": ["Misstänkt langning av alkohol till unga vid centrum."],
    "trasig-belysning": [
        "Mörk gångtunnel, flera lampor trasiga.",
        "Gatlyktan vid stigen är släckt.",
    ],
    "skymd-sikt": ["Buskage skymmer sikten vid stigen.", "Häcken skymmer övergångsstället."],
    "otrygg-plats": [
        "Boende upplever platsen som otrygg efter mörkrets inbrott.",
        "Otrygg passage mellan garagen.",
    ],
    "trasigt-las": ["Låset till porten går inte att stänga.", "Trasigt lås till cykelrummet."],
    "overgivet-fordon": ["Övergiven bil utan registreringsskyltar.", "Övergiven cykel utan hjul."],
    "nedskrapning": ["Grovsopor dumpade vid miljöstugan.", "Mycket skräp efter helgen."],
}

# A few texts with personal data, to show the screening and masking.
PERSONAL_TEXTS = [
    "Bil med reg ABC 123 stod parkerad på gången hela natten.",
    "Boende ringde från 070-123 45 67 och berättade om stenkastning.",
    "Mejl från kalle.karlsson@example.se om klotter i garaget.",
]
# Weights for the hour of day (0–23): quiet nights and mornings, peaks in the evening.
HOUR_WEIGHTS = np.array(
    [
        3,
        2,
        1.5,
        1,
        0.6,
        0.5,
        0.7,
        1,
        1.5,
        2,
        2,
        2.2,
        2.5,
        2.7,
        3,
        3.5,
        4.5,
        5.5,
        6.5,
        7,
        7,
        6.5,
        5.5,
        4.5,
    ]
)
# Monday .. Sunday: more on Friday and Saturday evenings.
DAY_WEIGHTS = np.array([1.0, 0.95, 1.0, 1.05, 1.35, 1.5, 1.15])


def _text(category, index: int) -> str:
    """A text that fits the category: its own texts, else its group's (by ``index``)."""
    options = CATEGORY_TEXTS.get(category.slug) or TEXTS.get(category.group, [""])
    return options[index % len(options)]


def _season(category_group: str, day: date) -> float:
    """Seasonal multiplier: fires and fireworks around New Year, graffiti in spring."""
    new_year = (day.month == 12 and day.day >= 20) or (day.month == 1 and day.day <= 6)
    if category_group == "brand":
        return 3.0 if new_year else (1.3 if day.month in (4, 5) else 1.0)
    if category_group == "skadegorelse":
        return 1.7 if day.month in (3, 4, 5) else (0.7 if day.month in (12, 1, 2) else 1.0)
    if category_group == "ordningsstorning":
        return 2.5 if new_year else (1.5 if day.month in (6, 7, 8) else 1.0)
    if category_group == "miljo":
        return 1.5 if day.month in (4, 5, 9) else 0.9
    return 1.0


def _seed(*parts: object) -> int:
    return zlib.crc32("|".join(str(p) for p in parts).encode())


class _PointSampler:
    """Random points inside a group's areas (rejection sampling inside the bounding boxes)."""

    def __init__(self, areas: list[Area]):
        self.areas = areas
        self.shapes = [shape(a.geometry) for a in areas]
        for geom in self.shapes:
            shapely.prepare(geom)
        # Bigger areas get more reports, but not proportionally to their size.
        weights = np.sqrt([max(g.area, 1e-9) for g in self.shapes])
        self.weights = weights / weights.sum()

    def sample(self, rng: np.random.Generator) -> tuple[float, float]:
        index = rng.choice(len(self.shapes), p=self.weights)
        geom = self.shapes[index]
        min_x, min_y, max_x, max_y = geom.bounds
        for _ in range(200):
            x, y = rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)
            if geom.contains(shapely.Point(x, y)):
                return round(float(y), 6), round(float(x), 6)
        point = geom.representative_point()
        return point.y, point.x


def _week_incidents(
    *, rng, reporter, group, category_by_slug, sampler, monday, last_monday, user_id, is_recent
):
    """The generated reports of one organisation in one week (unsaved).

    The draws from ``rng`` come in a fixed order (category, time, point, precision,
    status, text, sharing), so the same seed gives the same demo."""
    if rng.random() < reporter.skip_share:
        return []
    categories = [category_by_slug[s] for s in reporter.categories if s in category_by_slug]
    if not categories:
        return []
    # Seasonal weighting of the categories for this week.
    season = np.array([_season(c.group, monday) for c in categories])
    base = rng.poisson(reporter.per_week * float(season.mean()))
    count = max(1, int(base))
    probabilities = season / season.sum()
    year, week, _ = monday.isocalendar()
    out = []
    for n in range(count):
        category = categories[rng.choice(len(categories), p=probabilities)]
        occurred, occurred_to, reported = _draw_times(rng, monday, last_monday)
        lat, lon = sampler.sample(rng)
        precision = _draw_precision(rng)
        status = _draw_status(rng, is_recent)
        text = _draw_text(rng, category)
        screening = screen(text)
        out.append(
            Incident(
                category=category,
                occurred_from=occurred,
                occurred_to=occurred_to,
                reported_at=reported,
                lat=lat if precision != Incident.Precision.DISTRICT else None,
                lon=lon if precision != Incident.Precision.DISTRICT else None,
                precision=precision,
                organisation_id=reporter.organisation_pk,
                reported_by_id=user_id,
                group=group,
                sharing=Incident.Sharing.GROUP
                if rng.random() < 0.93
                else Incident.Sharing.ORGANISATION,
                text=text,
                text_masked=screening.masked,
                has_personal_data=screening.has_personal_data,
                source=Incident.Source.FORM,
                external_id=f"demo-{reporter.organisation}-{year}W{week:02d}-{n}",
                status=status,
                rejection_reason="Dubbelrapporterad eller utanför området (demo)"
                if status == Incident.Status.REJECTED
                else "",
                reviewed_at=reported + timedelta(days=1)
                if status != Incident.Status.SUBMITTED
                else None,
                is_generated=True,
            )
        )
        # Kept for locating the area of district-precision reports; read in _locate.
        out[-1]._point = (lat, lon)  # type: ignore[attr-defined]  # demo-only attribute
    return out


def _draw_times(
    rng: np.random.Generator, monday: date, last_monday: date
) -> tuple[datetime, datetime | None, datetime]:
    """When it happened (a moment, or a night's window) and when it was reported, never
    after the last generated week."""
    tz = timezone.get_current_timezone()
    day = monday + timedelta(days=int(rng.choice(7, p=DAY_WEIGHTS / DAY_WEIGHTS.sum())))
    hour = int(rng.choice(24, p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum()))
    occurred = datetime.combine(day, time(hour, int(rng.integers(0, 60))), tz)
    occurred_to = None
    if rng.random() < 0.15:
        # Found in the morning: happened some time during the night.
        occurred_to = occurred + timedelta(hours=int(rng.integers(2, 11)))
    end = occurred_to or occurred
    reported = end + timedelta(minutes=int(rng.integers(5, 60 * 20)))
    if reported.date() > last_monday + timedelta(days=6):
        reported = datetime.combine(last_monday + timedelta(days=6), time(23, 30), tz)
    return occurred, occurred_to, reported


def _draw_precision(rng: np.random.Generator) -> str:
    roll = rng.random()
    if roll < 0.8:
        return Incident.Precision.EXACT
    if roll < 0.95:
        return Incident.Precision.STREET
    return Incident.Precision.DISTRICT


def _draw_status(rng: np.random.Generator, is_recent: bool) -> str:
    """Most reports are reviewed; recent ones are often still waiting."""
    status_roll = rng.random()
    if is_recent and status_roll < 0.45:
        return Incident.Status.SUBMITTED
    if status_roll > 0.975:
        return Incident.Status.REJECTED
    if status_roll > 0.955:
        return Incident.Status.MERGED
    return Incident.Status.REVIEWED


def _draw_text(rng: np.random.Generator, category: Category) -> str:
    if rng.random() < 0.004:
        return PERSONAL_TEXTS[int(rng.integers(len(PERSONAL_TEXTS)))]
    return _text(category, int(rng.integers(len(TEXTS.get(category.group, [""])))))


@dataclass(frozen=True)
class _BoundReporter:
    organisation: str
    organisation_pk: int
    per_week: float
    skip_share: float
    categories: tuple[str, ...]


def _generate(group: CollaborationGroup, category_by_slug, today: date) -> list[Incident]:
    areas = list(group.areas.all())
    if not areas:
        return []
    sampler = _PointSampler(areas)
    members = {
        m.organisation.slug: m.organisation
        for m in GroupMembership.objects.filter(group=group).select_related("organisation")
    }
    this_monday = today - timedelta(days=today.weekday())
    last_monday = this_monday - timedelta(weeks=1)
    first_monday = this_monday - timedelta(weeks=WEEKS)
    users: dict[int, int] = {}  # organisation pk -> its first demo user's pk
    for membership in Membership.objects.filter(
        organisation__in=members.values(), user__in=get_user_model().objects.all()
    ).order_by("pk"):
        users.setdefault(membership.organisation_id, membership.user_id)
    incidents: list[Incident] = []
    for spec in REPORTERS.get(group.slug, []):
        organisation = members.get(spec.organisation)
        if organisation is None:
            continue
        reporter = _BoundReporter(
            spec.organisation, organisation.pk, spec.per_week, spec.skip_share, spec.categories
        )
        # A longer silence for one organisation (holidays), so coverage has a visible gap.
        gap = range(30, 34) if spec.skip_share >= 0.15 else range(0)
        monday = first_monday
        index = 0
        while monday <= last_monday:
            rng = np.random.default_rng(_seed(group.slug, spec.organisation, monday.isoformat()))
            if index not in gap:
                incidents.extend(
                    _week_incidents(
                        rng=rng,
                        reporter=reporter,
                        group=group,
                        category_by_slug=category_by_slug,
                        sampler=sampler,
                        monday=monday,
                        last_monday=last_monday,
                        user_id=users.get(organisation.pk),
                        is_recent=(last_monday - monday).days < 14,
                    )
                )
            monday += timedelta(weeks=1)
            index += 1
    return incidents


def _locate(incidents: list[Incident]) -> None:
    """Areas and municipalities for all generated reports at once (vectorised)."""
    if not incidents:
        return
    lats = [i._point[0] for i in incidents]  # type: ignore[attr-defined]
    lons = [i._point[1] for i in incidents]  # type: ignore[attr-defined]
    area_ids = locator.locate_areas(lons, lats)
    municipalities = dict(
        Area.objects.filter(pk__in=set(area_ids.tolist())).values_list("pk", "municipality_id")
    )

    counties = dict(Municipality.objects.values_list("code", "county_id"))
    for incident, area_id in zip(incidents, area_ids.tolist(), strict=True):
        if area_id:
            incident.area_id = area_id
            incident.municipality_id = municipalities.get(area_id)
            incident.county_id = (
                counties.get(incident.municipality_id) if incident.municipality_id else None
            )


def _link_merged(created: list[Incident]) -> int:
    """Point each generated merged report to a reviewed one of the same group and category."""
    kept: dict[tuple, Incident] = {}
    updates = []
    for incident in sorted(created, key=lambda i: i.occurred_from):
        key = (incident.group_id, incident.category_id)
        if incident.status == Incident.Status.REVIEWED:
            kept[key] = incident
        elif incident.status == Incident.Status.MERGED and key in kept:
            incident.merged_into = kept[key]
            updates.append(incident)
    Incident.objects.bulk_update(updates, ["merged_into"], batch_size=500)
    return len(updates)


def load() -> list[str]:
    groups = list(CollaborationGroup.objects.filter(slug__in=list(REPORTERS)))
    if not groups:
        return ["Genererade rapporter: demogrupperna saknas, hoppar över."]
    category_by_slug = {
        c.slug: c for c in Category.objects.filter(collaboration_group__isnull=True, active=True)
    }
    if not category_by_slug:
        return ["Genererade rapporter: kategorilistan saknas, hoppar över."]
    today = timezone.localdate()
    # Coverage counts organisations from the day they joined: the demo partners have
    # reported together for the whole period.
    start = today - timedelta(weeks=WEEKS + 1)
    GroupMembership.objects.filter(group__in=groups, joined__gt=start).update(joined=start)

    generated: list[Incident] = []
    for group in groups:
        generated.extend(_generate(group, category_by_slug, today))
    existing = set(
        Incident.objects.filter(
            is_generated=True, source=Incident.Source.FORM, external_id__startswith="demo-"
        ).values_list("organisation_id", "external_id")
    )
    new = [i for i in generated if (i.organisation_id, i.external_id) not in existing]
    _locate(new)
    with counts.tracking(*new):
        created = Incident.objects.bulk_create(new, batch_size=500)
        merged = _link_merged(created)
    return [
        f"Genererade partnerrapporter (demo): {len(created)} nya, "
        f"{len(generated) - len(created)} fanns redan, {merged} sammanslagna."
    ]
