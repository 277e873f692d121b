"""The four reports generate as Word and PDF with the expected content; the
steering-group report says what changed since the last recorded report."""

from __future__ import annotations

import datetime
import io

import docx
from django.urls import reverse

from tests.programmes import factories as f
from tests.steering import factories as steering
from tryggnav.incidents.models import Category, WeeklyCount
from tryggnav.lagesbild.picture import Scope
from tryggnav.organisations.models import GroupMembership
from tryggnav.programmes import reports
from tryggnav.programmes.models import ReportSnapshot
from tryggnav.steering import services as steering_services
from tryggnav.steering.models import Escalation, Evaluation


def _docx_text(content: bytes) -> tuple[list[str], str]:
    document = docx.Document(io.BytesIO(content))
    headings = [
        p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))
    ]
    text = "\n".join(p.text for p in document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            text += "\n" + " | ".join(cell.text for cell in row.cells)
    return headings, text


def _download(world, url_name: str, args: list, fmt: str, query: str = "") -> bytes:
    response = world.client("reader").get(reverse(url_name, args=[*args, fmt]) + query)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    return response.content


def test_follow_up_report(world):
    follow_up = f.follow_up(world)
    args = [follow_up.public_id]
    assert _download(world, "programmes:follow_up_report", args, "pdf").startswith(b"%PDF")
    headings, text = _download_docx(world, "programmes:follow_up_report", args)
    assert headings[0] == "Trygghetsprogram 2024–2027"
    for heading in (
        "Inledning",
        "Sammanfattning av bedömningarna",
        "1. Brottsförebyggande arbete",
        "Delmål och bedömning",
        "Genomfört arbete under 2025",
        "Trygghetsvandringar",
        "Aktiviteter",
        "Indikatorer",
        "Riktlinjer mot klotter",
        "2. Skydd mot olyckor",
    ):
        assert heading in headings, heading
    assert "Minska skadegörelsen. | Delvis uppfyllt | Minskade i centrum men inte i Vinsta." in text
    assert "Öka den upplevda tryggheten. | Uppfyllt" in text
    assert "Färre bränder. | Ej bedömt | Ingen bedömning registrerad." in text
    assert "Klottersanering i Vällingby" in text
    # The indicator has two values: a table and a chart (a picture in Word).
    assert "2025 | 31" in text
    document = docx.Document(
        io.BytesIO(_download(world, "programmes:follow_up_report", args, "docx"))
    )
    assert len(document.inline_shapes) == 1


def _download_docx(world, url_name: str, args: list, query: str = "") -> tuple[list[str], str]:
    return _docx_text(_download(world, url_name, args, "docx", query))


def _police_counts(category: Category, by_week: dict[datetime.date, int], source="police"):
    for week, n in by_week.items():
        WeeklyCount.objects.create(
            group_id=0,
            municipality_code="0180",
            area_id=0,
            category_id=category.pk,
            source=source,
            precision="municipality",
            police_type="Skadegörelse",
            week=week,
            n=n,
        )


def _partner_count(world, category: Category, n: int, municipality: str = "0180") -> None:
    """Partner reports shared with the group in week 2025-W10."""
    WeeklyCount.objects.create(
        group_id=world.group.pk,
        municipality_code=municipality,
        area_id=0,
        category_id=category.pk,
        source="form",
        precision="exact",
        week=datetime.date(2025, 3, 3),
        n=n,
    )


def _law_report_2025(world):
    """The group's law lägesbild of 2025 and its vandalism row of the extent table."""
    document = reports.lagesbild_report(
        scope=Scope.for_group(world.group),
        period=reports.Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
        user=world.user("reader"),
        today=datetime.date(2026, 2, 1),
    )
    table = next(
        b for b in document.blocks if getattr(b, "caption", "") == "Händelser per kategorigrupp"
    )
    return document, next(r for r in table.rows if r[0] == "Skadegörelse/klotter")


def test_lagesbild_report_counts_tests_and_limits(world):
    category = Category.objects.get(collaboration_group__isnull=True, slug="skadegorelse")
    # The feed starts before the period compared with (2024), so the comparison is made.
    _police_counts(
        category,
        {
            datetime.date(2023, 6, 5): 1,
            datetime.date(2024, 3, 4): 10,
            datetime.date(2025, 3, 3): 40,
        },
    )
    GroupMembership.objects.filter(group=world.group).update(joined=datetime.date(2024, 1, 1))
    query = "?fran=2025-01-01&till=2025-12-31"
    args = [world.group.slug]
    pdf = _download(world, "programmes:lagesbild_report", args, "pdf", query)
    assert pdf.startswith(b"%PDF")
    headings, text = _download_docx(world, "programmes:lagesbild_report", args, query)
    for heading in (
        "Lägesbild enligt lag (2023:196)",
        "Kartläggning av brottsligheten",
        "Omfattning",
        "Annan relevant information",
        "Rapporteringstäckning",
        "Analys och prioriteringar",
        "Källor och begränsningar",
    ):
        assert heading in headings, heading
    assert "Skadegörelse/klotter | 40 | 10 |" in text
    assert "Signifikant fler än perioden före (p < 0,001)" in text
    assert "kommunens eller länets mittpunkt" in text
    assert "Testbostäder AB | ja | 0 / 52 | 0 %" in text


def test_lagesbild_compares_only_police_when_partner_reports_are_new(world):
    category = Category.objects.get(collaboration_group__isnull=True, slug="skadegorelse")
    _police_counts(
        category,
        {
            datetime.date(2023, 6, 5): 1,
            datetime.date(2024, 3, 4): 20,
            datetime.date(2025, 3, 3): 21,
        },
    )
    _partner_count(world, category, 30)
    document, row = _law_report_2025(world)
    assert row[1] == 51
    # The verdict names the counts it tested (21 against 20 police events), not the
    # row's 51 against 20, and the reason for the restriction is said once.
    assert row[4].startswith("Polisens händelser 21 mot 20: Ingen säkerställd förändring")
    assert any(
        "prövas bara på polisens händelser" in getattr(b, "text", "") for b in document.blocks
    )


def test_police_only_comparison_never_contradicts_the_visible_counts(world):
    category = Category.objects.get(collaboration_group__isnull=True, slug="skadegorelse")
    _police_counts(category, {datetime.date(2023, 6, 5): 1})
    _partner_count(world, category, 57)
    document, row = _law_report_2025(world)
    assert row[1] == 57
    assert row[4] == "Polisens händelser 0 mot 0: Inga händelser i någon av perioderna"


def test_lagesbild_without_earlier_data_makes_no_comparison(world):
    category = Category.objects.get(collaboration_group__isnull=True, slug="skadegorelse")
    _police_counts(category, {datetime.date(2024, 3, 4): 10, datetime.date(2025, 3, 3): 40})
    document = reports.lagesbild_report(
        scope=Scope.for_group(world.group),
        period=reports.Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
        user=world.user("reader"),
    )
    table = next(
        b for b in document.blocks if getattr(b, "caption", "") == "Händelser per kategorigrupp"
    )
    assert table.rows[-1][4] == "Jämförelse saknas (data saknas för perioden före)"


def test_change_text_says_only_what_the_test_supports():
    assert reports.change_text(40, 10, comparable=True).startswith("Signifikant fler")
    assert reports.change_text(10, 40, comparable=True).startswith("Signifikant färre")
    assert reports.change_text(12, 10, comparable=True).startswith("Ingen säkerställd")
    assert reports.change_text(12, 10, comparable=False).startswith("Jämförelse saknas")
    assert reports.change_text(0, 0, comparable=True) == "Inga händelser i någon av perioderna"


def test_action_plan_report(world):
    measure = steering.measure(world)
    args = [world.group.slug]
    assert _download(world, "programmes:action_plan_report", args, "pdf").startswith(b"%PDF")
    headings, text = _download_docx(world, "programmes:action_plan_report", args)
    assert headings[:2] == ["Åtgärdsplan", "Inledning"]
    assert measure.title in headings
    assert "Specifikt | Klotter i centrum ska saneras inom 24 timmar" in text
    assert "Tidsatt | Målvärde 20,0" in text
    assert "Accepterat | Testbostäder AB, Västerorts stadsdelsförvaltning" in text or (
        "Accepterat | Västerorts stadsdelsförvaltning, Testbostäder AB" in text
    )
    assert "Ingen uppföljning ännu; följs upp senast 2026-01-01." in text


def test_status_report_since_last_report(world):
    measure = steering.measure(world)
    agreement = f.agreement(world)
    problem = measure.problem
    problem.agreement = agreement
    problem.save()
    by = world.user("coordinator")
    args = [agreement.public_id]
    headings, text = _download_docx(world, "programmes:status_report", args)
    assert "Förändringar sedan förra rapporten" in headings
    assert "första statusrapporten" in text

    # Record the report as presented, then change things.
    response = world.client("coordinator").post(
        reverse("programmes:status_record", args=args), {"note": "Möte 1"}
    )
    assert response.status_code == 302
    assert ReportSnapshot.objects.filter(agreement=agreement).count() == 1
    steering_services.measure_status_update(measure=measure, by=by, status="ongoing")
    steering_services.indicator_value_save(
        indicator=measure.indicator,
        by=by,
        period_start=datetime.date(2025, 1, 1),
        label="2025",
        value=33,
    )
    escalation = steering.escalation(world)
    steering_services.escalation_update(
        escalation=Escalation.objects.get(pk=escalation.pk), by=by, status="closed", response="Ok"
    )

    pdf = _download(world, "programmes:status_report", args, "pdf")
    assert pdf.startswith(b"%PDF")
    headings, text = _download_docx(world, "programmes:status_report", args)
    for heading in ("Mål och prioriterade områden", "Indikatorer", "Aktiviteter"):
        assert heading in headings
    assert "Snabb sanering: status från planerad till pågår." in text
    assert "Sanerat klotter (m²): första värdet 33,0 (2025)." in text
    assert "Nytt hinder lyft till central nivå: Ingen budget" in text


def test_status_changes_of_figures():
    before = {
        "problems": {"p": {"title": "Klotter", "step": 3}},
        "measures": {"m": {"title": "Sanering", "status": "planned"}},
        "indicators": {"i": {"name": "Antal", "latest": {"label": "2024", "value": 40.0}}},
        "activities": {"a": {"title": "Rond"}},
        "escalations": {"e": {"obstacle": "Budget", "status": "open"}},
    }
    after = {
        "problems": {"p": {"title": "Klotter", "step": 5}},
        "measures": {"m": {"title": "Sanering", "status": "done"}},
        "indicators": {"i": {"name": "Antal", "latest": {"label": "2025", "value": 31.0}}},
        "activities": {"a": {"title": "Rond"}, "b": {"title": "Belysning"}},
        "escalations": {"e": {"obstacle": "Budget", "status": "closed"}},
    }
    changes = reports.status_changes(before, after)
    assert changes == [
        "Klotter: från steget ”Gemensam kartläggning och prioritering” till ”Mål och åtgärder "
        "(SMART)”.",
        "Sanering: status från planerad till genomförd.",
        "Antal: 40,0 (2024) → 31,0 (2025).",
        "Nya aktiviteter: Belysning.",
        "Hinder ”Budget”: öppen → avslutad.",
    ]
    assert reports.status_changes(after, after) == []
    assert reports.status_changes(None, after) == []


def test_period_parsing_and_the_period_before():
    today = datetime.date(2026, 3, 1)
    default = reports.Period.parse({}, today=today)
    assert (default.start, default.end, default.label) == (
        datetime.date(2025, 1, 1),
        datetime.date(2025, 12, 31),
        "2025",
    )
    assert default.previous == reports.Period(
        datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)
    )
    two = reports.Period.parse({"fran": "2024-01-01", "till": "2025-12-31"}, today=today)
    assert two.label == "2024–2025"
    assert two.previous.label == "2022–2023"
    assert two.years == 2
    spring = reports.Period.parse({"fran": "2025-03-01", "till": "2025-03-31"}, today=today)
    assert spring.previous == reports.Period(datetime.date(2025, 1, 29), datetime.date(2025, 2, 28))


def test_measure_state_says_when_the_target_is_within_the_uncertainty():
    measure = {"target": 7.2, "lower_is_better": True}
    uncertain = {"label": "2026 K3", "value": 4.0, "low": 1.1, "high": 10.2}
    assert reports._measure_state({**measure, "now": uncertain}).startswith(
        "Inom osäkerheten kring målvärdet"
    )
    clear = {"label": "2026 K3", "value": 2.0, "low": 0.2, "high": 7.0}
    assert reports._measure_state({**measure, "now": clear}) == "Målvärdet nått"
    assert reports._measure_state({**measure, "now": None}) == "Inget värde ännu"


def test_lagesbild_report_keeps_reports_outside_the_groups_area_apart(world):
    category = Category.objects.get(collaboration_group__isnull=True, slug="skadegorelse")
    _police_counts(category, {datetime.date(2025, 3, 3): 4})
    # Shared with the group, but placed in another municipality (Huddinge).
    _partner_count(world, category, 3, municipality="0126")
    query = "?fran=2025-01-01&till=2025-12-31"
    _headings, text = _download_docx(
        world, "programmes:lagesbild_report", [world.group.slug], query
    )
    assert "Skadegörelse/klotter | 4 |" in text
    assert "3 rapporter delade med gruppen ligger utanför gruppens område" in text
    assert "Huddinge" not in text


def test_status_report_covers_the_agreements_own_period(world):
    """An agreement that ended 2024-12-31 lists no measure or activity of 2025-2026,
    even when its problem carries one."""
    measure = steering.measure(world)  # baseline 2025-01-01, deadline 2026-01-01
    by = world.user("coordinator")
    ended = steering_services.agreement_create(
        by=by,
        group=world.group,
        kind="collaboration",
        title="Samverkansöverenskommelse 2023–2024",
        starts=datetime.date(2023, 1, 1),
        ends=datetime.date(2024, 12, 31),
        party_organisations=[world.lead],
    )
    problem = measure.problem
    problem.agreement = ended
    problem.save()
    for title, starts in (("Rond 2024", datetime.date(2024, 5, 1)), ("Rond 2026", None)):
        steering_services.activity_create(
            by=by,
            group=world.group,
            title=title,
            starts=starts or datetime.date(2026, 4, 1),
            prevention_type="situationell",
            measure=measure,
        )
    figures = reports.status_figures(ended, today=datetime.date(2026, 6, 1))
    assert figures["measures"] == {}
    assert [a["title"] for a in figures["activities"].values()] == ["Rond 2024"]
    _headings, text = _download_docx(world, "programmes:status_report", [ended.public_id])
    assert "Snabb sanering" not in text and "Rond 2026" not in text


def test_one_target_status_in_the_action_plan_the_status_report_and_the_problem_page(world):
    """A follow-up whose interval contains the target is 'within the uncertainty' in
    every place, never 'reached' in one and uncertain in another."""
    measure = steering.measure(world)  # target 20, lower is better
    now = {"label": "2025", "value": 18.0, "low": 11.0, "high": 27.5}
    Evaluation.objects.create(
        measure=measure,
        evaluated_on=datetime.date(2026, 1, 15),
        conclusion="Bedömning",
        figures={
            "now": now,
            "target": {"value": 20.0, "deadline": "2026-01-01"},
            "baseline": {"value": 40.0, "date": "2025-01-01"},
            "lower_is_better": True,
            "target_reached": True,  # as stored by earlier versions
        },
    )
    expected = "Inom osäkerheten kring målvärdet (95 % intervall 11,0–27,5)"
    _headings, plan = _download_docx(world, "programmes:action_plan_report", [world.group.slug])
    assert expected in plan
    assert "målvärdet nått" not in plan.lower()
    state = reports._measure_state({"target": 20.0, "lower_is_better": True, "now": now})
    assert state == expected
    page = world.client("coordinator").get(measure.problem.get_absolute_url()).content.decode()
    assert expected in page
