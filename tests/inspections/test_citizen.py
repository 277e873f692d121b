"""The citizen channel: the public form (screening, honeypot, photo limits, counting per
address and e-mail), moderation, the reporter's status page, the public map and the
nightly follow-up (mail when fixed, the e-mail erased after the case closed)."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from tests.inspections import factories as f
from tryggnav.audit.models import AuditEntry
from tryggnav.inspections import citizen, citizen_map, services
from tryggnav.inspections.models import Deficiency
from tryggnav.inspections.models_citizen import CitizenReport, CitizenThrottle, Moderation
from tryggnav.lib.errors import Conflict, InputError

FORM = reverse("inspections:citizen_report", args=["0180"])


def _data(**kw):
    data = {"category": "belysning", "text": "Lampan vid gångtunneln är trasig.",
            "lat": f.LAT, "lon": f.LON, "email": "", "webbplats": ""}  # fmt: skip
    data.update(kw)
    return data


def _post(data, address="192.0.2.10", client=None):
    return (client or Client()).post(FORM, data, REMOTE_ADDR=address)


def _submit(world, address="192.0.2.20", email="", **kw):
    values = {"municipality_id": "0180", "category": "belysning", "text": "Mörkt vid stigen",
              "lat": f.LAT, "lon": f.LON, "address": address, "email": email, **kw}  # fmt: skip
    return citizen.report_submit(**values)


def _approve(world, submitted, title="Trasig lampa vid stigen"):
    return citizen.report_moderate(report=submitted.report, by=world.user("coordinator"),
                                   approve=True, public_title=title, public_text="Lampan är släckt.")  # fmt: skip


def test_form_is_public_and_sets_no_cookie_but_csrf(world):
    client = Client()
    response = client.get(FORM)
    assert response.status_code == 200
    assert set(response.cookies) <= {"csrftoken"}
    response = _post(_data(), client=client)
    assert response.status_code == 302
    assert set(response.cookies) <= {"csrftoken"}
    report = CitizenReport.objects.get()
    assert report.moderation == Moderation.PENDING and report.deficiency is None
    assert response["Location"].startswith(reverse("inspections:citizen_status", args=["x"])[:-2])
    # Only the token's digest is stored; the page answers to the token.
    token = response["Location"].split("/")[-2]
    assert report.token_digest == citizen.digest(token) and token not in report.token_digest
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Väntar på granskning" in page.content.decode()
    assert page["Referrer-Policy"] == "no-referrer"


def test_form_for_a_municipality_without_an_organisation_is_404(world):
    assert Client().get(reverse("inspections:citizen_report", args=["0114"])).status_code == 404


def test_personal_data_warns_then_is_stored_masked(world):
    text = "Han som bor där, ring 070-123 45 67, slänger skräp."
    response = _post(_data(text=text))
    assert response.status_code == 400
    assert "telefonnummer" in response.content.decode()
    assert not CitizenReport.objects.exists()
    response = _post(_data(text=text, confirm_personal_data="on"))
    assert response.status_code == 302
    stored = CitizenReport.objects.get().text
    assert "070" not in stored and "[telefon]" in stored


def test_honeypot_filled_is_refused(world):
    response = _post(_data(webbplats="http://spam.example"))
    assert response.status_code == 400
    assert not CitizenReport.objects.exists()


def _image(kind: str, size=(40, 30)) -> SimpleUploadedFile:
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    Image.new("RGB", size, "red").save(
        out, format=kind, **({"exif": exif} if kind == "JPEG" else {})
    )
    return SimpleUploadedFile(f"foto.{kind.lower()}", out.getvalue(), f"image/{kind.lower()}")


def test_photo_is_stored_without_exif(world):
    response = _post(_data(photo=_image("JPEG")))
    assert response.status_code == 302
    report = CitizenReport.objects.get()
    with Image.open(report.photo.open("rb")) as image:
        assert not image.getexif()


def test_photo_of_another_type_is_refused(world):
    response = _post(_data(photo=_image("GIF")))
    assert response.status_code == 400
    assert "JPEG, PNG eller WebP" in response.content.decode()
    assert not CitizenReport.objects.exists()


def test_photo_too_large_is_refused(world, monkeypatch):
    monkeypatch.setattr(citizen, "PHOTO_MAX_BYTES", 100)
    response = _post(_data(photo=_image("PNG", size=(200, 200))))
    assert response.status_code == 400
    assert "för stor" in response.content.decode()


def test_the_eleventh_report_from_one_address_is_refused(world):
    for i in range(10):
        assert _post(_data(text=f"Rapport {i}"), address="198.51.100.7").status_code == 302
    response = _post(_data(text="Rapport 11"), address="198.51.100.7")
    assert response.status_code == 400
    assert "redan skickat 10 rapporter" in response.content.decode()
    assert CitizenReport.objects.count() == 10
    # Another address is not affected.
    assert _post(_data(text="Annan"), address="198.51.100.8").status_code == 302


def test_the_window_starts_over(world, settings):
    settings.CITIZEN_REPORTS_PER_ADDRESS = 1
    _submit(world, address="203.0.113.1")
    with pytest.raises(citizen.TooMany):
        _submit(world, address="203.0.113.1")
    CitizenThrottle.objects.update(window_start=timezone.now() - datetime.timedelta(days=2))
    _submit(world, address="203.0.113.1")
    assert CitizenReport.objects.count() == 2


def test_per_email_limit_across_addresses(world, settings):
    settings.CITIZEN_REPORTS_PER_EMAIL = 2
    for i in range(2):
        _submit(world, address=f"203.0.113.{i}", email="Anna@Example.se")
    with pytest.raises(citizen.TooMany) as refused:
        _submit(world, address="203.0.113.9", email="anna@example.se")
    assert "e-postadress" in refused.value.text()
    # The e-mail is counted by its digest, never in clear.
    assert not CitizenThrottle.objects.filter(key__icontains="anna").exists()


def test_receipt_mail_with_the_status_link(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submitted = _submit(world, email="anna@example.se")
    assert len(mail.outbox) == 1
    assert submitted.token in mail.outbox[0].body


def test_point_outside_the_municipality_is_refused(world):
    with pytest.raises(InputError):
        _submit(world, lat=59.20, lon=17.83)  # Huddinge, not Stockholm


def test_approve_routes_a_citizen_deficiency_and_audits(world):
    submitted = _submit(world)
    report = _approve(world, submitted)
    deficiency = report.deficiency
    assert deficiency.source == "medborgare" and deficiency.title == "Trasig lampa vid stigen"
    assert report.moderation == Moderation.APPROVED and report.moderated_by == world.user(
        "coordinator"
    )
    assert AuditEntry.objects.filter(
        object_type="inspections.citizenreport", note="approve"
    ).exists()
    with pytest.raises(Conflict):
        citizen.report_moderate(report=report, by=world.user("coordinator"), approve=False,
                                reject_reason="Dubblett")  # fmt: skip


def test_reject_goes_no_further(world):
    submitted = _submit(world)
    report = citizen.report_moderate(report=submitted.report, by=world.user("coordinator"),
                                     approve=False, reject_reason="Gäller inte kommunen.")  # fmt: skip
    assert report.moderation == Moderation.REJECTED and not Deficiency.objects.exists()
    assert not citizen.is_open(report)


def test_moderation_page_and_action(world):
    submitted = _submit(world)
    client = world.client("coordinator")
    page = client.get(reverse("inspections:moderation", args=[world.lead.slug]))
    assert page.status_code == 200 and "Mörkt vid stigen" in page.content.decode()
    prefix = str(submitted.report.public_id)
    response = client.post(
        reverse("inspections:moderate", args=[world.lead.slug, submitted.report.public_id]),
        {f"{prefix}-decision": "approve", f"{prefix}-public_title": "Mörk stig",
         f"{prefix}-category": "belysning", f"{prefix}-severity": "2"},
    )  # fmt: skip
    assert response.status_code == 302
    assert CitizenReport.objects.get().deficiency.title == "Mörk stig"


def test_moderation_of_another_municipality_is_404(world):
    submitted = _submit(world)
    client = world.client("outsider")
    url = reverse("inspections:moderate", args=[world.other.slug, submitted.report.public_id])
    response = client.post(url, {f"{submitted.report.public_id}-decision": "reject"})
    assert response.status_code == 404


def test_status_page_follows_the_deficiency(world):
    submitted = _submit(world)
    _approve(world, submitted)
    page = Client().get(reverse("inspections:citizen_status", args=[submitted.token]))
    assert "Trasig lampa vid stigen" in page.content.decode()
    assert Client().get(reverse("inspections:citizen_status", args=["x" * 43])).status_code == 404


def test_public_map_has_moderated_public_fields_only(world):
    approved = _submit(world, email="anna@example.se", text="Ring 070-123 45 67")
    _approve(world, approved)
    _submit(world, text="Väntar fortfarande")
    data = Client().get(reverse("inspections:citizen_map_data", args=["0180"])).json()
    points = [x for x in data["features"] if x["properties"]["layer"] == "deficiency"]
    assert len(points) == 1
    assert set(points[0]["properties"]) == {"layer", "name", "label", "status", "open",
                                            "fillColor", "radius"}  # fmt: skip
    text = json.dumps(data)
    assert "anna@" not in text and "Väntar fortfarande" not in text and "[telefon]" not in text


def _many_public(world, n: int) -> None:
    """n approved reports near Vällingby, written in bulk."""
    d = f.deficiency(world)
    deficiencies = Deficiency.objects.bulk_create(
        Deficiency(municipality_id="0180", category="belysning", title=f"B{i}", source="medborgare",
                   lat=f.LAT + (i % 100) * 1e-4, lon=f.LON + (i // 100) * 1e-4, due=d.due)
        for i in range(n)
    )  # fmt: skip
    CitizenReport.objects.bulk_create(
        CitizenReport(municipality_id="0180", category="belysning", text="x", lat=x.lat, lon=x.lon,
                      token_digest=f"{i:064d}", moderation=Moderation.APPROVED, public_title=x.title,
                      deficiency=x, moderated=timezone.now())
        for i, x in enumerate(deficiencies)
    )  # fmt: skip


def test_public_map_sends_at_most_5000_points_then_clusters(world):
    _many_public(world, 5000)
    url = reverse("inspections:citizen_map_data", args=["0180"])
    data = Client().get(url).json()
    assert not data["clustered"] and data["precise"] == 5000
    extra = Deficiency.objects.create(municipality_id="0180", category="belysning", title="Sista",
                                      source="medborgare", lat=f.LAT, lon=f.LON, due=datetime.date.today())  # fmt: skip
    CitizenReport.objects.create(municipality_id="0180", category="belysning", text="x", lat=f.LAT,
                                 lon=f.LON, token_digest="b" * 64, moderation=Moderation.APPROVED,
                                 public_title="Sista", deficiency=extra)  # fmt: skip
    data = Client().get(url).json()
    assert data["clustered"] and data["precise"] == 5001
    clusters = [x for x in data["features"] if x["properties"]["layer"] == "cluster"]
    assert 0 < len(clusters) <= citizen_map.POINTS_LIMIT
    assert sum(x["properties"]["count"] for x in clusters) == 5001
    # Zoomed in on a small frame: few enough for single points again.
    framed = (
        Client()
        .get(url, {"bbox": f"{f.LON - 1e-5},{f.LAT - 1e-5},{f.LON + 1e-5},{f.LAT + 1e-5}"})
        .json()
    )
    assert not framed["clustered"] and framed["precise"] == 2


def test_followup_mails_when_fixed_and_erases_the_email_later(
    world, settings, django_capture_on_commit_callbacks
):
    submitted = _submit(world, email="anna@example.se")
    report = _approve(world, submitted)
    mail.outbox.clear()
    reporter = world.user("reporter")
    d = services.deficiency_receive(deficiency=report.deficiency, by=reporter)
    services.deficiency_fix(deficiency=d, by=reporter, note="Bytt lampa")
    with django_capture_on_commit_callbacks(execute=True):
        assert citizen.followup() == (1, 0)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["anna@example.se"]
    assert citizen.followup() == (0, 0)  # told once
    later = timezone.now() + datetime.timedelta(days=settings.CITIZEN_EMAIL_DAYS + 1)
    assert citizen.followup(now=later) == (0, 1)
    assert CitizenReport.objects.get().email == ""


def test_open_case_keeps_the_email(world, settings):
    _submit(world, email="anna@example.se")
    later = timezone.now() + datetime.timedelta(days=365)
    assert citizen.followup(now=later) == (0, 0)
    assert CitizenReport.objects.get().email == "anna@example.se"


def test_followup_command_runs_nightly(world, settings):
    from django.core.management import call_command

    from tryggnav.background.schedule import scheduled_jobs

    assert "citizen_followup" in [job.name for job in scheduled_jobs()]
    out = io.StringIO()
    call_command("citizen_followup", stdout=out)
    assert "erased: 0" in out.getvalue()
