"""A municipality sets up its inspected objects on the web: edit an object, add a
schedule, stop one (its checks stay, the overview no longer counts it), each audited;
bad input is a message naming the field; a double submit adds one schedule."""

from __future__ import annotations

import datetime

from django.urls import reverse

from tests.checks import factories as f
from tryggnav.audit.models import AuditEntry
from tryggnav.inspections import checklists, checks_overview
from tryggnav.inspections.checks_models import CheckSchedule, InspectedObject
from tryggnav.organisations.idempotency import KEY_FIELD

TODAY = datetime.date(2026, 2, 10)


def _edit(world, obj, **changes):
    data = {"name": obj.name, "kind": obj.kind, "address": obj.address, "lat": "", "lon": "",
            "department": world.lead.pk, "unit": world.partner.pk, **changes}  # fmt: skip
    return world.client("coordinator").post(
        reverse("inspections:check_object_edit", args=[obj.public_id]), data
    )


def test_the_coordinator_edits_an_object_and_its_area_follows_the_point(world):
    obj = f.premises(world)
    assert obj.area is not None
    response = _edit(world, obj, name="Vällingbyskolan hus B", address="Kirunagatan 2")
    assert response.status_code == 302 and response.url == obj.get_absolute_url()
    obj.refresh_from_db()
    assert (obj.name, obj.address, obj.lat, obj.area) == (
        "Vällingbyskolan hus B", "Kirunagatan 2", None, None,
    )  # fmt: skip
    entry = AuditEntry.objects.filter(object_id=str(obj.public_id), action="update").get()
    assert entry.changes["name"] == ["Vällingbyskolan", "Vällingbyskolan hus B"]
    assert obj.schedules.get().active  # the schedule is left as it was


def test_half_a_point_is_a_message_on_the_field_and_nothing_changes(world):
    obj = f.premises(world)
    response = _edit(world, obj, name="Nytt namn", lat="59.36")
    assert response.status_code == 400
    assert "Ange både latitud och longitud" in response.content.decode()
    assert InspectedObject.objects.get(pk=obj.pk).name == "Vällingbyskolan"
    response = _edit(world, obj, name="")
    assert response.status_code == 400 and "Detta fält måste fyllas i" in response.content.decode()


def test_a_new_schedule_is_due_and_a_stopped_one_is_not_counted(world):
    obj = f.premises(world)
    client = world.client("coordinator")
    url = reverse("inspections:check_schedule_create", args=[obj.public_id])
    form = client.get(url).context["form"]
    data = {"template": f.sba().pk, "interval_months": 1, "anchor": "2026-01-01",
            KEY_FIELD: form[KEY_FIELD].value()}  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # sent twice: one schedule
    assert obj.schedules.filter(interval_months=1).count() == 1
    quarter = checklists.quarter_bounds(2026, 1)
    rows = checks_overview.overview(municipality_id="0180", quarter=quarter, today=TODAY)
    assert sum(rows[0].counts.values()) == 2  # the quarterly and the monthly schedule
    quarterly = obj.schedules.get(interval_months=3)
    stop = reverse("inspections:check_schedule_stop", args=[obj.public_id, quarterly.pk])
    assert client.post(stop).status_code == 302
    rows = checks_overview.overview(municipality_id="0180", quarter=quarter, today=TODAY)
    assert sum(rows[0].counts.values()) == 1
    assert AuditEntry.objects.filter(object_type="inspections.checkschedule",
                                     object_id=str(quarterly.pk), note="stop").count() == 1  # fmt: skip
    # Stopped twice: the second says by whom and when, and writes nothing.
    page = client.post(stop, follow=True).content.decode()
    assert "Schemat är redan avslutat av" in page
    assert AuditEntry.objects.filter(note="stop").count() == 1
    assert not CheckSchedule.objects.get(pk=quarterly.pk).active


def test_the_object_page_offers_editing_to_the_municipality_only(world):
    obj = f.premises(world)
    edit = reverse("inspections:check_object_edit", args=[obj.public_id])
    assert edit in world.client("coordinator").get(obj.get_absolute_url()).content.decode()
    # The unit's reporter performs the checks but does not manage the object.
    assert edit not in world.client("reporter").get(obj.get_absolute_url()).content.decode()
    assert world.client("reporter").get(edit).status_code == 403
