"""The check pages through HTTP: performing and signing, a signed check refusing edits,
bad input as a message, and every page rendering."""

from __future__ import annotations

from tests.checks import factories as f
from tests.inspections.factories import jpeg_with_exif
from tryggnav.inspections.checks_models import Inspection
from tryggnav.inspections.models import Deficiency


def _form(inspection, failed_pk=None):
    data = {f"svar-{q.pk}": "ja" for q in inspection.template.questions.all()}
    if failed_pk:
        data[f"svar-{failed_pk}"] = "nej"
        data[f"anteckning-{failed_pk}"] = "Nödutgången blockerad av pallar."
        data[f"foto-{failed_pk}"] = jpeg_with_exif()
    return data


def test_perform_and_sign_with_one_failed_item(world):
    obj = f.premises(world)
    client = world.client("reporter")
    response = client.post(
        f"/brister/kontroller/objekt/{obj.public_id}/starta/{obj.schedules.get().pk}/"
    )
    inspection = Inspection.objects.get()
    assert response.url == inspection.get_absolute_url()
    assert client.get(response.url).status_code == 200
    failed = inspection.template.questions.first()
    response = client.post(
        f"/brister/kontroller/{inspection.public_id}/signera/", _form(inspection, failed.pk)
    )
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.is_signed
    d = Deficiency.objects.get(source="checklista")
    assert d.description == "Nödutgången blockerad av pallar." and d.photo
    page = client.get(inspection.get_absolute_url())
    assert d.title in page.content.decode()
    # Locked: a later post changes nothing and says why.
    client.post(f"/brister/kontroller/{inspection.public_id}/spara/", {f"svar-{failed.pk}": "ja"})
    assert inspection.answers.get(question=failed).answer == "nej"
    page = client.get(inspection.get_absolute_url())
    assert "redan signerad" in page.content.decode()


def test_bad_value_and_missing_answers_are_messages(world):
    inspection = f.inspection(world)
    client = world.client("reporter")
    q = inspection.template.questions.first()
    q.answer_kind, q.max_value = "varde", 10
    q.save()
    response = client.post(f"/brister/kontroller/{inspection.public_id}/signera/",
                           {f"varde-{q.pk}": "tio"}, follow=True)  # fmt: skip
    assert response.status_code == 200 and "inget tal" in response.content.decode()
    response = client.post(f"/brister/kontroller/{inspection.public_id}/signera/",
                           {f"varde-{q.pk}": "12,5"}, follow=True)  # fmt: skip
    assert "Besvara alla frågor" in response.content.decode()
    answer = inspection.answers.get(question=q)
    assert (answer.value, answer.passed) == (12.5, False)
    assert not Inspection.objects.get(pk=inspection.pk).is_signed


def test_pages_render(world):
    obj = f.premises(world)
    f.inspection(world, obj)
    admin = world.client("admin")
    for url in ["/brister/kontroller/", f"/brister/kontroller/kommun/{world.lead.slug}/mallar/",
                f"/brister/kontroller/kommun/{world.lead.slug}/mallar/{f.sba().public_id}/",
                f"/brister/kontroller/kommun/{world.lead.slug}/objekt/ny/", obj.get_absolute_url(),
                f"/brister/kontroller/kommun/{world.lead.slug}/oversikt/pdf/"]:  # fmt: skip
        assert admin.get(url).status_code == 200, url
    assert (
        "Vällingbyskolan" in world.client("reporter").get("/brister/kontroller/").content.decode()
    )
    assert (
        "Vällingbyskolan"
        not in world.client("outsider").get("/brister/kontroller/").content.decode()
    )
