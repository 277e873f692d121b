"""The generated citizens' reports in Huddinge: some public, one waiting, no mail."""

from __future__ import annotations

from django.core import mail

from tryggnav.demo import foundation
from tryggnav.demo import inspections as demo_deficiencies
from tryggnav.demo import inspections_citizen as demo
from tryggnav.inspections import citizen
from tryggnav.inspections.models_citizen import CitizenReport, Moderation


def test_demo_citizen_reports(db, django_capture_on_commit_callbacks):
    foundation.load()
    demo_deficiencies.load()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        demo.load()
    reports = CitizenReport.objects.filter(municipality_id="0126")
    assert reports.count() == len(demo.REPORTS) and all(r.is_demo for r in reports)
    states = sorted(reports.values_list("moderation", flat=True))
    assert states.count(Moderation.PENDING) == 1 and Moderation.REJECTED in states
    public = citizen.public_reports("0126")
    assert public.count() == 4
    assert public.filter(deficiency__status="atgardad").count() == 1
    assert mail.outbox == []
    assert demo.load() == ["Medborgarrapporter (demo): fanns redan."]
