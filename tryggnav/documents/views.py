"""Pages of the statutory documents: the municipality's cycle, the documents and their
versions, decisions, contributions and consultations. Access only through
``tryggnav.documents.access``; writes only through ``tryggnav.documents.services``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tryggnav.documents import access, due, followup, forms, services
from tryggnav.documents import render as rendering
from tryggnav.documents.models import Kind, LawCycle, LawDocument, Status
from tryggnav.lib.diarium import diarium_download
from tryggnav.lib.documents import document_response
from tryggnav.lib.errors import InputError
from tryggnav.organisations.idempotency import KEY_FIELD, creates_once, page_once
from tryggnav.organisations.models import CoordinationFunction, Role

FORMATS = ("docx", "pdf")


def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    municipalities = []
    today = timezone.localdate()
    for organisation in access.municipalities_of(user).order_by("name"):
        municipalities.append({
            "organisation": organisation,
            "documents": LawDocument.objects.filter(organisation=organisation)
            .exclude(status=Status.SUPERSEDED).order_by("-period_end", "kind"),
            "cycle": LawCycle.objects.filter(organisation=organisation).first(),
            "function": CoordinationFunction.objects.filter(organisation=organisation)
            .select_related("holder").first(),
            "due": due.due_documents(organisation, today),
            "can_coordinate": access.municipalities_of(user, role=Role.COORDINATOR)
            .filter(pk=organisation.pk).exists(),
        })  # fmt: skip
    return render(request, "documents/document_index.html", {
        "municipalities": municipalities,
        "contributions": access.own_contributions(user)
        .select_related("document", "organisation").order_by("-document__period_end"),
    })  # fmt: skip


def _refuse(request: HttpRequest, error: InputError, document: LawDocument) -> HttpResponse:
    messages.error(request, error.text())
    return redirect(document)


@creates_once
def lagesbild_create(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = access.get_municipality(request.user, slug, role=Role.COORDINATOR).organisation
    form = forms.CreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with page_once(request, data.pop(KEY_FIELD)) as submission:
                document = services.lagesbild_create(
                    organisation=organisation, by=request.user, **data
                )
                submission.created(document)
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Lägesbilden är skapad med siffrorna från i dag."))
            return redirect(document)
    return render(
        request, "documents/document_create.html",
        {"organisation": organisation, "form": form, "kind": Kind.LAGESBILD.label},
        status=400 if request.method == "POST" else 200,
    )  # fmt: skip


@creates_once
def action_plan_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    lagesbild = access.get_document(request.user, public_id, coordinate=True)
    if lagesbild.kind != Kind.LAGESBILD:
        raise Http404
    form = forms.CreateForm(request.POST or None, initial={
        "period_start": lagesbild.period_end.replace(month=1, day=1).replace(year=lagesbild.period_end.year + 1),
        "period_end": lagesbild.period_end.replace(year=lagesbild.period_end.year + 2),
    })  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with page_once(request, data.pop(KEY_FIELD)) as submission:
                document = services.action_plan_create(lagesbild=lagesbild, by=request.user, **data)
                submission.created(document)
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Åtgärdsplanen är skapad med åtgärderna från i dag."))
            return redirect(document)
    return render(
        request, "documents/document_create.html",
        {"organisation": lagesbild.organisation, "form": form, "kind": Kind.ACTION_PLAN.label,
         "lagesbild": lagesbild},
        status=400 if request.method == "POST" else 200,
    )  # fmt: skip


def _versions(document: LawDocument) -> list[LawDocument]:
    return list(LawDocument.objects.filter(series=document.series).order_by("-number"))


def detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    document = access.get_document(request.user, public_id)
    coordinator = access.can_coordinate(request.user, document)
    editable = coordinator and document.is_editable
    own = access.own_contributions(request.user).filter(document=document)
    context: dict[str, Any] = {
        "document": document,
        "sections": rendering.page_sections(document),
        "decision": rendering.decision_text(document),
        "versions": _versions(document),
        "contributions": document.contributions.select_related("organisation", "done_by"),
        "own_contributions": own,
        "consultations": document.consultations.select_related("organisation"),
        "can_coordinate": coordinator,
        "editable": editable,
        "action_plans": document.action_plans.all() if document.is_lagesbild else [],
        "follow_up": followup.follow_up(document, request.user, timezone.localdate()),
    }
    if editable:
        context |= {
            "texts_form": forms.TextsForm(document=document),
            # Own ids: both forms have a field "organisation" on the same page.
            "invite_form": forms.InviteForm(document=document, auto_id="invite_%s"),
            "consultation_form": forms.ConsultationForm(document=document, auto_id="samrad_%s"),
            "propose_form": forms.ProposeForm(initial={"proposal": document.proposal}),
            "decide_form": forms.DecideForm(),
        }
    return render(request, "documents/document_detail.html", context)


def _post_form(request: HttpRequest, public_id: UUID) -> LawDocument:
    return access.get_document(request.user, public_id, coordinate=True)


def _step(
    request: HttpRequest,
    public_id: UUID,
    act: Callable[[LawDocument, dict], Any],
    *,
    form: Callable[[LawDocument], Any] | None = None,
    invalid: str = "",
    done: str = "",
) -> HttpResponse:
    """One step of the document's cycle from a form on its page (its coordinators only):
    ``form`` (bound to the post) checked, ``act(document, data)`` run, and back to the
    page (or to where ``act`` says). Invalid input and a refusal (a locked version, a
    step already taken) are messages on the page."""
    document = _post_form(request, public_id)
    data: dict[str, Any] = {}
    if form is not None:
        bound = form(document)
        if not bound.is_valid():
            messages.error(request, invalid)
            return redirect(document)
        data = bound.cleaned_data
    try:
        to = act(document, data)
    except InputError as error:
        return _refuse(request, error, document)
    if done:
        messages.success(request, done)
    return redirect(to or document)


@require_POST
def texts(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _step(
        request, public_id,
        lambda d, data: services.document_update_texts(document=d, texts=data, by=request.user),
        form=lambda d: forms.TextsForm(request.POST, document=d),
        invalid=_("Texten kunde inte sparas."), done=_("Texten är sparad."),
    )  # fmt: skip


@require_POST
def propose(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _step(
        request, public_id,
        lambda d, data: services.document_propose(document=d, by=request.user, **data),
        form=lambda d: forms.ProposeForm(request.POST),
        invalid=_("Skriv ett förslag till beslut."), done=_("Versionen är lämnad för beslut."),
    )  # fmt: skip


@require_POST
def return_to_draft(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _step(
        request, public_id,
        lambda d, _data: services.document_return_to_draft(document=d, by=request.user),
    )  # fmt: skip


def _decide(request: HttpRequest, document: LawDocument, data: dict[str, Any]) -> LawDocument:
    return services.document_decide(
        document=document, body=data["decided_body"], decided_on=data["decided_on"],
        paragraph=data["decision_paragraph"], registry_number=data["registry_number"],
        handler=data["handler"], by=request.user,
    )  # fmt: skip


@require_POST
def decide(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _step(
        request, public_id, lambda d, data: _decide(request, d, data),
        form=lambda d: forms.DecideForm(request.POST),
        invalid=_("Ange beslutande organ och beslutsdatum."),
        done=_("Beslutet är registrerat; versionen är låst."),
    )  # fmt: skip


@require_POST
def regenerate(request: HttpRequest, public_id: UUID) -> HttpResponse:
    def new_version(document: LawDocument, _data: dict) -> str:
        new = services.document_regenerate(document=document, by=request.user)
        return reverse("documents:diff", args=[new.public_id])

    return _step(request, public_id, new_version,
                 done=_("En ny version är skapad med siffrorna från i dag."))  # fmt: skip


def diff(request: HttpRequest, public_id: UUID) -> HttpResponse:
    document = access.get_document(request.user, public_id)
    previous = LawDocument.objects.filter(
        series=document.series, number=document.number - 1
    ).first()
    changes = rendering.diff_versions(previous, document) if previous else []
    return render(request, "documents/document_diff.html",
                  {"document": document, "previous": previous, "changes": changes})  # fmt: skip


def export(request: HttpRequest, public_id: UUID, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    document = access.get_document(request.user, public_id)
    name = f"{slugify(document.title)}-v{document.number}"
    return document_response(rendering.as_document(document), fmt=fmt, filename=name)


def export_diarium(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The version with the form for the diarium: filled with the decision's fields, the
    lägesbild of an åtgärdsplan offered (and ticked) as an appendix, uploads added."""
    document = access.get_document(request.user, public_id)
    choices = rendering.appendix_choices(document)
    initial = {
        "diarienummer": document.registry_number, "handlaggare": document.handler,
        "organ": document.decided_body, "datum": document.decided_on,
        "forslag": document.proposal, "rapporter": [c.key for c in choices],
    }  # fmt: skip
    return diarium_download(
        request,
        build=lambda: rendering.as_document(document),
        filename=f"{slugify(document.title)}-v{document.number}",
        title=document.title,
        back=document.get_absolute_url(),
        choices=choices,
        initial=initial,
    )


@creates_once
def _add_to_document(
    request: HttpRequest,
    public_id: UUID,
    form_class: Any,
    create: Any,
    *,
    invalid: str,
    done: str,
) -> HttpResponse:
    """The coordinator adds a row to the document (an invitation, a consultation) from
    one of its page's forms: once per form, refused when the version is locked."""
    document = _post_form(request, public_id)
    form = form_class(request.POST, document=document)
    if not form.is_valid():
        messages.error(request, invalid)
        return redirect(document)
    data = form.cleaned_data
    try:
        with page_once(request, data.pop(KEY_FIELD), fallback=document.get_absolute_url()) as s:
            row = create(document=document, by=request.user, **data)
            s.created(row, url=document.get_absolute_url())
    except InputError as error:
        return _refuse(request, error, document)
    messages.success(request, done)
    return redirect(document)


@require_POST
def invite(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _add_to_document(
        request, public_id, forms.InviteForm, services.contribution_invite,
        invalid=_("Välj en part och skriv vad den ombeds bidra med."),
        done=_("Parten är inbjuden."),
    )  # fmt: skip


def contribution(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The party's own part: what is asked of it, its text, and marking it done."""
    item = access.get_contribution(request.user, public_id)
    document = item.document
    form = forms.ContributionForm(
        request.POST or None, initial={"text": item.text, "done": item.is_done}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.contribution_write(contribution=item, by=request.user, **form.cleaned_data)
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Ert bidrag är sparat."))
            return redirect("documents:contribution", item.public_id)
    return render(
        request, "documents/contribution_form.html",
        {"contribution": item, "document": document, "form": form},
        status=400 if request.method == "POST" else 200,
    )  # fmt: skip


@require_POST
def consultation(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _add_to_document(
        request, public_id, forms.ConsultationForm, services.consultation_record,
        invalid=_("Ange part, datum, deltagare och vad som sades."),
        done=_("Samrådet är registrerat."),
    )  # fmt: skip


def cycle(request: HttpRequest, slug: str) -> HttpResponse:
    """The municipality's cycle: the coordination function and when the next documents
    are due (its coordinators set the dates)."""
    membership = access.get_municipality(request.user, slug)
    organisation = membership.organisation
    current = LawCycle.objects.filter(organisation=organisation).first()
    form = forms.CycleForm(request.POST or None, initial={
        "next_lagesbild_due": current.next_lagesbild_due if current else None,
        "next_action_plan_due": current.next_action_plan_due if current else None,
        "remind_days": current.remind_days if current else 30,
    })  # fmt: skip
    if request.method == "POST":
        access.get_municipality(request.user, slug, role=Role.COORDINATOR)
        if form.is_valid():
            services.cycle_save(organisation=organisation, by=request.user, **form.cleaned_data)
            messages.success(request, _("Datumen är sparade."))
            return redirect("documents:cycle", slug)
    return render(request, "documents/cycle.html", {
        "organisation": organisation, "form": form, "cycle": current,
        "function": CoordinationFunction.objects.filter(organisation=organisation)
        .select_related("holder").first(),
        "can_coordinate": membership.has_role(Role.COORDINATOR),
        "is_admin": membership.has_role(Role.ADMIN),
    }, status=400 if request.method == "POST" else 200)  # fmt: skip
