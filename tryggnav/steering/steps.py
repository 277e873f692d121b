"""What each of Brå's steps requires before it can be completed (seed 002).

``missing(problem, step)`` lists, in Swedish (translatable), what is still lacking;
an empty list means the step can be completed. The problem page shows the list, and
``problem_step_complete`` refuses to complete a step while it is not empty.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from tryggnav.steering.models import FigureSnapshot, Measure, Problem, Step


def _blank(value: str) -> bool:
    return not (value or "").strip()


def _initiation(problem: Problem) -> list[str]:
    out = []
    if _blank(problem.decided_by):
        out.append(_("Vem som beslutade att samverka kring problemet."))
    if problem.decided_on is None:
        out.append(_("Datum för beslutet."))
    if _blank(problem.reason):
        out.append(_("Varför problemet ska bearbetas."))
    if problem.parties.count() < 2:
        out.append(_("Minst två parter som samverkar."))
    if not problem.areas.exists():
        out.append(_("Vilka områden problemet gäller."))
    if not problem.categories.exists():
        out.append(_("Vilka händelsekategorier problemet gäller."))
    return out


def _own_mapping(problem: Problem) -> list[str]:
    mapped = set(problem.mappings.values_list("organisation_id", flat=True))
    return [
        _("Egen kartläggning från %(party)s.") % {"party": party.name}
        for party in problem.parties.order_by("name")
        if party.pk not in mapped
    ]


def _has_snapshot(problem: Problem, step: int, kinds: tuple[str, ...]) -> bool:
    return problem.snapshots.filter(step=step, kind__in=kinds).exists()


def _joint_mapping(problem: Problem) -> list[str]:
    out = []
    if _blank(problem.joint_summary):
        out.append(_("Den gemensamma lägesbilden."))
    if _blank(problem.prioritised):
        out.append(_("Vad som prioriteras."))
    if _blank(problem.left_out):
        out.append(_("Vad som prioriteras bort, och varför."))
    if not _has_snapshot(problem, Step.JOINT_MAPPING, (FigureSnapshot.Kind.WEEKLY,)):
        out.append(_("Sparade siffror från lägesbilden (antal per vecka med trend)."))
    return out


def _cause_analysis(problem: Problem) -> list[str]:
    fields = [
        ("cause_place", _("Platsen: varför här?")),
        ("cause_time", _("Tiden: varför nu, vilka tider?")),
        ("cause_offenders", _("Gärningspersonerna.")),
        ("cause_victims", _("De utsatta eller målen.")),
        ("cause_guardians", _("Väktare, platsansvariga och andra som kan ingripa.")),
        ("cause_summary", _("Sammanfattning: varför här, varför nu.")),
    ]
    out = [label for name, label in fields if _blank(getattr(problem, name))]
    if not _has_snapshot(problem, Step.CAUSE_ANALYSIS, (FigureSnapshot.Kind.WEEKDAY_HOUR,)):
        out.append(_("Sparat tidsmönster (veckodag × timme) för området."))
    if not _has_snapshot(problem, Step.CAUSE_ANALYSIS, (FigureSnapshot.Kind.AREAS,)):
        out.append(_("Sparad fördelning per område (var händelserna koncentreras)."))
    return out


def measure_missing(measure: Measure) -> list[str]:
    """SMART and the perspectives; the form enforces these, this re-checks stored data."""
    out = []
    if _blank(measure.specific) or not (measure.areas.exists() or measure.place.strip()):
        out.append(_("Specifikt: problem och plats."))
    if measure.indicator_id is None or measure.baseline_date is None:
        out.append(_("Mätbart: indikator med utgångsvärde och datum."))
    if not measure.agreed_by.exists():
        out.append(_("Accepterat: parterna som står bakom."))
    if _blank(measure.resources):
        out.append(_("Realistiskt: resurser."))
    if measure.deadline is None or measure.target_value is None:
        out.append(_("Tidsatt: målvärde och slutdatum."))
    if any(_blank(getattr(measure, name)) for name in Measure.PERSPECTIVES):
        out.append(_("Perspektiven (barn, jämställdhet, funktionshinder, hbtq, äldre)."))
    return [f"{measure.title}: {text}" for text in out]


def _measures(problem: Problem) -> list[str]:
    measures = list(problem.measures.all())
    if not measures:
        return [_("Minst en åtgärd med SMART-mål.")]
    return [text for measure in measures for text in measure_missing(measure)]


def _implementation(problem: Problem) -> list[str]:
    return [
        _("Genomförda aktiviteter för åtgärden %(m)s.") % {"m": measure.title}
        for measure in problem.measures.all()
        if not measure.activities.exists()
    ] or ([] if problem.measures.exists() else [_("Åtgärder att genomföra (steg 5).")])


def _follow_up(problem: Problem) -> list[str]:
    return [
        _("Uppföljning av åtgärden %(m)s.") % {"m": measure.title}
        for measure in problem.measures.all()
        if not measure.evaluations.exists()
    ] or ([] if problem.measures.exists() else [_("Åtgärder att följa upp (steg 5).")])


CHECKS = {
    Step.INITIATION: _initiation,
    Step.OWN_MAPPING: _own_mapping,
    Step.JOINT_MAPPING: _joint_mapping,
    Step.CAUSE_ANALYSIS: _cause_analysis,
    Step.MEASURES: _measures,
    Step.IMPLEMENTATION: _implementation,
    Step.FOLLOW_UP: _follow_up,
}


def missing(problem: Problem, step: int) -> list[str]:
    return CHECKS[Step(step)](problem)


def current_step(problem: Problem) -> int | None:
    """The first step not completed; None when all seven are."""
    # .all() so that a prefetch of the steps (a list of problems) is used.
    done = {step.number for step in problem.steps.all() if step.completed is not None}
    for step in Step:
        if step.value not in done:
            return step.value
    return None
