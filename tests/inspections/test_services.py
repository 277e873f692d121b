"""Deficiencies through their services: routing, due dates, the status flow, the audit
log, refusals of stale changes, answer links and the owners' polygons."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core import mail
from django.utils import timezone
from PIL import Image

from tests.inspections import factories as f
from tryggnav.audit.models import AuditEntry
from tryggnav.inspections import reminders, services
from tryggnav.inspections.models import Deficiency, RoutingRule, ServiceLevel, Status
from tryggnav.lib.errors import Conflict, InputError


def _create(world, **kw):
    data = {
        "by": world.user("coordinator"),
        "municipality_id": "0180",
        "category": "klotter",
        "severity": 2,
        "title": "Klotter",
        "source": "manuell",
        "lat": f.LAT,
        "lon": f.LON,
    }
    return services.deficiency_create(**{**data, **kw})  # fmt: skip


def _audit(d):
    return list(AuditEntry.objects.filter(object_type="inspections.deficiency",
                                          object_id=str(d.public_id)).order_by("pk"))  # fmt: skip


def test_routing_prefers_the_specific_rule_and_finds_the_area(world):
    d0 = _create(world)
    assert d0.owner is None and d0.routed_by == ""
    assert d0.area is not None and d0.area.name == "Vällingby"
    RoutingRule.objects.create(municipality_id="0180", category="", area=None, owner=world.lead)
    RoutingRule.objects.create(municipality_id="0180", category="klotter", area=d0.area,
                               owner=world.partner)  # fmt: skip
    assert _create(world).owner == world.partner
    assert _create(world, category="belysning").owner == world.lead
    assert _create(world, lat=59.33, lon=18.07).owner == world.lead  # elsewhere in Stockholm


def test_an_owner_polygon_wins_over_the_rules(world):
    RoutingRule.objects.create(municipality_id="0180", category="", area=None, owner=world.lead)
    ring = [[17.86, 59.36], [17.88, 59.36], [17.88, 59.37], [17.86, 59.37], [17.86, 59.36]]
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"namn": "Kvarteret"},
         "geometry": {"type": "Polygon", "coordinates": [ring]}}]}  # fmt: skip
    n = services.polygons_import(by=world.user("admin"), municipality_id="0180",
                                 owner=world.partner, data=json.dumps(doc).encode(),
                                 filename="x.geojson")  # fmt: skip
    assert n == 1
    inside = _create(world)
    outside = _create(world, lat=59.33, lon=18.07)
    assert (inside.owner, inside.routed_by) == (world.partner, "polygon")
    assert (outside.owner, outside.routed_by) == (world.lead, "rule")


def test_bad_polygons_are_refused_naming_the_feature_and_nothing_is_written(world):
    bowtie = [[17.86, 59.36], [17.88, 59.37], [17.88, 59.36], [17.86, 59.37], [17.86, 59.36]]
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [17.8, 59.3]}},
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [bowtie]}}]}  # fmt: skip
    with pytest.raises(InputError) as caught:
        services.polygons_import(by=world.user("admin"), municipality_id="0180",
                                 owner=world.partner, data=json.dumps(doc).encode(),
                                 filename="agare.geojson")  # fmt: skip
    assert [(p.row, p.file) for p in caught.value.problems] == [(1, "agare.geojson"),
                                                                 (2, "agare.geojson")]  # fmt: skip
    with pytest.raises(InputError):
        services.polygons_import(by=None, municipality_id="0180", owner=world.partner,
                                 data=b"\xff not json", filename="b.geojson")  # fmt: skip
    assert not world.partner.deficiencies.exists()


def test_due_date_from_the_service_level_else_the_default(world):
    today = timezone.localdate()
    assert _create(world, severity=3).due == today + datetime.timedelta(days=7)
    services.service_level_set(by=world.user("admin"), municipality_id="0180",
                               category="klotter", severity=3, days=2)  # fmt: skip
    assert _create(world, severity=3).due == today + datetime.timedelta(days=2)
    assert ServiceLevel.objects.get().days == 2
    with pytest.raises(InputError):
        services.service_level_set(by=None, municipality_id="0180", category="klotter",
                                   severity=3, days=0)  # fmt: skip


def test_the_flow_to_verified_is_audited_step_by_step(world):
    d = f.deficiency(world, Status.VERIFIED, title="Hela vägen")
    assert d.status == Status.VERIFIED
    notes = [e.note for e in _audit(d)]
    assert notes == ["", "receive", "fix", "verify"]
    fix = _audit(d)[2]
    assert fix.changes["status"] == ["mottagen", "atgardad"]
    assert fix.actor_name.startswith("Rut Rapportör")


def test_fix_needs_proof_and_strips_the_photo_metadata(world):
    d = f.deficiency(world, Status.RECEIVED)
    with pytest.raises(InputError) as caught:
        services.deficiency_fix(deficiency=d, by=world.user("reporter"), note="  ")
    assert caught.value.problems[0].field == "note"
    d = services.deficiency_fix(deficiency=d, by=world.user("reporter"), photo=f.jpeg_with_exif())
    assert d.status == Status.FIXED
    with Image.open(d.fix_photo.open("rb")) as image:
        assert not image.getexif()


def test_a_change_on_a_stale_page_is_refused_naming_who(world):
    d = f.deficiency(world)
    services.deficiency_receive(deficiency=d, by=world.user("reporter"), seen="ny")
    with pytest.raises(Conflict) as caught:
        services.deficiency_decline(deficiency=d, by=world.user("reporter"), reason="x",
                                    seen="ny")  # fmt: skip
    assert "Rut Rapportör" in caught.value.problems[0].sv
    with pytest.raises(Conflict):
        services.deficiency_verify(deficiency=d, by=world.user("coordinator"))
    assert Deficiency.objects.get(pk=d.pk).status == Status.RECEIVED


def test_not_ours_goes_back_and_rerouting_skips_the_one_who_declined(world):
    RoutingRule.objects.create(municipality_id="0180", category="", area=None, owner=world.partner)
    d = _create(world)
    assert d.owner == world.partner
    d = services.deficiency_decline(deficiency=d, by=world.user("reporter"), reason="Ej vår mark")
    assert (d.status, d.owner) == (Status.NOT_OURS, None)
    d = services.deficiency_reroute(deficiency=d, by=world.user("coordinator"))
    assert (d.status, d.owner) == (Status.NEW, None)
    d = services.deficiency_route(deficiency=d, by=world.user("coordinator"), owner=world.lead)
    assert (d.owner, d.routed_by) == (world.lead, "hand")
    assert _audit(d)[-1].changes["owner"] == [None, world.lead.pk]


def test_reopen_sets_a_new_due_date_and_overdue_is_counted(world):
    d = f.deficiency(world, Status.VERIFIED)
    Deficiency.objects.filter(pk=d.pk).update(due=datetime.date(2020, 1, 1))
    d = services.deficiency_reopen(deficiency=d, by=world.user("coordinator"), reason="Trasig igen")
    assert d.status == Status.RECEIVED and d.due > timezone.localdate()
    services.deficiency_set_due(deficiency=d, by=world.user("coordinator"),
                                due=datetime.date(2020, 1, 1))  # fmt: skip
    assert list(Deficiency.objects.overdue()) == [d]
    assert _audit(d)[-1].changes["due"][1] == "2020-01-01"


def test_the_owner_is_mailed_and_a_link_opens_one_deficiency_until_revoked(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        d = f.deficiency(world)
    assert mail.outbox[-1].to == ["reporter@testbostader.example"]
    assert d.get_absolute_url() in mail.outbox[-1].body
    with django_capture_on_commit_callbacks(execute=True):
        row, token = services.token_create(deficiency=d, by=world.user("coordinator"),
                                           email="x@y.se")  # fmt: skip
    assert mail.outbox[-1].to == ["x@y.se"] and token in mail.outbox[-1].body
    assert services.token_find(token) == row
    assert row.digest != token and token not in str(row.__dict__)
    services.token_revoke(token=row, by=world.user("coordinator"))
    assert services.token_find(token) is None
    row2, token2 = services.token_create(deficiency=d, by=None, email="x@y.se", days=0)
    assert services.token_find(token2) is None  # expired at once


def test_a_deficiency_needs_a_whole_point(world):
    with pytest.raises(InputError):
        _create(world, lon=None)


def test_reminders_before_due_once_and_weekly_after(world):
    d = f.deficiency(world)  # due in 30 days (medium)
    other = f.deficiency(world, title="Annan", severity=1)
    due = d.due
    assert reminders.reminders_send(today=due - datetime.timedelta(days=10)) == 0
    assert reminders.reminders_send(today=due - datetime.timedelta(days=2)) == 1
    assert "Trasig lampa" in mail.outbox[-1].body and "Annan" not in mail.outbox[-1].body
    assert mail.outbox[-1].to == ["reporter@testbostader.example"]
    assert reminders.reminders_send(today=due - datetime.timedelta(days=1)) == 0  # once before
    assert reminders.reminders_send(today=due) == 1  # overdue: again
    assert "försenad" in mail.outbox[-1].body
    assert reminders.reminders_send(today=due + datetime.timedelta(days=3)) == 0
    assert reminders.reminders_send(today=due + datetime.timedelta(days=7)) == 1
    services.deficiency_fix(deficiency=d, by=world.user("reporter"), note="Klar")
    assert reminders.reminders_send(today=due + datetime.timedelta(days=14)) == 0
    assert Deficiency.objects.get(pk=other.pk).reminded is None
