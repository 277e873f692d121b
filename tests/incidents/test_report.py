"""The report form: point, place, window, photo, personal data warning, duplicates."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.incidents.conftest import VALLINGBY, VINSTA, report
from tryggnav.areas.models import Place
from tryggnav.audit.models import AuditEntry
from tryggnav.incidents.models import Incident

pytestmark = pytest.mark.django_db


def _data(world, categories, **extra):
    data = {
        "group": world.group.slug,
        "category": str(categories["klotter"].pk),
        "when": "now",
        "lat": str(VALLINGBY[0]),
        "lon": str(VALLINGBY[1]),
        "precision": "exact",
        "text": "Nytt klotter på garageporten",
        "sharing": "group",
    }
    data.update(extra)
    return data


def test_report_page_lists_categories_grouped(world, categories):
    response = world.client("reporter").get(reverse("incidents:report"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Skadegörelse/klotter" in body and f'value="{categories["klotter"].pk}"' in body
    assert "Använd min position" in body and 'data-pick-lat="id_lat"' in body


def test_report_with_point_assigns_area_municipality_and_audit(world, categories):
    response = world.client("reporter").post(reverse("incidents:report"), _data(world, categories))
    assert response.status_code == 302
    incident = Incident.objects.get(text="Nytt klotter på garageporten")
    assert response["Location"] == incident.get_absolute_url()
    assert incident.area.name == "Vällingby"
    assert incident.municipality_id == "0180" and incident.county_id == "01"
    assert incident.organisation == world.partner and incident.reported_by == world.user("reporter")
    assert incident.status == "submitted" and incident.source == "form"
    assert incident.precision == "exact" and incident.occurred_to is None
    assert AuditEntry.objects.filter(
        action="create", object_id=str(incident.public_id), organisation_id=world.partner.pk
    ).exists()


def test_report_with_named_place_only(world, categories):
    place = Place(municipality_id="0180", name="Vinsta torg", kind=Place.Kind.SQUARE)
    place.set_geometry({"type": "Point", "coordinates": [VINSTA[1], VINSTA[0]]})
    place.save()
    data = _data(world, categories, lat="", lon="", place=str(place.public_id))
    response = world.client("reporter").post(reverse("incidents:report"), data)
    assert response.status_code == 302
    incident = Incident.objects.get(place=place)
    assert incident.area.name == "Vinsta"
    assert incident.precision == "street"
    assert (incident.lat, incident.lon) == (place.lat, place.lon)


def test_report_with_area_only_has_no_point(world, categories):
    area = world.group.areas.get(name="Vinsta")
    data = _data(world, categories, lat="", lon="", area=str(area.pk))
    assert world.client("reporter").post(reverse("incidents:report"), data).status_code == 302
    incident = Incident.objects.get(text="Nytt klotter på garageporten")
    assert incident.area == area and incident.lat is None and incident.precision == "district"


def test_report_with_time_window(world, categories):
    data = _data(
        world,
        categories,
        when="earlier",
        occurred_from="2026-01-10T22:00",
        occurred_to="2026-01-11T06:30",
    )
    assert world.client("reporter").post(reverse("incidents:report"), data).status_code == 302
    incident = Incident.objects.get(text="Nytt klotter på garageporten")
    assert incident.is_window
    assert (incident.occurred_to - incident.occurred_from).total_seconds() == 8.5 * 3600


def test_reversed_window_and_missing_location_are_refused(world, categories):
    client = world.client("reporter")
    data = _data(
        world,
        categories,
        when="earlier",
        occurred_from="2026-01-11T06:30",
        occurred_to="2026-01-10T22:00",
    )
    response = client.post(reverse("incidents:report"), data)
    assert response.status_code == 200
    assert "före dess början" in response.content.decode()
    response = client.post(reverse("incidents:report"), _data(world, categories, lat="", lon=""))
    assert response.status_code == 200
    assert "Välj var det hände" in response.content.decode()
    assert not Incident.objects.exists()


def test_personal_data_warning_before_saving(world, categories):
    client = world.client("reporter")
    text = "Bilen ABC 123 stod där, ägaren nås på 070-123 45 67"
    response = client.post(reverse("incidents:report"), _data(world, categories, text=text))
    assert response.status_code == 200
    body = response.content.decode()
    assert "personuppgifter" in body and "[regnummer]" in body and "[telefon]" in body
    assert not Incident.objects.exists()
    data = _data(world, categories, text=text, confirm_personal_data="on")
    assert client.post(reverse("incidents:report"), data).status_code == 302
    incident = Incident.objects.get()
    assert incident.has_personal_data
    assert incident.text == text
    assert incident.text_masked == "Bilen [regnummer] stod där, ägaren nås på [telefon]"


def test_a_named_person_is_warned_about_and_masked_for_partners(world, categories):
    client = world.client("reporter")
    text = "Kalle Andersson klottrade på garaget"
    response = client.post(reverse("incidents:report"), _data(world, categories, text=text))
    assert response.status_code == 200
    body = response.content.decode()
    assert "personnamn" in body and "[namn] klottrade" in body
    assert not Incident.objects.exists()
    data = _data(world, categories, text=text, confirm_personal_data="on")
    assert client.post(reverse("incidents:report"), data).status_code == 302
    incident = Incident.objects.get()
    assert incident.text_masked == "[namn] klottrade på garaget"
    assert incident.has_personal_data


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (2400, 1200), "blue")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {2: (59.0, 21.0, 47.0), 1: "N"}  # GPS IFD
    buffer = BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_photo_is_reencoded_without_exif_and_resized(world, categories):
    raw = _jpeg_with_exif()
    assert Image.open(BytesIO(raw)).getexif()
    data = _data(world, categories)
    data["photo"] = SimpleUploadedFile("IMG_1.jpg", raw, content_type="image/jpeg")
    assert world.client("reporter").post(reverse("incidents:report"), data).status_code == 302
    photo = Incident.objects.get().photos.get()
    with photo.image.open("rb") as fh:
        stored = Image.open(BytesIO(fh.read()))
        assert stored.format == "JPEG"
        assert max(stored.size) == 1600
        assert not stored.getexif()
        assert "exif" not in stored.info


def test_non_image_photo_is_refused_with_message(world, categories):
    data = _data(world, categories)
    data["photo"] = SimpleUploadedFile("virus.jpg", b"not an image", content_type="image/jpeg")
    response = world.client("reporter").post(reverse("incidents:report"), data)
    assert response.status_code == 200
    assert "ingen bild" in response.content.decode()
    assert not Incident.objects.exists()


def test_reporting_into_another_group_is_404(world, categories):
    data = _data(world, categories, group=world.other_group.slug)
    assert world.client("reporter").post(reverse("incidents:report"), data).status_code == 404
    assert not Incident.objects.exists()


def test_duplicate_suggestions_same_category_250m_24h(world, categories):
    near = report(world, text="Klotter nära", hours_ago=3)
    report(world, text="Klotter långt bort", point=VINSTA, hours_ago=3)  # ~1.5 km away
    report(world, text="Klotter för länge sedan", hours_ago=40)
    report(world, text="Brand nära", category=categories["anlagd-brand"], hours_ago=2)
    other = report(
        world,
        text="Klotter annan grupp",
        organisation=world.other,
        persona="outsider",
        group=world.other_group,
        hours_ago=2,
    )
    # ~100 m north of Vällingby torg.
    response = world.client("reporter").post(
        reverse("incidents:check"),
        {
            "category": categories["klotter"].pk,
            "lat": VALLINGBY[0] + 0.0009,
            "lon": VALLINGBY[1],
            "when": "now",
            "text": "klotter igen",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert near.get_absolute_url() in body
    assert body.count("<li>") == 1
    assert other.get_absolute_url() not in body


def test_check_warns_about_personal_data(world, categories):
    response = world.client("reporter").post(
        reverse("incidents:check"), {"text": "pnr 811218-9876"}
    )
    assert "personuppgifter" in response.content.decode()
    assert "[personnummer]" in response.content.decode()
