"""The documents as pages and as Word/PDF (``tryggnav.lib.documents.Document``), from the
frozen figures, the coordinator's texts, the parties' contributions and the recorded
consultations, in that order; and the difference between two versions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from tryggnav.documents import figures as figures_module
from tryggnav.documents import sections
from tryggnav.documents.models import Kind, LawDocument, Status
from tryggnav.lib import numbers
from tryggnav.lib.diarium import AppendixChoice
from tryggnav.lib.documents import (
    Appendix,
    Block,
    BulletList,
    Chart,
    Document,
    Heading,
    Paragraph,
    Registry,
    Table,
)
from tryggnav.programmes.reports.common import paragraphs


def figures_of(document: LawDocument) -> Any:
    if document.kind == Kind.LAGESBILD:
        return figures_module.load_lagesbild(document.figures)
    return figures_module.load_action_plan(document.figures)


@dataclass
class PageSection:
    key: str
    title: str
    level: int
    blocks: list[Block]
    text: str

    @property
    def items(self) -> list[tuple[str, Block]]:
        """The blocks with their kind ("table", "chart", "paragraph", "bullets") for the
        page's template."""
        kinds = {Table: "table", Chart: "chart", Paragraph: "paragraph", BulletList: "bullets"}
        return [(kinds.get(type(b), "other"), b) for b in self.blocks]


def page_sections(document: LawDocument) -> list[PageSection]:
    figures = figures_of(document)
    return [
        PageSection(d.key, _(d.title), d.level, d.blocks(figures), document.texts.get(d.key, ""))
        for d in sections.definitions(document.kind)
    ]


def decision_text(document: LawDocument) -> str:
    if document.status not in (Status.DECIDED, Status.SUPERSEDED) or not document.decided_on:
        return ""
    parts = [
        _("Beslutad av %(body)s %(date)s") % {
            "body": document.decided_body, "date": document.decided_on.isoformat(),
        },
    ]  # fmt: skip
    if document.decision_paragraph:
        parts.append(document.decision_paragraph)
    if document.registry_number:
        parts.append(_("dnr %(n)s") % {"n": document.registry_number})
    return ", ".join(parts) + "."


def _head(document: LawDocument) -> list[Block]:
    blocks: list[Block] = [
        Paragraph(
            _("Version %(n)s, %(status)s.") % {
                "n": document.number, "status": document.get_status_display().lower(),
            },
            "muted",
        )
    ]  # fmt: skip
    decided = decision_text(document)
    if decided:
        blocks.append(Paragraph(decided))
    return blocks


def _registry(document: LawDocument) -> Registry | None:
    """The header block for the diarium: the registry fields as the coordinator gave them."""
    fields = (document.registry_number, document.handler, document.decided_body)
    if not any(fields) and not document.decided_on:
        return None
    return Registry(
        diarienummer=document.registry_number,
        handlaggare=document.handler,
        datum=document.decided_on,
        organ=document.decided_body,
    )


def _appendices(document: LawDocument) -> list[Appendix]:
    """An åtgärdsplan carries the lägesbild version it was decided on as its appendix."""
    return [choice.build() for choice in appendix_choices(document)]


def appendix_choices(document: LawDocument) -> list[AppendixChoice]:
    """The reports the diarium form offers as appendices: an åtgärdsplan's lägesbild."""
    base = document.based_on
    if document.is_lagesbild or base is None:
        return []
    label = f"{base.title} ({_('version')} {base.number})"
    return [
        AppendixChoice(
            f"lagesbild-{base.public_id}",
            label,
            lambda: Appendix(title=label, document=as_document(base)),
        )
    ]


def _contributions(document: LawDocument) -> list[Block]:
    contributions = list(document.contributions.select_related("organisation"))
    if not contributions:
        return []
    # 4 §: the parties' own knowledge is part of the other relevant information.
    blocks: list[Block] = [Heading(_("Parternas bidrag"), 2)]
    for c in contributions:
        blocks.append(Heading(c.organisation.name, 3))
        blocks += paragraphs(c.text) or [Paragraph(_("Bidraget saknas."), "note")]
    return blocks


def _consultations(document: LawDocument) -> list[Block]:
    rows = [
        [c.held_on.isoformat(), c.party, c.participants, c.summary]
        for c in document.consultations.select_related("organisation")
    ]
    if not rows:
        return []
    return [
        Heading(_("Samråd")),
        Table([_("Datum"), _("Part"), _("Deltagare"), _("Vad som sades")], rows),
    ]


def as_document(document: LawDocument) -> Document:
    """The version as a Word/PDF document: the decision fields as the header block, the
    proposal as "Förslag till beslut", and an åtgärdsplan's lägesbild as its appendix."""
    result = Document(
        title=document.title,
        subtitle=_("%(kind)s enligt lag (2023:196), %(period)s") % {
            "kind": document.get_kind_display(), "period": document.period_label,
        },
        organisation=document.organisation.name,
        date=document.decided_on or document.created.date(),
        is_demo=document.is_demo,
        registry=_registry(document),
        proposal=[p.text for p in paragraphs(document.proposal)],
        appendices=_appendices(document),
    )  # fmt: skip
    result.add(*_head(document))
    for section in page_sections(document):
        result.add(Heading(section.title, section.level), *section.blocks)
        result.add(*paragraphs(section.text))
        if section.key == "annan_information":
            result.add(*_contributions(document))
    if not document.is_lagesbild:
        result.add(*_contributions(document))
    result.add(*_consultations(document))
    return result


# --- the difference between two versions ---------------------------------------------------


@dataclass(frozen=True)
class Change:
    section: str
    label: str
    old: str
    new: str


def _lagesbild_values(f: figures_module.LagesbildFigures) -> dict[tuple[str, str], str]:
    values: dict[tuple[str, str], str] = {}
    values[("omfattning", _("Folkmängd"))] = numbers.number(f.population)
    for o in f.official:
        values[("omfattning", f"Brå: {o.offence} {o.year}")] = numbers.number(o.count)
    for p in f.police:
        values[("omfattning", _("Polisen: %(g)s") % {"g": sections._police_label(p.group)})] = (
            numbers.number(p.now)
        )
    for g in f.partners:
        values[("omfattning", _("Partner: %(g)s") % {"g": g.group})] = numbers.number(g.now)
    for a in f.areas:
        values[("platser", f"{a.area} ({a.group})")] = numbers.number(a.n)
    for s in f.surveys:
        values[("annan_information", f"{s.survey} {s.year}: {s.indicator}, {s.unit}")] = (
            numbers.percent(100 * s.estimate, 1)
        )
    for c in f.coverage:
        values[("annan_information", f"{c.group}: {c.organisation}")] = (
            f"{c.reported} / {c.expected}"
        )
    return values


def _plan_values(f: figures_module.ActionPlanFigures) -> dict[tuple[str, str], str]:
    return {("atgarder", m.title): sections.status_text(m) for m in f.measures}


def _values(document: LawDocument) -> dict[tuple[str, str], str]:
    f = figures_of(document)
    values = _lagesbild_values(f) if document.kind == Kind.LAGESBILD else _plan_values(f)
    for key in sections.keys(document.kind):
        if document.texts.get(key):
            values[(key, _("Text"))] = document.texts[key]
    return values


def diff_versions(old: LawDocument, new: LawDocument) -> list[Change]:
    """What differs between two versions: every figure and text that was added, removed
    or changed, in the order of the sections."""
    before, after = _values(old), _values(new)
    order = {k: i for i, k in enumerate(sections.keys(new.kind))}
    changes = [
        Change(section, label, before.get((section, label), "–"), after.get((section, label), "–"))
        for section, label in set(before) | set(after)
        if before.get((section, label)) != after.get((section, label))
    ]
    titles = {d.key: _(d.title) for d in sections.definitions(new.kind)}
    changes.sort(key=lambda c: (order.get(c.section, 99), c.label))
    return [Change(titles.get(c.section, c.section), c.label, c.old, c.new) for c in changes]
