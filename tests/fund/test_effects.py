"""A granted project enters the steering loop's activity register, and its effect is
followed up: its own goal, and for a place-based project the incidents in its area
against comparison areas with the statistics core's effect estimate."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.fund import factories as f
from tests.lagesbild import factories as lf
from tryggnav.fund import services
from tryggnav.fund.models import Application
from tryggnav.lib.errors import InputError
from tryggnav.stats.evaluation import relative_effect_size
from tryggnav.steering.models import Activity

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _place_based(world, *, starts_days_ago: int = 200) -> Application:
    day = f.today()
    app = services.application_save(
        by=world.user("reporter"), call=f.call(world), organisation=world.partner,
        **f.fields(world, title="Belysning i Vällingby", area=lf.area("Vällingby"),
                   starts=day - starts_days_ago * DAY, ends=day + 100 * DAY))  # fmt: skip
    services.attachment_add(application=app, by=world.user("reporter"), label="Projektplan",
                            filename="plan.pdf", data=f.PDF)  # fmt: skip
    services.application_submit(application=app, by=world.user("reporter"))
    f.decide(world, app)
    return Application.objects.get(pk=app.pk)


def _incidents(world, category, area_name: str, when: datetime.date, n: int) -> None:
    moment = timezone.make_aware(datetime.datetime(when.year, when.month, when.day, 12))
    for _ in range(n):
        lf.incident(world, category=category, when=moment, area_name=area_name)


def test_a_grant_enters_the_activity_register(world):
    app = _place_based(world)
    activity = Activity.objects.get(fund_application=app)
    assert activity.organisation == world.lead and activity.group is None
    assert activity.responsible == world.partner
    assert (activity.title, activity.starts, activity.ends) == (app.title, app.starts, app.ends)
    assert list(activity.areas.all()) == [app.area]
    assert "100\u00a0000" in activity.resources.replace(" ", "\u00a0")


def test_a_refusal_enters_nothing(world):
    app = f.application(world, Application.State.SUBMITTED, title="Avslås")
    services.decision_make(application=app, by=world.user("coordinator"), outcome="refused",
                           reason="Utanför utlysningen.")  # fmt: skip
    assert not Activity.objects.filter(title="Avslås").exists()


def test_a_project_on_a_group_problem_is_the_groups_activity(world):
    from tests.steering import factories as sf

    problem = sf.problem(world)
    app = services.application_save(
        by=world.user("reporter"), call=f.call(world), organisation=world.partner,
        **f.fields(world, title="På gruppens problem", steering_problem=problem))  # fmt: skip
    services.attachment_add(application=app, by=world.user("reporter"), label="Projektplan",
                            filename="plan.pdf", data=f.PDF)  # fmt: skip
    services.application_submit(application=app, by=world.user("reporter"))
    f.decide(world, app)
    activity = Activity.objects.get(title="På gruppens problem")
    assert activity.group == problem.group and activity.organisation is None


def test_the_effect_follow_up_counts_before_and_after_against_comparison_areas(world):
    cats = lf.categories()
    app = _place_based(world)
    _incidents(world, cats["klotter"], "Vällingby", app.starts - 30 * DAY, 6)
    _incidents(world, cats["klotter"], "Vällingby", app.starts + 30 * DAY, 2)
    _incidents(world, cats["klotter"], "Vinsta", app.starts - 30 * DAY, 5)
    _incidents(world, cats["klotter"], "Vinsta", app.starts + 30 * DAY, 5)
    _incidents(world, cats["brand"], "Vällingby", app.starts + 30 * DAY, 9)  # other category
    evaluation = services.project_evaluate(
        application=app, by=world.user("coordinator"), evaluated_on=f.today(),
        conclusion="Färre klotter.", comparison_areas=[lf.area("Vinsta")],
        categories=[cats["klotter"]])  # fmt: skip
    comparison = evaluation.figures["comparison"]
    counts = [comparison[k] for k in ("treated_before", "treated_after", "control_before",
                                      "control_after")]  # fmt: skip
    assert counts == [6, 2, 5, 5]
    expected = relative_effect_size(6, 2, 5, 5, treated_areas=1)
    assert comparison["effect"]["estimate"] == pytest.approx(expected.res)
    assert comparison["effect"]["low"] == pytest.approx(expected.low)
    assert comparison["effect"]["significant"] == expected.significant


def test_the_goal_is_judged_in_the_direction_of_the_target(world):
    app = _place_based(world)
    services.final_report_submit(application=app, by=world.user("reporter"), done="Lampor.",
                                 spent=50_000, indicator_value=22.5,
                                 indicator_date=f.today())  # fmt: skip
    app.refresh_from_db()
    evaluation = services.project_evaluate(application=app, by=world.user("coordinator"),
                                           evaluated_on=f.today(), conclusion="Nära målet.")  # fmt: skip
    goal = evaluation.figures["goal"]
    # Baseline 30, target 20: lower is better, and 22.5 has not reached 20.
    assert goal["lower_is_better"] is True and goal["target_reached"] is False
    assert goal["now"]["value"] == 22.5
    assert "comparison" not in evaluation.figures


@pytest.mark.parametrize("bad", ["own_area", "other_municipality", "no_conclusion", "refused"])
def test_bad_follow_ups_are_refused(world, bad):
    from tryggnav.areas.models import Area

    app = _place_based(world)
    kwargs = {"comparison_areas": [lf.area("Vinsta")], "conclusion": "Ok"}
    if bad == "own_area":
        kwargs["comparison_areas"] = [app.area]
    elif bad == "other_municipality":
        kwargs["comparison_areas"] = [
            Area.objects.create(
                municipality_id="0126", kind="egen", code="X1", name="Annat",
                geometry={"type": "Polygon", "coordinates": []},
                min_lon=0, min_lat=0, max_lon=0, max_lat=0)
        ]  # fmt: skip
    elif bad == "no_conclusion":
        kwargs["conclusion"] = " "
    elif bad == "refused":
        app = f.application(world, Application.State.SUBMITTED, title="Nej")
        services.decision_make(application=app, by=world.user("coordinator"),
                               outcome="refused", reason="Nej.")  # fmt: skip
    with pytest.raises(InputError):
        services.project_evaluate(application=app, by=world.user("coordinator"),
                                  evaluated_on=f.today(), **kwargs)  # fmt: skip
    assert not app.evaluations.exists()


def test_the_page_shows_the_follow_up_in_english_with_the_english_wording(world):
    cats = lf.categories()
    app = _place_based(world)
    _incidents(world, cats["klotter"], "Vällingby", app.starts - 30 * DAY, 4)
    client = world.client("coordinator")
    url = reverse("fund:project_evaluate", args=[app.public_id])
    response = client.post(url, {"evaluated_on": f.today().isoformat(), "conclusion": "Ok",
                                 "comparison_areas": [lf.area("Vinsta").pk]})  # fmt: skip
    assert response.status_code == 302
    evaluation = app.evaluations.get()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(app.get_absolute_url()).content.decode()
    assert "Relative effect size (RES)" in page
    assert evaluation.figures["comparison"]["effect"]["message_en"] in page


def test_the_yearly_report_lists_the_latest_follow_up_per_project(world):
    from tryggnav.fund.letters import fund_report
    from tryggnav.lib.documents import Table

    cats = lf.categories()
    app = _place_based(world)
    _incidents(world, cats["klotter"], "Vällingby", app.starts - 30 * DAY, 3)
    _incidents(world, cats["klotter"], "Vinsta", app.starts + 30 * DAY, 4)
    for day, text in ((f.today() - 10 * DAY, "Första."), (f.today(), "Senaste.")):
        services.project_evaluate(application=app, by=world.user("coordinator"), evaluated_on=day,
                                  conclusion=text, comparison_areas=[lf.area("Vinsta")])  # fmt: skip
    tables = [b for b in fund_report(app.fund).blocks if isinstance(b, Table)]
    effect_table = tables[-1]
    assert len(effect_table.rows) == 1
    title, day, counts, effect, conclusion = effect_table.rows[0]
    assert (title, day, conclusion) == (app.title, f.today().isoformat(), "Senaste.")
    assert counts == "3 → 0; 0 → 4"
    assert effect.startswith("RES ")


def test_the_groups_action_plan_lists_granted_projects_in_its_areas(world):
    from tryggnav.lib.documents import Heading, Table
    from tryggnav.programmes.reports import action_plan_report

    app = _place_based(world)
    refused = f.application(world, Application.State.SUBMITTED, title="Avslås i Vällingby")
    services.decision_make(application=refused, by=world.user("coordinator"), outcome="refused",
                           reason="Nej.")  # fmt: skip
    blocks = action_plan_report(group=world.group, user=world.user("reader")).blocks
    index = next(i for i, b in enumerate(blocks)
                 if isinstance(b, Heading) and b.text == "Projekt ur trygghetsfonden")  # fmt: skip
    table = next(b for b in blocks[index:] if isinstance(b, Table))
    assert [row[0] for row in table.rows] == [app.title]
    assert table.rows[0][1] == world.partner.name and table.rows[0][3] == "100\u00a0000"
    assert table.rows[0][7] == "Inte uppföljd ännu"
    other = action_plan_report(group=world.other_group, user=world.user("outsider")).blocks
    assert not any(isinstance(b, Heading) and b.text == "Projekt ur trygghetsfonden"
                   for b in other)  # fmt: skip


def test_the_monthly_did_is_the_statistics_cores_on_the_monthly_matrix(world):
    import numpy as np

    from tryggnav.stats.evaluation import poisson_did

    cats = lf.categories()
    app = _place_based(world, starts_days_ago=360)
    first = datetime.date(app.starts.year - 1, app.starts.month, 1)
    starts = [first]
    while True:  # month starts while the month has ended by today
        last = starts[-1]
        following = datetime.date(last.year + last.month // 12, last.month % 12 + 1, 1)
        if following > f.today():
            break
        starts.append(following)
    months = starts[:-1]
    expected = np.zeros((2, len(months)))
    for index, month in enumerate(months):
        treated_n, control_n = (3, 2) if index < 12 else (1, 2 + index % 2)
        _incidents(world, cats["klotter"], "Vällingby", month.replace(day=15), treated_n)
        _incidents(world, cats["klotter"], "Vinsta", month.replace(day=15), control_n)
        expected[:, index] = [treated_n, control_n]
    evaluation = services.project_evaluate(
        application=app, by=world.user("coordinator"), evaluated_on=f.today(),
        conclusion="Ok", comparison_areas=[lf.area("Vinsta")], categories=[cats["klotter"]])  # fmt: skip
    did = evaluation.figures["did"]
    post = np.array([0] * 12 + [1] * (len(months) - 12))
    result = poisson_did(expected, np.array([1, 0]), post)
    assert did["available"] and did["rate_ratio"] == pytest.approx(result.rate_ratio)
    assert did["low"] is None  # one treated area: no valid interval
    assert did["months"][0] == first.isoformat()
    assert did["message"] == result.explanation_sv
