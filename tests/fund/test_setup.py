"""Starting a fund and its calls from the pages: who may, what is refused, audit."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tests.fund import access_cases as cases
from tests.fund import factories as f
from tryggnav.audit.models import AuditEntry
from tryggnav.fund import services
from tryggnav.fund.forms import parse_criteria
from tryggnav.fund.models import Call, Fund
from tryggnav.lib.errors import InputError

pytestmark = pytest.mark.django_db


def _fields(error: InputError) -> set[str]:
    return {p.field for p in error.problems}


def test_a_coordinator_starts_a_fund_once_per_year(world):
    url = reverse("fund:fund_create", args=[world.lead.slug])
    client = world.client("coordinator")
    data = {"name": "Trygghetsfonden", "year": 2030, "budget": "750000"}
    response = client.post(url, data)
    fund = Fund.objects.get(organisation=world.lead, year=2030)
    assert response.status_code == 302 and response.url == fund.get_absolute_url()
    assert fund.budget == 750_000 and fund.municipality_id == world.lead.municipality_id
    assert AuditEntry.objects.filter(object_id=str(fund.public_id), action="create").exists()
    again = client.post(url, data)
    assert again.status_code == 400
    assert "har redan en fond för 2030" in again.content.decode()
    assert Fund.objects.filter(organisation=world.lead, year=2030).count() == 1


def test_the_index_offers_a_new_fund_only_where_the_user_coordinates(world):
    link = reverse("fund:fund_create", args=[world.lead.slug])
    assert link in world.client("coordinator").get(reverse("fund:index")).content.decode()
    assert link not in world.client("reader").get(reverse("fund:index")).content.decode()


def test_a_call_with_bad_criteria_names_the_line_and_writes_nothing(world):
    fund = f.fund(world)
    data = {**cases._call_form(world), "criteria": "Problemkoppling; 3\nGenomförbarhet; tung"}
    response = world.client("coordinator").post(
        reverse("fund:call_create", args=[fund.public_id]), data
    )
    assert response.status_code == 400
    assert "Rad 2" in response.content.decode()
    assert not Call.objects.filter(title="Utlysning 2").exists()


def test_a_call_keeps_its_criteria_in_order_with_weights(world):
    fund = f.fund(world)
    response = world.client("coordinator").post(
        reverse("fund:call_create", args=[fund.public_id]), cases._call_form(world)
    )
    call = Call.objects.get(title="Utlysning 2")
    assert response.url == call.get_absolute_url()
    assert [(c.name, c.weight) for c in call.criteria.all()] == [
        ("Problemkoppling", 3),
        ("Genomförbarhet", 2),
    ]
    assert call.eligible_kinds == ["kommun", "bostadsbolag"]
    assert call.required_attachments == ["Projektplan"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"eligible_kinds": []}, "eligible_kinds"),
        ({"eligible_kinds": ["rymdbolag"]}, "eligible_kinds"),
        ({"prevention_types": ["punitive"]}, "prevention_types"),
        ({"criteria": []}, "criteria"),
        ({"closes": f.today().replace(year=2000)}, "closes"),
    ],
)
def test_the_call_service_refuses_each_bad_field(world, overrides, field):
    day = f.today()
    fields = {
        "title": "U", "opens": day, "closes": day, "project_starts": day, "project_ends": day,
        "eligible_kinds": ["kommun"], "prevention_types": ["social"],
        "democracy_conditions": "V", "criteria": [("K", 1, "")],
    }  # fmt: skip
    fields.update(overrides)
    with pytest.raises(InputError) as caught:
        services.call_create(fund=f.fund(world), by=world.user("coordinator"), **fields)
    assert field in _fields(caught.value)
    assert not Call.objects.filter(title="U").exists()


def test_parse_criteria_reads_weights_and_optional_descriptions():
    criteria, errors = parse_criteria("A; 3; Beskrivning; med semikolon\n\nB;1\nC; 0\n; 2")
    assert criteria == [("A", 3, "Beskrivning; med semikolon"), ("B", 1, "")]
    assert [e.split(":")[0] for e in errors] == ["Rad 4", "Rad 5"]


def test_a_role_is_added_by_e_mail_and_unknown_addresses_are_refused(world):
    fund = f.fund(world)
    url = reverse("fund:fund_roles", args=[fund.public_id])
    client = world.client("coordinator")
    unknown = client.post(url, {"email": "ingen@example.se", "kind": "assessor"})
    assert unknown.status_code == 400 and not fund.roles.exists()
    client.post(url, {"email": "ADMIN@sdf.example", "kind": "administrator"})
    assert list(fund.roles.values_list("user__email", "kind")) == [
        ("admin@sdf.example", "administrator")
    ]


def test_line_errors_are_english_in_the_english_interface():
    with translation.override("en"):
        _, errors = parse_criteria("A; tung")
    assert errors == ['Line 1: write "criterion; weight" with a weight from 1 to 100.']
