"""Demo step: the weekly rollup, and generated weekly meetings of the two demo groups.

Meetings for the three weeks before the last completed week, each with actions
decided from that week's lägesbild (its alerts, else its largest counts), a focus
area for the next week, and follow-up of earlier actions (some done, some still
open, so the carry-over and the overdue marking have something to show). The last
completed week's meeting is left for the demo coordinator to run.

Everything is flagged ``is_generated`` and labelled "Genererad" in the UI.
Idempotent: a week that already has a meeting is left alone.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from tryggnav.areas.models import Area
from tryggnav.incidents import counts
from tryggnav.incidents.models import Category, Incident
from tryggnav.incidents.scope import Scope
from tryggnav.incidents.weeks import IsoWeek
from tryggnav.lagesbild import services
from tryggnav.lagesbild.models import Action, Focus, Meeting
from tryggnav.lagesbild.picture import compile_lagesbild
from tryggnav.organisations.models import CollaborationGroup, Organisation

GROUPS = ["osg-huddinge", "est-hasselby-vallingby"]
MEETINGS = 3
ACTIONS_PER_MEETING = 2
K = Organisation.Kind
# Who can take each kind of action, in order of preference: police presence is the
# police's, fire-safety checks the fire service's, sanitation the property owners'.
OWNERS = {
    "brott": (K.POLICE,),
    "narkotika": (K.POLICE,),
    "trafik": (K.POLICE,),
    "ordningsstorning": (K.MUNICIPALITY, K.COMMITTEE, K.SECURITY),
    "skadegorelse": (K.HOUSING, K.PROPERTY_OWNER, K.MUNICIPALITY),
    "brand": (K.FIRE_RESCUE,),
    "otrygg-plats": (K.MUNICIPALITY, K.HOUSING),
    "miljo": (K.HOUSING, K.MUNICIPALITY),
    "ovrigt": (K.MUNICIPALITY,),
}
WHAT = {
    "brott": "Riktad polisiär närvaro: {category} i {area}",
    "ordningsstorning": "Fältarbetare och trygghetsvärdar kvällstid i {area}",
    "skadegorelse": "Snabb sanering och ökad tillsyn: {category} i {area}",
    "brand": "Brandskyddskontroll av soprum och källare i {area}",
    "narkotika": "Samordnad insats mot {category} i {area}",
    "otrygg-plats": "Åtgärda belysning och buskage: {area}",
    "miljo": "Extra städning och tömning i {area}",
    "trafik": "Trafikkontroll i {area}",
    "ovrigt": "Följ upp {category} i {area}",
}


def _responsible(group: CollaborationGroup, category_group: str, turn: int) -> Organisation:
    """A member whose kind fits the action (the first fitting kind present), else the
    group's lead organisation."""
    members = list(group.organisations.order_by("name"))
    for kind in OWNERS.get(category_group, OWNERS["ovrigt"]):
        fitting = [o for o in members if o.kind == kind]
        if fitting:
            return fitting[turn % len(fitting)]
    return group.lead_organisation


def _generate_meeting(group: CollaborationGroup, week: IsoWeek, turn: int) -> tuple[int, int]:
    meeting, created = services.meeting_get_or_create(
        group=group, week=week, by=None, is_generated=True
    )
    if not created:
        return 0, 0
    # Follow up what earlier meetings decided: the oldest open action is done.
    closed = 0
    for action in services.open_actions_before(meeting)[:1]:
        services.action_update(
            action=action,
            by=None,
            status=Action.Status.DONE,
            meeting=meeting,
            outcome="Genomfört (genererat demoexempel).",
        )
        closed += 1
    picture = compile_lagesbild(scope=Scope.for_group(group), week=week, with_coverage=False)
    rows = picture.alerts or sorted(
        (r for r in picture.rows if r.area_id), key=lambda r: (-r.count, r.area_name)
    )
    made = 0
    for i, row in enumerate(rows[:ACTIONS_PER_MEETING]):
        template = WHAT.get(row.category_group, WHAT["ovrigt"])
        services.action_create(
            meeting=meeting,
            by=None,
            what=template.format(category=row.category_name.lower(), area=row.area_name),
            organisation=_responsible(group, row.category_group, turn + i),
            due=week.sunday + datetime.timedelta(days=7 + 7 * i),
            area=None if not row.area_id else group.areas.filter(pk=row.area_id).first(),
        )
        made += 1
    if rows:
        top = rows[0]
        services.focus_create(
            meeting=meeting,
            by=None,
            kind=Focus.Kind.AREA,
            description=f"{top.area_name}: {top.category_name.lower()}",
            area=group.areas.filter(pk=top.area_id).first() if top.area_id else None,
        )
    meeting.status = Meeting.Status.HELD
    meeting.attendees = ", ".join(o.name for o in group.organisations.order_by("name")[:5])
    meeting.notes = "Genererat demomöte: beslut och åtgärder är exempel, inte verkliga."
    meeting.save()
    return made, closed


# A generated cluster in the last completed week, so that the demo lägesbild has an
# alert and a hot-spot to discuss: reviewed graffiti reports around Vällingby torg.
CLUSTER_GROUP = "est-hasselby-vallingby"
CLUSTER_AREA = "Vällingby"
CLUSTER_CATEGORY = "klotter"
CLUSTER_CENTRE = (17.8717, 59.3632)  # lon, lat of Vällingby torg
CLUSTER_SIZE = 16


def _cluster(last: IsoWeek) -> int:
    """Reports of the demo cluster for ``last``; idempotent through their external ids."""

    group = CollaborationGroup.objects.filter(slug=CLUSTER_GROUP).first()
    category = Category.objects.filter(
        slug=CLUSTER_CATEGORY, collaboration_group__isnull=True
    ).first()
    area = Area.objects.filter(municipality_id="0180", name=CLUSTER_AREA).first()
    reporter = group.organisations.exclude(pk=group.lead_organisation_id).first() if group else None
    if not (group and category and area and reporter):
        return 0
    prefix = f"demo-lagesbild-{last}-"
    if Incident.objects.filter(external_id__startswith=prefix).exists():
        return 0
    rng = random.Random(str(last))
    made = []
    for i in range(CLUSTER_SIZE):
        day = last.monday + datetime.timedelta(days=rng.randrange(7))
        when = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(rng.choice([19, 21, 22, 23, 1])))
        )
        lon, lat = CLUSTER_CENTRE
        made.append(
            Incident(
                category=category,
                occurred_from=when,
                occurred_to=when + datetime.timedelta(hours=rng.choice([0, 2, 8])) or None,
                reported_at=when + datetime.timedelta(hours=10),
                lat=lat + rng.uniform(-0.0015, 0.0015),
                lon=lon + rng.uniform(-0.003, 0.003),
                precision=Incident.Precision.EXACT,
                area=area,
                municipality_id="0180",
                county_id="01",
                organisation=reporter,
                group=group,
                sharing=Incident.Sharing.GROUP,
                source=Incident.Source.FORM,
                status=Incident.Status.REVIEWED,
                reviewed_at=when + datetime.timedelta(days=1),
                external_id=f"{prefix}{i}",
                is_generated=True,
                text="Nytt klotter vid torget (genererat demoexempel).",
                text_masked="Nytt klotter vid torget (genererat demoexempel).",
            )
        )
    with counts.tracking(*made):
        created = Incident.objects.bulk_create(made)
    return len(created)


def load() -> list[str]:
    cells = counts.rebuild()
    lines = [f"Veckosammanställning för lägesbilden: {cells} celler."]
    cluster = _cluster(IsoWeek.last_completed())
    if cluster:
        lines.append(
            f"Genererat kluster av klotter vid Vällingby torg (demo): {cluster} rapporter."
        )
    groups = list(CollaborationGroup.objects.filter(slug__in=GROUPS).order_by("slug"))
    last = IsoWeek.last_completed()
    for group in groups:
        made = closed = 0
        with transaction.atomic():
            for back in range(MEETINGS, 0, -1):
                a, c = _generate_meeting(group, last.shift(-back), turn=back)
                made, closed = made + a, closed + c
        lines.append(
            f"{group.name}: genererade veckomöten (demo) med {made} nya åtgärder, "
            f"{closed} avslutade; mötet vecka {last.week} lämnas till samordnaren."
        )
    return lines
