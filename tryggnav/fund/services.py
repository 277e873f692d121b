"""Every write of the fund: one function per action, keyword-only, audited.

The budget rule lives in ``decision_make``: the fund row is locked (``SELECT … FOR
UPDATE``) for the whole decision, the remaining budget is summed from the decision
rows under that lock, and on PostgreSQL a trigger (migration 0002) checks the same
sum again at insert, so no path around this function can overspend either.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from tryggnav.audit.models import AuditEntry
from tryggnav.audit.services import audit_create, audit_record, audit_update, snapshot
from tryggnav.fund import checks, effects, notify
from tryggnav.fund.models import (
    DEFAULT_ELIGIBLE_KINDS,
    FUNDED_TYPES,
    Application,
    Assessment,
    Attachment,
    BudgetLine,
    Call,
    Criterion,
    Decision,
    FinalReport,
    Fund,
    FundRole,
    Payment,
    ProjectEvaluation,
    Score,
    fund_figures,
)
from tryggnav.lib import numbers
from tryggnav.lib.errors import Conflict, InputError, Problem, person
from tryggnav.organisations.models import Organisation
from tryggnav.steering import services as steering_services

State = Application.State


def _kr(value: int) -> str:
    return f"{numbers.number(value)} kr"


def _positive(value: Any, *, field: str, sv: str, en: str, zero: bool = False) -> int:
    if value is None or isinstance(value, bool) or not isinstance(value, int):
        raise InputError.single(f"{sv}: ange ett belopp i hela kronor.",
                                f"{en}: give an amount in whole kronor.", field=field)  # fmt: skip
    if value < 0 or (value == 0 and not zero):
        raise InputError.single(f"{sv} måste vara större än noll.",
                                f"{en} must be greater than zero.", field=field)  # fmt: skip
    return value


# --- Fund and calls -----------------------------------------------------------------


def fund_create(
    *, by: Any, organisation: Organisation, name: str, year: int, budget: int, is_demo=False
) -> Fund:
    _positive(budget, field="budget", sv="Budgeten", en="The budget")
    if organisation.municipality_id is None:
        raise InputError.single("Organisationen har ingen hemkommun.",
                                "The organisation has no home municipality.",
                                field="organisation")  # fmt: skip
    if not name.strip():
        raise InputError.single("Ange fondens namn.", "Give the fund's name.", field="name")
    if Fund.objects.filter(organisation=organisation, year=year).exists():
        raise InputError.single(
            f"{organisation.name} har redan en fond för {year}.",
            f"{organisation.name} already has a fund for {year}.", field="year")  # fmt: skip
    with transaction.atomic():
        fund = Fund.objects.create(
            municipality_id=organisation.municipality_id, organisation=organisation,
            name=name, year=year, budget=budget, is_demo=is_demo)  # fmt: skip
        audit_create(actor=by, obj=fund, organisation=organisation)
    return fund


def fund_budget_update(*, fund: Fund, by: Any, budget: int) -> Fund:
    """A budget change, never below what is already granted."""
    _positive(budget, field="budget", sv="Budgeten", en="The budget")
    with transaction.atomic():
        locked = Fund.objects.select_for_update().get(pk=fund.pk)
        granted = fund_figures(locked).granted
        if budget < granted:
            raise InputError.single(
                f"Budgeten kan inte vara lägre än det som redan är beviljat ({_kr(granted)}).",
                f"The budget cannot be lower than what is already granted ({_kr(granted)}).",
                field="budget",
            )
        before = snapshot(locked)
        locked.budget = budget
        locked.save(update_fields=["budget"])
        audit_update(actor=by, obj=locked, before=before, organisation=locked.organisation)
    return locked


def fund_role_add(*, fund: Fund, by: Any, user: Any, kind: str) -> FundRole:
    with transaction.atomic():
        role, created = FundRole.objects.get_or_create(fund=fund, user=user, kind=kind)
        if created:
            audit_create(actor=by, obj=role, organisation=fund.organisation)
    return role


def _check_call(fields: Mapping[str, Any], criteria: list[tuple[str, int, str]]) -> None:
    """Every refusal of a new call, each naming its field."""
    problems = []
    if fields["closes"] < fields["opens"]:
        problems.append(Problem("Sista ansökningsdag ligger före öppningsdagen.",
                                "The closing date is before the opening date.", field="closes"))  # fmt: skip
    if fields["project_ends"] < fields["project_starts"]:
        problems.append(Problem("Projektperioden slutar före den börjar.",
                                "The project period ends before it starts.", field="project_ends"))  # fmt: skip
    if (
        not set(fields["eligible_kinds"]) <= set(Organisation.Kind.values)
        or not fields["eligible_kinds"]
    ):
        problems.append(Problem("Välj vilka som får söka.", "Choose who may apply.",
                                field="eligible_kinds"))  # fmt: skip
    if not set(fields["prevention_types"]) <= set(FUNDED_TYPES) or not fields["prevention_types"]:
        problems.append(Problem("Välj social eller situationell prevention.",
                                "Choose social or situational prevention.", field="prevention_types"))  # fmt: skip
    if not criteria:
        problems.append(Problem("Ange minst ett bedömningskriterium.",
                                "Give at least one assessment criterion.", field="criteria"))  # fmt: skip
    if problems:
        raise InputError(problems)


def call_create(
    *, fund: Fund, by: Any, criteria: Iterable[tuple[str, int, str]], **fields: Any
) -> Call:
    fields.setdefault("eligible_kinds", list(DEFAULT_ELIGIBLE_KINDS))
    fields.setdefault("prevention_types", list(FUNDED_TYPES))
    criteria = list(criteria)
    _check_call(fields, criteria)
    with transaction.atomic():
        call = Call.objects.create(fund=fund, **fields)
        for position, (name, weight, description) in enumerate(criteria):
            _positive(weight, field="weight", sv="Vikten", en="The weight")
            Criterion.objects.create(call=call, name=name, weight=weight,
                                     description=description, position=position)  # fmt: skip
        audit_create(actor=by, obj=call, organisation=fund.organisation)
    return call


# --- Applications ---------------------------------------------------------------------

APPLICATION_FIELDS = (
    "title", "problem", "steering_problem", "area", "place", "place_name", "lat", "lon",
    "prevention_type", *Application.PERSPECTIVES, "activities", "starts", "ends",
    "co_financing", "indicator", "baseline_value", "baseline_date", "target_value",
    "deadline", "democracy_confirmed",
)  # fmt: skip


def _check_eligible(call: Call, organisation: Organisation) -> None:
    if organisation.kind not in call.eligible_kinds:
        raise InputError.single(
            f"{organisation.get_kind_display()} får inte söka i den här utlysningen.",
            f"This kind of organisation ({organisation.kind}) may not apply to this call.",
            field="organisation",
        )
    if organisation.municipality_id != call.fund.municipality_id:
        raise InputError.single("Organisationen hör till en annan kommun.",
                                "The organisation belongs to another municipality.",
                                field="organisation")  # fmt: skip


def _check_fields(call: Call, data: dict[str, Any]) -> list[Problem]:
    problems = []
    starts, ends = data.get("starts"), data.get("ends")
    for name, day in (("starts", starts), ("ends", ends)):
        if day and not (call.project_starts <= day <= call.project_ends):
            problems.append(Problem(
                f"Datumet ligger utanför utlysningens projektperiod "
                f"({call.project_starts}–{call.project_ends}).",
                f"The date is outside the call's project period "
                f"({call.project_starts}–{call.project_ends}).", field=name))  # fmt: skip
    if starts and ends and ends < starts:
        problems.append(Problem("Slutdatum före startdatum.", "End before start.", field="ends"))
    if data.get("prevention_type") not in call.prevention_types:
        problems.append(Problem("Utlysningen finansierar inte den typen av prevention.",
                                "The call does not fund this type of prevention.",
                                field="prevention_type"))  # fmt: skip
    if (data.get("co_financing") or 0) < 0:
        problems.append(Problem("Medfinansieringen kan inte vara negativ.",
                                "Co-financing cannot be negative.", field="co_financing"))  # fmt: skip
    for name, text in checks.smart_problems(data):
        problems.append(Problem(text, text, field=name))
    return problems


def _check_budget(call: Call, lines: list[tuple[str, int]]) -> list[Problem]:
    problems = []
    for row, (item, amount) in enumerate(lines, start=1):
        if not item.strip():
            problems.append(Problem("Kostnaden saknar beskrivning.", "The cost has no description.",
                                    row=row, field="item"))  # fmt: skip
        if not isinstance(amount, int) or amount <= 0:
            problems.append(Problem("Beloppet måste vara ett positivt antal kronor.",
                                    "The amount must be a positive number of kronor.",
                                    row=row, field="amount"))  # fmt: skip
    total = sum(a for _i, a in lines if isinstance(a, int))
    remaining = fund_figures(call.fund).remaining
    if total > remaining:
        problems.append(Problem(
            f"Sökt belopp ({_kr(total)}) är större än fondens återstående budget ({_kr(remaining)}).",
            f"The amount applied for ({_kr(total)}) exceeds the fund's remaining budget "
            f"({_kr(remaining)}).", field="budget"))  # fmt: skip
    return problems


def application_save(
    *,
    by: Any,
    call: Call,
    organisation: Organisation,
    budget_lines: list[tuple[str, int]],
    application: Application | None = None,
    is_demo: bool = False,
    **fields: Any,
) -> Application:
    """Create a draft, or change one (in draft or when completion is requested).
    Everything is checked first; nothing is saved if anything is wrong."""
    _check_eligible(call, organisation)
    problems = _check_fields(call, fields) + _check_budget(call, budget_lines)
    if problems:
        raise InputError(problems)
    with transaction.atomic():
        if application is None:
            application = Application(call=call, fund=call.fund, organisation=organisation,
                                      created_by=by, is_demo=is_demo)  # fmt: skip
            before = None
        else:
            application = _locked(application)
            _require_state(application, Application.EDITABLE_STATES, "ändras", "changed")
            before = snapshot(application)
        for name in APPLICATION_FIELDS:
            if name in fields:
                setattr(application, name, fields[name])
        application.save()
        old_lines = [(b.item, b.amount) for b in application.budget_lines.all()]
        if old_lines != list(budget_lines):
            application.budget_lines.all().delete()
            BudgetLine.objects.bulk_create(
                BudgetLine(application=application, item=i, amount=a) for i, a in budget_lines
            )
        _audit_save(application, by, before, old_lines, list(budget_lines))
    return application


def _audit_save(application, by, before, old_lines, new_lines) -> None:
    org = application.fund.organisation
    if before is None:
        audit_create(actor=by, obj=application, organisation=org,
                     note=f"Budget: {_kr(sum(a for _i, a in new_lines))}")  # fmt: skip
        return
    entry = audit_update(actor=by, obj=application, before=before, organisation=org)
    if old_lines != new_lines:
        audit_record(actor=by, action=AuditEntry.Action.UPDATE, obj=application, organisation=org,
                     changes={"budget_lines": [old_lines, new_lines]})  # fmt: skip
    del entry


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def _require_state(application: Application, states, verb_sv: str, verb_en: str) -> None:
    if application.state in states:
        return
    raise Conflict.handled(
        f"Ansökan är {application.get_state_display().lower()} och kan inte {verb_sv}",
        f"The application is {application.state} and cannot be {verb_en}",
        who="", when=None, field="state",
    )  # fmt: skip


def _set_state(application: Application, by: Any, state: str, note: str = "", **extra) -> None:
    before = snapshot(application)
    application.state = state
    for name, value in extra.items():
        setattr(application, name, value)
    application.save()
    audit_update(actor=by, obj=application, before=before,
                 organisation=application.fund.organisation, action=AuditEntry.Action.UPDATE,
                 note=note)  # fmt: skip


def application_submit(
    *, application: Application, by: Any, today: datetime.date | None = None
) -> Application:
    today = today or timezone.localdate()
    with transaction.atomic():
        application = _locked(application)
        _require_state(application, Application.EDITABLE_STATES, "skickas in", "submitted")
        call = application.call
        if application.state == State.DRAFT and not (call.opens <= today <= call.closes):
            raise InputError.single(
                f"Utlysningen är stängd (öppen {call.opens}–{call.closes}).",
                f"The call is closed (open {call.opens}–{call.closes}).", field="state")  # fmt: skip
        problems = checks.submit_problems(application)
        if problems:
            raise InputError(problems)
        _set_state(application, by, State.SUBMITTED, note="Inskickad", submitted=timezone.now())
    return application


def application_withdraw(*, application: Application, by: Any) -> Application:
    with transaction.atomic():
        application = _locked(application)
        _require_state(application, (State.DRAFT, *Application.OPEN_STATES), "återkallas",
                       "withdrawn")  # fmt: skip
        _set_state(application, by, State.WITHDRAWN, note="Återkallad")
    return application


def application_request_completion(
    *, application: Application, by: Any, note: str, tell: bool = True
) -> Application:
    """Send a submitted application back for completion; ``tell`` e-mails the applicant
    (the demo loader does not)."""
    if not note.strip():
        raise InputError.single("Skriv vad som ska kompletteras.",
                                "Say what should be completed.", field="note")  # fmt: skip
    with transaction.atomic():
        application = _locked(application)
        _require_state(application, (State.SUBMITTED,), "kompletteras", "sent back")
        _set_state(application, by, State.COMPLETION, note="Komplettering begärd",
                   completion_note=note)  # fmt: skip
        if tell:
            notify.completion_requested(application)
    return application


def attachment_add(
    *, application: Application, by: Any, label: str, filename: str, data: bytes
) -> Attachment:
    content_type = checks.attachment_type(data=data, filename=filename)
    if not label.strip():
        raise InputError.single("Ange vilken bilaga det är.", "Say which attachment it is.",
                                field="label")  # fmt: skip
    with transaction.atomic():
        application = _locked(application)
        _require_state(application, Application.EDITABLE_STATES, "ändras", "changed")
        attachment = Attachment.objects.create(
            application=application, label=label[:200], filename=filename[:200],
            content_type=content_type, size=len(data), data=data)  # fmt: skip
        audit_record(actor=by, action=AuditEntry.Action.CREATE, obj=attachment,
                     organisation=application.fund.organisation,
                     changes={"label": [None, label], "filename": [None, filename],
                              "size": [None, len(data)], "content_type": [None, content_type]},
                     object_repr=f"{application}: {filename}")  # fmt: skip
    return attachment


# --- Assessment -----------------------------------------------------------------------


def assessment_assign(*, application: Application, by: Any, assessor: Any) -> Assessment:
    with transaction.atomic():
        assessment, created = Assessment.objects.get_or_create(
            application=application, assessor=assessor
        )
        if created:
            audit_create(actor=by, obj=assessment, organisation=application.fund.organisation)
    return assessment


def assessment_declare_conflict(*, assessment: Assessment, by: Any, note: str) -> Assessment:
    """A declared conflict removes the assessor from the application; scores given
    before are deleted (and the deletion is in the audit entry)."""
    with transaction.atomic():
        assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
        before = snapshot(assessment)
        removed = [(s.criterion_id, s.score) for s in assessment.scores.all()]
        assessment.scores.all().delete()
        assessment.conflict, assessment.conflict_note = True, note[:300]
        assessment.completed = None
        assessment.save()
        audit_update(actor=by, obj=assessment, before=before,
                     organisation=assessment.application.fund.organisation,
                     note=f"Jäv anmält; poäng borttagna: {removed}" if removed else "Jäv anmält")  # fmt: skip
    return assessment


def assessment_score(
    *, assessment: Assessment, by: Any, scores: Mapping[int, tuple[int | None, str]]
) -> Assessment:
    """Scores 0–5 for every criterion of the call, each with an optional comment."""
    criteria = list(assessment.application.call.criteria.all())
    problems = []
    for criterion in criteria:
        score = scores.get(criterion.pk, (None, ""))[0]
        if not isinstance(score, int) or not 0 <= score <= Score.MAX:
            problems.append(Problem(f"{criterion.name}: ange poäng 0–{Score.MAX}.",
                                    f"{criterion.name}: give a score 0–{Score.MAX}.",
                                    field=f"score_{criterion.pk}"))  # fmt: skip
    if problems:
        raise InputError(problems)
    with transaction.atomic():
        assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if assessment.conflict:
            raise Conflict.handled("Du har anmält jäv för ansökan", "You declared a conflict of "
                                   "interest for the application", who="", when=None)  # fmt: skip
        old = {s.criterion_id: [s.score, s.comment] for s in assessment.scores.all()}
        for criterion in criteria:
            score, comment = scores[criterion.pk]
            assert score is not None  # checked above
            Score.objects.update_or_create(assessment=assessment, criterion=criterion,
                                           defaults={"score": score, "comment": comment})  # fmt: skip
        assessment.completed = timezone.now()
        assessment.save(update_fields=["completed"])
        new = {c.pk: list(scores[c.pk]) for c in criteria}
        audit_record(actor=by, action=AuditEntry.Action.UPDATE, obj=assessment,
                     organisation=assessment.application.fund.organisation,
                     changes={"scores": [old, new]})  # fmt: skip
    return assessment


# --- Decision, payment, final report --------------------------------------------------


def _over_budget(amount: int, remaining: int) -> InputError:
    return InputError.single(
        f"Beslutet ({_kr(amount)}) skulle överskrida fondens budget: "
        f"återstår {_kr(max(remaining, 0))}.",
        f"The decision ({_kr(amount)}) would exceed the fund's budget: "
        f"{_kr(max(remaining, 0))} remains.",
        field="amount",
    )


def _check_decision(application: Application, outcome: str, amount: int, conditions: str,
                    reason: str) -> None:  # fmt: skip
    requested = application.requested
    if outcome == Decision.Outcome.REFUSED:
        if amount:
            raise InputError.single("Ett avslag har inget belopp.",
                                    "A refusal has no amount.", field="amount")  # fmt: skip
        if not reason.strip():
            raise InputError.single("Ett avslag ska motiveras.",
                                    "A refusal needs a reason.", field="reason")  # fmt: skip
        return
    _positive(amount, field="amount", sv="Beviljat belopp", en="The amount granted")
    if outcome == Decision.Outcome.FULL and amount != requested:
        raise InputError.single(
            f"Beviljas i sin helhet: beloppet ska vara det sökta, {_kr(requested)}.",
            f"Granted in full: the amount must be the one applied for, {_kr(requested)}.",
            field="amount")  # fmt: skip
    if outcome == Decision.Outcome.PARTIAL:
        if amount >= requested:
            raise InputError.single(
                f"Beviljas delvis: beloppet ska vara lägre än det sökta, {_kr(requested)}.",
                f"Granted in part: the amount must be lower than the one applied for, "
                f"{_kr(requested)}.", field="amount")  # fmt: skip
        if not conditions.strip():
            raise InputError.single("Ange villkoren för delvis beviljat stöd.",
                                    "Give the conditions of a partial grant.",
                                    field="conditions")  # fmt: skip


def decision_make(
    *,
    application: Application,
    by: Any,
    outcome: str,
    amount: int = 0,
    conditions: str = "",
    reason: str = "",
    tell: bool = True,
) -> Decision:
    """Decide an application, within the fund's budget even with deciders at once:
    the fund row is locked first (every decision of the fund waits here in turn), then
    the application; the remaining budget is summed under the lock."""
    if outcome not in Decision.Outcome.values:
        raise InputError.single("Välj ett beslut.", "Choose a decision.", field="outcome")
    try:
        with transaction.atomic():
            fund = Fund.objects.select_for_update().get(pk=application.fund_id)
            application = _locked(application)
            existing = Decision.objects.filter(application=application).first()
            if existing is not None:
                raise Conflict.handled("Ansökan är redan beslutad", "The application is already "
                                       "decided", who=person(existing.decided_by),
                                       when=existing.decided, field="outcome")  # fmt: skip
            _require_state(application, Application.OPEN_STATES, "beslutas", "decided")
            if application.assessments.filter(assessor=by, conflict=True).exists():
                raise InputError.single(
                    "Du har anmält jäv för ansökan och kan inte besluta om den.",
                    "You declared a conflict of interest for the application and cannot decide it.",
                    field="outcome",
                )
            _check_decision(application, outcome, amount, conditions, reason)
            remaining = fund_figures(fund).remaining
            if amount > remaining:
                raise _over_budget(amount, remaining)
            decision = Decision.objects.create(
                application=application, fund=fund, outcome=outcome, amount=amount,
                conditions=conditions, reason=reason, decided_by=by)  # fmt: skip
            audit_create(actor=by, obj=decision, organisation=fund.organisation)
            _set_state(application, by, State.DECIDED, note=decision.get_outcome_display())
            if outcome != Decision.Outcome.REFUSED:
                _project_activity(application, decision, by)
            if tell:
                notify.decision_made(decision)
    except IntegrityError as error:
        # The PostgreSQL trigger: reached only by a path that skipped the lock above.
        if "fund_budget_exceeded" in str(error):
            raise _over_budget(amount, fund_figures(application.fund).remaining) from None
        raise
    return decision


def payment_make(*, decision: Decision, by: Any, amount: int, paid_on: datetime.date) -> Payment:
    _positive(amount, field="amount", sv="Utbetalt belopp", en="The amount paid")
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if decision.outcome == Decision.Outcome.REFUSED:
            raise InputError.single("Ansökan fick avslag; inget kan betalas ut.",
                                    "The application was refused; nothing can be paid.",
                                    field="amount")  # fmt: skip
        paid = sum(p.amount for p in decision.payments.all())
        left = decision.net - paid
        if amount > left:
            raise InputError.single(
                f"Beloppet är större än det som återstår att betala ut ({_kr(left)}).",
                f"The amount exceeds what remains to be paid ({_kr(left)}).", field="amount")  # fmt: skip
        if paid_on < decision.decided.date():
            raise InputError.single("Utbetalningen kan inte ligga före beslutet.",
                                    "The payment cannot be before the decision.",
                                    field="paid_on")  # fmt: skip
        payment = Payment.objects.create(decision=decision, amount=amount, paid_on=paid_on, by=by)
        audit_create(actor=by, obj=payment, organisation=decision.fund.organisation)
    return payment


def final_report_submit(
    *,
    application: Application,
    by: Any,
    done: str,
    spent: int,
    indicator_value: float,
    indicator_date: datetime.date,
) -> FinalReport:
    """The grantee's final report. Money granted and not spent goes back to the fund
    (``Decision.returned``): the fund's remaining budget grows by it."""
    _positive(spent, field="spent", sv="Använda medel", en="Money spent", zero=True)
    if not done.strip():
        raise InputError.single("Beskriv vad som gjordes.", "Describe what was done.",
                                field="done")  # fmt: skip
    with transaction.atomic():
        Fund.objects.select_for_update().get(pk=application.fund_id)
        application = _locked(application)
        _require_state(application, (State.DECIDED,), "slutredovisas", "reported")
        decision = Decision.objects.select_for_update().get(application=application)
        if decision.outcome == Decision.Outcome.REFUSED:
            raise InputError.single("Ansökan fick avslag.", "The application was refused.",
                                    field="spent")  # fmt: skip
        if spent > decision.amount:
            raise InputError.single(
                f"Använda medel är fler än det beviljade ({_kr(decision.amount)}).",
                f"Money spent exceeds the grant ({_kr(decision.amount)}).", field="spent")  # fmt: skip
        report = FinalReport.objects.create(
            application=application, done=done, spent=spent, indicator_value=indicator_value,
            indicator_date=indicator_date, by=by)  # fmt: skip
        audit_create(actor=by, obj=report, organisation=application.fund.organisation)
        before = snapshot(decision)
        decision.returned = decision.amount - spent
        decision.save(update_fields=["returned"])
        audit_update(actor=by, obj=decision, before=before, organisation=decision.fund.organisation,
                     note="Outnyttjade medel åter till fonden")  # fmt: skip
        _set_state(application, by, State.REPORTED, note="Slutredovisad")
    return report


# --- The project in the steering loop, and its effect ---------------------------------


def _project_activity(application: Application, decision: Decision, by: Any) -> None:
    """A granted project enters the activity register: owned by its Brå-process
    problem's owner when it names one, otherwise by the fund's organisation."""
    problem = application.steering_problem
    group = problem.group if problem is not None else None
    organisation = None if group else (problem.owner if problem else application.fund.organisation)
    members = set(group.organisations.values_list("pk", flat=True)) if group else set()
    responsible = (
        application.organisation
        if group is None or application.organisation_id in members
        else None
    )
    activity = steering_services.activity_create(
        by=by, group=group, organisation=organisation, title=application.title,
        starts=application.starts, ends=application.ends,
        prevention_type=application.prevention_type,
        areas=[application.area] if application.area else [], responsible=responsible,
        responsible_name="" if responsible else application.organisation.name,
        description=application.activities, place=application.place_label[:300],
        resources=f"{_kr(decision.amount)} ur {application.fund}",
        source=f"{application.fund} ({decision.get_outcome_display()})",
        is_demo=application.is_demo,
    )  # fmt: skip
    application.activity = activity
    application.save(update_fields=["activity"])


def _check_evaluation(
    application: Application, comparison_areas: list[Any], conclusion: str
) -> None:
    decision = Decision.objects.filter(application=application).first()
    if decision is None or decision.outcome == Decision.Outcome.REFUSED:
        raise InputError.single("Bara beviljade projekt följs upp.",
                                "Only granted projects are followed up.", field="conclusion")  # fmt: skip
    for area in comparison_areas:
        if area.municipality_id != application.fund.municipality_id:
            raise InputError.single(f"{area} ligger inte i fondens kommun.",
                                    f"{area} is not in the fund's municipality.",
                                    field="comparison_areas")  # fmt: skip
        if area.pk == application.area_id:
            raise InputError.single("Ett jämförelseområde kan inte vara projektets område.",
                                    "A comparison area cannot be the project's area.",
                                    field="comparison_areas")  # fmt: skip
    if not conclusion.strip():
        raise InputError.single("Skriv fondens bedömning.", "Write the fund's assessment.",
                                field="conclusion")  # fmt: skip


def project_evaluate(
    *,
    application: Application,
    by: Any,
    evaluated_on: datetime.date,
    conclusion: str,
    comparison_areas: Iterable[Any] = (),
    categories: Iterable[Any] = (),
) -> ProjectEvaluation:
    """Compute a granted project's follow-up now and store it with the fund's assessment."""
    comparison_areas, categories = list(comparison_areas), list(categories)
    _check_evaluation(application, comparison_areas, conclusion)
    figures = effects.project_figures(
        application, comparison_areas=comparison_areas,
        category_ids=[c.pk for c in categories], today=evaluated_on)  # fmt: skip
    with transaction.atomic():
        evaluation = ProjectEvaluation.objects.create(
            application=application, evaluated_on=evaluated_on, figures=figures,
            conclusion=conclusion, created_by=by if getattr(by, "is_authenticated", False) else None)  # fmt: skip
        evaluation.comparison_areas.set(comparison_areas)
        evaluation.categories.set(categories)
        audit_create(actor=by, obj=evaluation, organisation=application.fund.organisation)
    return evaluation
