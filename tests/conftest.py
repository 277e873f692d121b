"""Shared test set-up: the real geography loaded once per test database, and personas.

Personas (STYLE.md): a coordinator and an admin of the group's lead organisation,
a reporter in a partner organisation, a reader, an outsider (admin of an
organisation outside the group) and anonymous. Tests reach them through
``world``, e.g. ``world.client("reader").get(url)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import translation

from tryggnav.areas import locator
from tryggnav.areas.models import Area
from tryggnav.incidents.taxonomy import taxonomy_ensure
from tryggnav.organisations.models import (
    CollaborationGroup,
    GroupMembership,
    Membership,
    Organisation,
    Role,
)

pytest_plugins = ["tests.browser_fixtures", "tests.oidc_fixtures"]

PASSWORD = "correct-horse-battery-staple-42"
PERSONAS = ("anonymous", "outsider", "reader", "reporter", "coordinator", "admin")


@pytest.fixture(autouse=True)
def _empty_local_cache():
    """Every test starts with an empty per-process cache (the tile server, the maps and
    the lägesbild's parts kept per process), as a new worker does."""
    from django.core.cache import caches

    caches["local"].clear()


@pytest.fixture(autouse=True)
def _swedish():
    """Every test starts in Swedish: a request in English (LocaleMiddleware) leaves
    English active in the thread, which would leak into the next test on the worker."""
    translation.activate("sv")
    yield
    translation.deactivate()


def load_reference_data() -> None:
    """Counties, municipalities, Stockholm's 117 stadsdelar, the default categories and
    the cache table: what every test expects, loaded again after a test on committed
    data has emptied the tables."""
    from tryggnav.areas.services import areas_import, geography_load
    from tryggnav.demo.foundation import DATA_DIR

    geography_load()
    areas_import(
        path=DATA_DIR / "stockholm_stadsdelar.geojson",
        municipality_code="0180",
        kind=Area.Kind.STADSDEL,
        name_field="name",
        name_case="capitalize",
    )
    taxonomy_ensure()  # the default categories and police-type mappings
    call_command("createcachetable", verbosity=0)
    locator.reset_cache()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The reference data, once per test database."""
    with django_db_blocker.unblock():
        load_reference_data()
    locator.reset_cache()


@pytest.fixture
def pg_race(django_db_blocker):
    """For a race test (tests/races.py): skips on SQLite; after the transactional test
    has emptied the tables, puts back the reference data the other tests rely on.
    Ask for it before ``transactional_db`` so that it is torn down after it."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "Races need PostgreSQL (row locks, one connection per thread); SQLite serialises "
            "writes. Run with DATABASE_URL=postgres://…"
        )
    yield
    with django_db_blocker.unblock():
        load_reference_data()


@dataclass
class World:
    group: CollaborationGroup
    lead: Organisation
    partner: Organisation
    other: Organisation
    other_group: CollaborationGroup
    users: dict = field(default_factory=dict)
    _clients: dict = field(default_factory=dict)

    def user(self, persona: str):
        return self.users.get(persona)

    def client(self, persona: str) -> Client:
        if persona not in self._clients:
            client = Client()
            if persona != "anonymous":
                client.force_login(self.users[persona])
            self._clients[persona] = client
        return self._clients[persona]

    def fresh_client(self, persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.force_login(self.users[persona])
        return client


def make_user(email: str, first: str = "Test", last: str = "Person"):
    return get_user_model().objects.create_user(
        username=email, email=email, password=PASSWORD, first_name=first, last_name=last
    )


@pytest.fixture
def world(db) -> World:
    return make_world()


def make_world() -> World:
    """The personas and their organisations and groups (also for module-scoped fixtures)."""
    lead = Organisation.objects.create(
        name="Västerorts stadsdelsförvaltning",
        slug="sdf",
        kind=Organisation.Kind.MUNICIPALITY,
        municipality_id="0180",
    )
    partner = Organisation.objects.create(
        name="Testbostäder AB",
        slug="testbostader",
        kind=Organisation.Kind.HOUSING,
        municipality_id="0180",
    )
    other = Organisation.objects.create(
        name="Annan kommun",
        slug="annan-kommun",
        kind=Organisation.Kind.MUNICIPALITY,
        municipality_id="0126",
    )
    group = CollaborationGroup.objects.create(
        name="EST Test", slug="est-test", municipality_id="0180", lead_organisation=lead
    )
    GroupMembership.objects.create(group=group, organisation=lead)
    GroupMembership.objects.create(group=group, organisation=partner)
    group.areas.set(Area.objects.filter(municipality_id="0180", name__in=["Vällingby", "Vinsta"]))
    other_group = CollaborationGroup.objects.create(
        name="OSG Annan", slug="osg-annan", municipality_id="0126", lead_organisation=other
    )
    GroupMembership.objects.create(group=other_group, organisation=other)

    users = {
        "admin": make_user("admin@sdf.example", "Alma", "Admin"),
        "coordinator": make_user("coordinator@sdf.example", "Cecilia", "Samordnare"),
        "reader": make_user("reader@sdf.example", "Rasmus", "Läsare"),
        "reporter": make_user("reporter@testbostader.example", "Rut", "Rapportör"),
        "outsider": make_user("outsider@annan.example", "Otto", "Utomstående"),
    }
    Membership.objects.create(user=users["admin"], organisation=lead, role=Role.ADMIN)
    Membership.objects.create(user=users["coordinator"], organisation=lead, role=Role.COORDINATOR)
    Membership.objects.create(user=users["reader"], organisation=lead, role=Role.READER)
    Membership.objects.create(user=users["reporter"], organisation=partner, role=Role.REPORTER)
    Membership.objects.create(user=users["outsider"], organisation=other, role=Role.ADMIN)
    return World(
        group=group,
        lead=lead,
        partner=partner,
        other=other,
        other_group=other_group,
        users=users,
    )
