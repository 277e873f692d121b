"""Templates versioned when in use; an inspection answered, signed (failed items become
routed deficiencies with EXIF-free photos) and locked after sign-off; all audited."""

from __future__ import annotations

import datetime

import pytest
from PIL import Image

from tests.checks import factories as f
from tests.inspections.factories import jpeg_with_exif
from tryggnav.audit.models import AuditEntry
from tryggnav.inspections import checks_services as services
from tryggnav.inspections.checks_models import ChecklistTemplate, Inspection
from tryggnav.inspections.models import Deficiency, RoutingRule
from tryggnav.lib.errors import Conflict, InputError

NEW_QUESTION = {"text": "Är dörrlarmet på?", "answer_kind": "janej", "expected_yes": True,
                "min_value": None, "max_value": None, "category": "brandskydd", "severity": 3}  # fmt: skip


def test_builtin_templates_exist_once_and_cannot_be_changed(world):
    first = services.templates_builtin()
    assert services.templates_builtin() == first
    assert {t.kind for t in first} == {"trygghet", "sba"}
    texts = [q.text for q in f.sba().questions.all()]
    assert any("nödutgångar" in t.lower() for t in texts)
    with pytest.raises(InputError):
        services.template_revise(by=world.user("admin"), template=f.sba(), add=NEW_QUESTION)


def test_an_unused_template_changes_in_place(world):
    copy = services.template_copy(by=world.user("admin"), template=f.sba(), municipality_id="0180")
    n = copy.questions.count()
    same = services.template_revise(by=world.user("admin"), template=copy, add=NEW_QUESTION)
    assert same.pk == copy.pk and same.version == 1 and same.questions.count() == n + 1


def test_a_template_in_use_is_versioned_and_past_inspections_keep_their_questions(world):
    admin = world.user("admin")
    copy = services.template_copy(
        by=admin, template=f.sba(), municipality_id="0180", name="SBA egen"
    )
    obj = f.premises(world, template=copy)
    inspection = f.inspection(world, obj)
    before = list(copy.questions.values_list("pk", flat=True))
    removed = before[0]
    v2 = services.template_revise(by=admin, template=copy, remove=removed)
    assert (v2.version, v2.family) == (2, copy.family) and v2.pk != copy.pk
    copy.refresh_from_db()
    assert copy.superseded and list(copy.questions.values_list("pk", flat=True)) == before
    assert v2.questions.count() == len(before) - 1
    assert obj.schedules.get().template == v2
    inspection.refresh_from_db()
    assert inspection.template == copy
    # The superseded version refuses further changes.
    with pytest.raises(InputError):
        services.template_revise(by=admin, template=copy, add=NEW_QUESTION)
    assert AuditEntry.objects.filter(object_id=str(v2.public_id), note="revise").exists()


def test_retire(world):
    copy = services.template_copy(by=world.user("admin"), template=f.sba(), municipality_id="0180")
    services.template_retire(by=world.user("admin"), template=copy)
    assert ChecklistTemplate.objects.get(pk=copy.pk).retired is not None


def test_start_is_once_per_period(world):
    first = f.inspection(world, today=datetime.date(2026, 2, 10))
    assert (first.period_start, first.due) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 3, 31),
    )
    assert f.inspection(world, today=datetime.date(2026, 3, 31)).pk == first.pk
    second = f.inspection(world, today=datetime.date(2026, 4, 1))
    assert second.pk != first.pk and second.due == datetime.date(2026, 6, 30)


def test_sign_needs_every_answer(world):
    inspection = f.inspection(world)
    with pytest.raises(InputError):
        services.inspection_sign(by=world.user("reporter"), inspection=inspection)
    assert Inspection.objects.get(pk=inspection.pk).state == "utkast"


def test_failed_items_become_routed_deficiencies_and_the_signed_check_is_locked(world):
    RoutingRule.objects.create(municipality_id="0180", category="brandskydd", owner=world.lead)
    inspection = f.answer_all(world, f.inspection(world), failed=2)
    first_question = inspection.template.questions.first()
    services.inspection_save(by=world.user("reporter"), inspection=inspection, replies={
        first_question.pk: services.Reply(answer="nej", note="Kilad dörr.", photo=jpeg_with_exif())
    })  # fmt: skip
    signed = services.inspection_sign(by=world.user("reporter"), inspection=inspection)
    assert signed.state == "signerad"
    found = Deficiency.objects.filter(source="checklista").order_by("pk")
    assert found.count() == 2
    d = found.first()
    assert (d.category, d.severity, d.owner, d.routed_by) == ("brandskydd", 4, world.lead, "rule")
    assert (
        d.title == first_question.text and d.lat is not None and "Vällingbyskolan" in d.place_name
    )
    with Image.open(d.photo.open("rb")) as image:
        assert not image.getexif()
    assert signed.answers.filter(deficiency__isnull=False).count() == 2
    # Locked: neither new answers nor a second signing.
    with pytest.raises(Conflict):
        services.inspection_save(by=world.user("reporter"), inspection=signed, replies={
            first_question.pk: services.Reply(answer="ja")})  # fmt: skip
    with pytest.raises(Conflict):
        services.inspection_sign(by=world.user("reporter"), inspection=signed)
    assert Deficiency.objects.filter(source="checklista").count() == 2
    assert signed.answers.get(question=first_question).answer == "nej"
    assert AuditEntry.objects.filter(object_id=str(signed.public_id), note="sign").exists()


def test_without_a_rule_the_deficiency_goes_to_the_unit(world):
    inspection = f.answer_all(world, f.inspection(world), failed=1)
    services.inspection_sign(by=world.user("reporter"), inspection=inspection)
    d = Deficiency.objects.get(source="checklista")
    assert (d.owner, d.routed_by) == (world.partner, "hand")


def test_a_value_question(world):
    copy = services.template_copy(by=world.user("admin"), template=f.sba(), municipality_id="0180")
    q = copy.questions.create(text="Temperatur i serverrummet", answer_kind="varde",
                              max_value=27, category="brandskydd", severity=2, order=99)  # fmt: skip
    assert q.passes(answer="", value=25.5) is True
    assert q.passes(answer="", value=30) is False
    assert q.passes(answer="", value=None) is None
    assert q.passes(answer="ej", value=None) is True
