"""Every writer keeps the weekly counts current: random sequences of its operations
through the real service functions and importers, then the incremental counts equal a
full recount (``counts.snapshot() == counts.recount()``). Same tests on SQLite and, with
DATABASE_URL, on PostgreSQL. Each example runs in a savepoint rolled back afterwards.
"""

from __future__ import annotations

import datetime
import gzip
import json
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.incidents.conftest import VALLINGBY, VINSTA, ensure_categories
from tryggnav.areas.models import Area
from tryggnav.incidents import counts, services
from tryggnav.incidents.importers.partner import partner_import
from tryggnav.incidents.importers.police import police_import
from tryggnav.incidents.models import Incident
from tryggnav.lib.errors import InputError

pytestmark = pytest.mark.django_db

settings.register_profile(
    "counts",
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PROFILE = settings.get_profile("counts")

QUIRKS = Path(__file__).parent / "fixtures" / "police_quirks.json"
START = timezone.make_aware(datetime.datetime(2024, 12, 28, 0, 0))
# Minutes over 10 weeks: around new year, so ISO weeks and years change.
MINUTES = st.integers(min_value=0, max_value=60 * 24 * 70)
PICK = st.integers(min_value=0, max_value=1000)
POINTS = st.sampled_from([VALLINGBY, VINSTA, None])


def _in_savepoint(run) -> None:
    """Run one example and undo it, so every example starts from the same database."""
    with transaction.atomic():
        run()
        assert counts.snapshot() == counts.recount()
        transaction.set_rollback(True)


def _pick(items: list, index: int):
    return items[index % len(items)] if items else None


class Reports:
    """The service operations of one example, on the reports it created."""

    def __init__(self, world) -> None:
        self.world = world
        self.categories = list(ensure_categories().values())
        self.areas = list(Area.objects.filter(municipality_id="0180").order_by("pk")[:3])
        self.coordinator = world.users["coordinator"]
        self.live: list[Incident] = []

    def create(self, minutes: int, category: int, point, status: str) -> None:
        incident = services.incident_create(
            organisation=self.world.partner,
            user=self.world.users["reporter"],
            category=_pick(self.categories, category),
            occurred_from=START + datetime.timedelta(minutes=minutes),
            lat=point[0] if point else None,
            lon=point[1] if point else None,
            precision=Incident.Precision.EXACT if point else Incident.Precision.MUNICIPALITY,
            text="Klotter på väggen",
            sharing=Incident.Sharing.GROUP,
            group=self.world.group,
            status=status,
        )
        self.live.append(incident)

    def review(self, which: int, category: int | None, area: int | None, minutes: int | None):
        incident = _pick(self.live, which)
        if incident is None:
            return
        self._refused_if_handled(
            services.incident_review,
            incident=incident,
            by=self.coordinator,
            category=None if category is None else _pick(self.categories, category),
            area=None if area is None else _pick(self.areas, area),
            occurred_from=None if minutes is None else START + datetime.timedelta(minutes=minutes),
        )

    def reject(self, which: int) -> None:
        incident = _pick(self.live, which)
        if incident is not None:
            self._refused_if_handled(
                services.incident_reject, incident=incident, by=self.coordinator, reason="Fel"
            )

    def merge(self, which: int, into: int) -> None:
        incident, kept = _pick(self.live, which), _pick(self.live, into)
        if incident is not None and kept is not None:
            self._refused_if_handled(
                services.incident_merge, incident=incident, into=kept, by=self.coordinator
            )

    def delete(self, which: int) -> None:
        incident = _pick(self.live, which)
        if incident is None:
            return
        try:
            services.incident_delete(incident=incident, by=self.world.users["reporter"])
        except InputError:
            return  # only submitted reports can be withdrawn
        self.live.remove(incident)

    @staticmethod
    def _refused_if_handled(service, **kwargs) -> None:
        try:
            service(**kwargs)
        except InputError:
            pass  # a decision on a report handled already is refused, and writes nothing


CREATE = st.tuples(
    st.just("create"),
    MINUTES,
    PICK,
    POINTS,
    st.sampled_from([Incident.Status.SUBMITTED, Incident.Status.REVIEWED]),
)
REVIEW = st.tuples(st.just("review"), PICK, st.none(), st.none(), st.none())
EDIT = st.tuples(st.just("review"), PICK, st.none() | PICK, st.none() | PICK, st.none() | MINUTES)
REJECT = st.tuples(st.just("reject"), PICK)
MERGE = st.tuples(st.just("merge"), PICK, PICK)
DELETE = st.tuples(st.just("delete"), PICK)

WRITERS = {
    "create": [CREATE],
    "review": [CREATE, REVIEW],
    "reject": [CREATE, REVIEW, REJECT],
    "edit": [CREATE, EDIT],
    "merge": [CREATE, REVIEW, MERGE],
    "delete": [CREATE, REVIEW, DELETE],
    "all": [CREATE, EDIT, REJECT, MERGE, DELETE],
}


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_service_writes_keep_counts_equal_to_a_recount(world, writer):
    @PROFILE
    @given(st.lists(st.one_of(*WRITERS[writer]), min_size=1, max_size=8))
    def run(operations):
        def example():
            reports = Reports(world)
            for name, *args in operations:
                getattr(reports, name)(*args)

        _in_savepoint(example)

    run()


# --- the police feed: new events, and new versions of events already imported ---------

EVENT = st.fixed_dictionaries(
    {
        "template": st.integers(min_value=0, max_value=8),
        "id": st.integers(min_value=0, max_value=5),
        "minutes": MINUTES,
        "type": st.sampled_from(["Skadegörelse", "Brand", "Stöld", "Rån", "Misshandel"]),
        "place": st.sampled_from(["Stockholm", "Sundbyberg", "Upplands väsby"]),
        "summary": st.sampled_from(["Klotter i Vällingby.", "Brand i Vinsta.", "Stöld."]),
    }
)


def _feed(events: list[dict], path: Path) -> Path:
    templates = json.loads(QUIRKS.read_text())
    feed = {}
    for event in events:
        item = dict(templates[event["template"]])
        when = (START + datetime.timedelta(minutes=event["minutes"])).astimezone(
            datetime.timezone(datetime.timedelta(hours=1))
        )
        item.update(
            id=900000 + event["id"],
            datetime=when.strftime("%Y-%m-%d %H:%M:%S +01:00"),
            name=f"{when.day} jan {when:%H:%M}, {event['type']}, {event['place']}",
            summary=event["summary"],
            type=event["type"],
            location={"name": event["place"], "gps": item["location"]["gps"]},
        )
        feed[item["id"]] = item  # one version of an event per file
    path.write_bytes(gzip.compress(json.dumps(list(feed.values())).encode()))
    return path


def test_police_imports_keep_counts_equal_to_a_recount(db, tmp_path):
    @PROFILE
    @given(st.lists(st.lists(EVENT, min_size=1, max_size=6), min_size=1, max_size=3))
    def run(files):
        def example():
            for number, events in enumerate(files):
                police_import(path=_feed(events, tmp_path / f"feed{number}.json.gz"))

        _in_savepoint(example)

    run()


# --- partner files: new rows, changed rows of reports already imported and reviewed --

ROW = st.fixed_dictionaries(
    {
        "id": st.integers(min_value=0, max_value=5),
        "minutes": MINUTES,
        "category": st.sampled_from(["Klotter", "Skadegörelse", "Nedskräpning"]),
        "area": st.sampled_from(["Vällingby", "Vinsta", ""]),
    }
)


def _partner_file(rows: list[dict], path: Path) -> Path:
    lines = {}
    for row in rows:
        when = timezone.localtime(START + datetime.timedelta(minutes=row["minutes"]))
        lines[row["id"]] = (
            f"P{row['id']},{when:%Y-%m-%d %H:%M},{row['category']},Noterat,{row['area']}"
        )
    path.write_text("Id,Datum,Kategori,Beskrivning,Område\n" + "\n".join(lines.values()) + "\n")
    return path


def test_partner_imports_keep_counts_equal_to_a_recount(world, tmp_path):
    coordinator = world.users["coordinator"]

    @PROFILE
    @given(
        st.lists(
            st.tuples(st.lists(ROW, min_size=1, max_size=6), st.lists(PICK, max_size=3)),
            min_size=1,
            max_size=3,
        )
    )
    def run(files):
        def example():
            for number, (rows, reviews) in enumerate(files):
                partner_import(
                    path=_partner_file(rows, tmp_path / f"partner{number}.csv"),
                    organisation=world.partner,
                    group=world.group,
                )
                imported = list(
                    Incident.objects.filter(
                        source=Incident.Source.FILE_IMPORT, status=Incident.Status.SUBMITTED
                    ).order_by("pk")
                )
                for which in reviews:
                    if imported:
                        incident = imported.pop(which % len(imported))
                        services.incident_review(incident=incident, by=coordinator)

        _in_savepoint(example)

    run()
