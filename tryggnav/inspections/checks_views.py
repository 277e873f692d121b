"""Pages of checklists and scheduled checks (under /brister/kontroller/). Reads go
through ``checks_access`` and ``access``, writes through ``checks_services``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tryggnav.inspections import access, checklists, checks_access, checks_overview
from tryggnav.inspections import checks_forms as forms
from tryggnav.inspections import checks_services as services
from tryggnav.inspections.checks_models import (
    AnswerKind,
    ChecklistTemplate,
    Inspection,
)
from tryggnav.lib.diarium import diarium_download
from tryggnav.lib.documents import document_response
from tryggnav.lib.errors import InputError
from tryggnav.organisations.idempotency import KEY_FIELD, creates_once, page_once
from tryggnav.organisations.models import Role


def _errors(form: Any) -> str:
    return " ".join(str(e) for errs in form.errors.values() for e in errs)


def _object_status(schedule: Any, today: Any) -> dict[str, Any]:
    period = checklists.current_period(schedule.anchor, schedule.interval_months, today)
    inspection = schedule.inspections.filter(period_start=period.start).first()
    state = checks_overview.period_state(inspection, period.due, today)
    return {"period": period, "inspection": inspection, "state": state,
            "label": _(checks_overview.STATE_LABELS[state])}  # fmt: skip


def checks_index(request: HttpRequest) -> HttpResponse:
    """The checks the user sees, with the current period's state."""
    today = timezone.localdate()
    objects = checks_access.visible_objects(request.user).select_related("unit", "department")
    rows = [
        {"object": obj, "schedules": [(s, _object_status(s, today)) for s in obj.schedules.all()]}
        for obj in objects.prefetch_related("schedules__template")[:500]
    ]
    municipalities = access.municipality_organisations(request.user)
    coordinating = set(access.municipality_organisations(request.user, role=Role.COORDINATOR)
                       .values_list("pk", flat=True))  # fmt: skip
    return render(request, "inspections/checks/index.html", {
        "rows": rows, "municipalities": [(m, m.pk in coordinating) for m in municipalities],
    })  # fmt: skip


def checks_overview_page(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = access.get_municipality(request.user, slug)
    context = _overview_context(request, organisation)
    return render(request, "inspections/checks/overview.html", context)


def _overview_context(request: HttpRequest, organisation: Any) -> dict[str, Any]:
    municipality_id = str(organisation.municipality_id)
    form = forms.OverviewFilter(request.GET or None, municipality_id=municipality_id)
    year, quarter = form.quarter()
    rows = checks_overview.overview(municipality_id=municipality_id,
                                    quarter=checklists.quarter_bounds(year, quarter),
                                    department_id=form.department_id())  # fmt: skip
    return {
        "organisation": organisation, "form": form, "rows": rows,
        "totals": checks_overview.totals(rows), "quarter_label": f"{year} kv {quarter}",
        "states": [(s, _(checks_overview.STATE_LABELS[s])) for s in checks_overview.STATES],
        "query": request.GET.urlencode(),
        "is_demo": any(o.schedule.object.is_demo for r in rows for o in r.objects),
    }  # fmt: skip


def checks_overview_document(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    organisation = access.get_municipality(request.user, slug)
    if fmt not in ("docx", "pdf"):
        raise Http404
    doc, name = _overview_document(request, organisation)
    return document_response(doc, fmt=fmt, filename=name)


def checks_overview_diarium(request: HttpRequest, slug: str) -> HttpResponse:
    """The quarter's overview with a header block, a proposal and appendices."""
    organisation = access.get_municipality(request.user, slug)
    doc, name = _overview_document(request, organisation)
    return diarium_download(
        request,
        build=lambda: doc,
        filename=name,
        title=doc.title,
        back=reverse("inspections:checks_overview", args=[organisation.slug]),
    )


def _overview_document(request: HttpRequest, organisation: Any) -> tuple[Any, str]:
    context = _overview_context(request, organisation)
    doc = checks_overview.document(rows=context["rows"], organisation=organisation,
                                   quarter_label=context["quarter_label"],
                                   is_demo=context["is_demo"])  # fmt: skip
    return doc, f"kontroller-{context['quarter_label'].replace(' ', '-')}"


# --- Templates --------------------------------------------------------------------------


def _templates(municipality_id: str) -> Any:
    return ChecklistTemplate.objects.filter(Q(builtin=True) | Q(municipality_id=municipality_id))


def _template(request: HttpRequest, slug: str, public_id: Any, role: str) -> tuple[Any, str]:
    municipality_id = access.get_municipality_code(request.user, slug, role=role)
    template = _templates(municipality_id).filter(public_id=public_id).first()
    if template is None:
        raise Http404
    return template, municipality_id


def templates_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = access.get_municipality(request.user, slug)
    services.templates_builtin()
    templates = _templates(str(organisation.municipality_id)).order_by(
        "-builtin", "name", "-version"
    )
    return render(request, "inspections/checks/templates.html", {
        "organisation": organisation, "templates": templates,
        "is_admin": access.municipality_organisations(request.user, role=Role.ADMIN)
        .filter(pk=organisation.pk).exists(),
    })  # fmt: skip


def template_detail(request: HttpRequest, slug: str, public_id: Any) -> HttpResponse:
    template, _m = _template(request, slug, public_id, Role.READER)
    is_admin = (
        access.municipality_organisations(request.user, role=Role.ADMIN).filter(slug=slug).exists()
    )
    return render(request, "inspections/checks/template_detail.html", {
        "slug": slug, "template": template, "questions": template.questions.all(),
        "is_admin": is_admin, "question_form": forms.QuestionForm(), "copy_form": forms.CopyForm(),
        "versions": ChecklistTemplate.objects.filter(family=template.family).exclude(pk=template.pk),
    })  # fmt: skip


def _template_write(request: HttpRequest, slug: str, public_id: Any,
                    call: Callable[[Any, str], Any], done: str) -> HttpResponse:  # fmt: skip
    template, municipality_id = _template(request, slug, public_id, Role.ADMIN)
    try:
        result = call(template, municipality_id)
    except InputError as error:
        messages.error(request, error.text())
        result = template
    else:
        messages.success(request, done)
    return redirect("inspections:check_template", slug=slug, public_id=result.public_id)


@require_POST
def template_copy(request: HttpRequest, slug: str, public_id: Any) -> HttpResponse:
    form = forms.CopyForm(request.POST)
    name = form.cleaned_data["name"] if form.is_valid() else ""
    return _template_write(request, slug, public_id, lambda t, m: services.template_copy(
        by=request.user, template=t, municipality_id=m, name=name), _("Mallen är kopierad."))  # fmt: skip


@require_POST
def template_question_add(request: HttpRequest, slug: str, public_id: Any) -> HttpResponse:
    form = forms.QuestionForm(request.POST)
    if not form.is_valid():
        _template(request, slug, public_id, Role.ADMIN)
        messages.error(request, _errors(form))
        return redirect("inspections:check_template", slug=slug, public_id=public_id)
    return _template_write(request, slug, public_id, lambda t, m: services.template_revise(
        by=request.user, template=t, add=form.cleaned_data), _("Frågan är tillagd."))  # fmt: skip


@require_POST
def template_question_remove(
    request: HttpRequest, slug: str, public_id: Any, pk: int
) -> HttpResponse:
    return _template_write(request, slug, public_id, lambda t, m: services.template_revise(
        by=request.user, template=t, remove=pk), _("Frågan är borttagen."))  # fmt: skip


@require_POST
def template_retire(request: HttpRequest, slug: str, public_id: Any) -> HttpResponse:
    return _template_write(request, slug, public_id, lambda t, m: services.template_retire(
        by=request.user, template=t), _("Mallen är avvecklad."))  # fmt: skip


# --- Objects and inspections --------------------------------------------------------------


@creates_once
def object_create(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = access.get_municipality(request.user, slug, role=Role.COORDINATOR)
    municipality_id = str(organisation.municipality_id)
    services.templates_builtin()
    form = forms.ObjectForm(request.POST or None, municipality_id=municipality_id)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop(KEY_FIELD, None)
        try:
            with page_once(request, key) as submission:
                obj = services.object_create(
                    by=request.user, municipality_id=municipality_id, **data
                )
                submission.created(obj)
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Objektet och dess schema är sparade."))
            return redirect(obj)
    return render(request, "inspections/checks/object_form.html",
                  {"form": form, "organisation": organisation},
                  status=400 if request.method == "POST" else 200)  # fmt: skip


def object_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    obj = checks_access.get_object(request.user, public_id)
    today = timezone.localdate()
    schedules = obj.schedules.select_related("template")
    return render(request, "inspections/checks/object_detail.html", {
        "object": obj, "performs": checks_access.performs(request.user, obj),
        "manages": checks_access.manages(request.user, obj),
        "schedules": [(s, _object_status(s, today)) for s in schedules if s.active],
        "stopped": [s for s in schedules if not s.active],
        "inspections": obj.inspections.select_related("template", "signed_by")[:40],
    })  # fmt: skip


def object_edit(request: HttpRequest, public_id: Any) -> HttpResponse:
    obj = checks_access.get_object(request.user, public_id, manage=True)
    initial = {name: getattr(obj, name) for name in services.OBJECT_FIELDS}
    form = forms.ObjectEditForm(request.POST or None, initial=initial,
                                municipality_id=str(obj.municipality_id))  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            services.object_update(by=request.user, obj=obj, **form.cleaned_data)
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Objektet är sparat."))
            return redirect(obj)
    return render(request, "inspections/checks/object_edit.html", {"form": form, "object": obj},
                  status=400 if request.method == "POST" else 200)  # fmt: skip


@creates_once
def schedule_create(request: HttpRequest, public_id: Any) -> HttpResponse:
    obj = checks_access.get_object(request.user, public_id, manage=True)
    form = forms.ScheduleForm(request.POST or None, municipality_id=str(obj.municipality_id))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        with page_once(request, data.pop(KEY_FIELD, None)) as submission:
            schedule = services.schedule_create(by=request.user, obj=obj, **data)
            submission.created(schedule, url=obj.get_absolute_url())
        messages.success(request, _("Schemat är sparat."))
        return redirect(obj)
    return render(request, "inspections/checks/schedule_form.html", {"form": form, "object": obj},
                  status=400 if request.method == "POST" else 200)  # fmt: skip


@require_POST
def schedule_stop(request: HttpRequest, public_id: Any, schedule: int) -> HttpResponse:
    obj = checks_access.get_object(request.user, public_id, manage=True)
    found = obj.schedules.filter(pk=schedule).first()
    if found is None:
        raise Http404
    try:
        services.schedule_stop(by=request.user, schedule=found)
    except InputError as error:
        messages.error(request, error.text())
    else:
        messages.success(request, _("Schemat är avslutat; gjorda kontroller finns kvar."))
    return redirect(obj)


@require_POST
def check_start(request: HttpRequest, public_id: Any, schedule: int) -> HttpResponse:
    obj = checks_access.get_object(request.user, public_id, perform=True)
    found = obj.schedules.filter(pk=schedule, active=True).first()
    if found is None:
        raise Http404
    inspection = services.inspection_start(by=request.user, schedule=found, is_demo=obj.is_demo)
    return redirect(inspection)


def check_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    inspection = checks_access.get_inspection(request.user, public_id)
    answers = {a.question_id: a for a in inspection.answers.select_related("deficiency")}
    questions = [(q, answers.get(q.pk)) for q in inspection.template.questions.all()]
    return render(request, "inspections/checks/check.html", {
        "inspection": inspection, "questions": questions, "object": inspection.object,
        "performs": checks_access.performs(request.user, inspection.object),
        "failed": [a for a in answers.values() if a.passed is False],
    })  # fmt: skip


def _float(text: str, question: Any) -> float | None:
    text = text.strip().replace(",", ".").replace("\u2212", "-")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise InputError.single(
            f"Värdet för ”{question.text}” är inget tal: {text[:40]}",
            f"The value for “{question.text}” is not a number: {text[:40]}",
            field="value",
        ) from None


def _replies(request: HttpRequest, inspection: Inspection) -> dict[int, services.Reply]:
    replies = {}
    for question in inspection.template.questions.all():
        key = str(question.pk)
        answer = request.POST.get(f"svar-{key}", "")
        value = _float(request.POST.get(f"varde-{key}", ""), question) \
            if question.answer_kind == AnswerKind.VALUE else None  # fmt: skip
        replies[question.pk] = services.Reply(
            answer=answer if answer in ("ja", "nej", "ej") else "", value=value,
            note=request.POST.get(f"anteckning-{key}", "")[:1000],
            photo=request.FILES.get(f"foto-{key}"),
        )  # fmt: skip
    return replies


def _perform(request: HttpRequest, public_id: Any, sign: bool) -> HttpResponse:
    inspection = checks_access.get_inspection(request.user, public_id, perform=True)
    try:
        services.inspection_save(by=request.user, inspection=inspection,
                                 replies=_replies(request, inspection),
                                 note=request.POST.get("anteckning", "")[:5000])  # fmt: skip
        if sign:
            services.inspection_sign(by=request.user, inspection=inspection)
    except InputError as error:
        messages.error(request, error.text())
    else:
        messages.success(request, _("Kontrollen är signerad.") if sign else _("Svaren är sparade."))
    return redirect(inspection)


@require_POST
def check_save(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _perform(request, public_id, sign=False)


@require_POST
def check_sign(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _perform(request, public_id, sign=True)
