"""The protocol of a safety walk: every point with its theme, note, how unsafe it felt,
and the deficiency's owner and status as they are now (so the protocol follows the
fixes). One set of rows feeds the Word/PDF document (for the walk's participants) and
the public web page.

The public version holds no personal data: no names, no e-mail addresses, no
note about the residents; notes are masked by ``lib.screening`` (personnummer, phone
numbers, e-mail addresses, plates); a photo only when a coordinator has screened it
(``WalkPoint.photo_public``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _

from tryggnav.inspections.walk_models import Theme, Walk, WalkPoint
from tryggnav.lib import documents, numbers
from tryggnav.lib.screening import screen


@dataclass(frozen=True)
class ProtocolRow:
    number: int
    point: WalkPoint
    theme: str
    note: str
    unsafe: int | None
    owner: str  # "" when not a deficiency (or not yet routed)
    status: str  # "" when not a deficiency
    is_deficiency: bool
    fixed: bool
    photo: bool  # a photo the reader may see


def protocol_rows(walk: Walk, *, public: bool) -> list[ProtocolRow]:
    rows = []
    points = walk.points.select_related("deficiency__owner").order_by("recorded", "pk")
    for number, p in enumerate(points, start=1):
        d = p.deficiency
        note = screen(p.note).masked if public else p.note
        owner = (d.owner.name if d.owner else _("Ingen ägare (att fördela)")) if d else ""
        rows.append(ProtocolRow(
            number=number, point=p, theme=p.get_theme_display(), note=note, unsafe=p.unsafe,
            owner=owner, status=d.get_status_display() if d else "", is_deficiency=d is not None,
            fixed=d is not None and d.status in ("atgardad", "verifierad"),
            photo=bool(p.photo) and (p.photo_public or not public),
        ))  # fmt: skip
    return rows


def theme_counts(rows: list[ProtocolRow]) -> list[tuple[str, int]]:
    counts = Counter(r.point.theme for r in rows)
    return [(str(t.label), counts[t.value]) for t in Theme if counts[t.value]]


def _facts(walk: Walk, rows: list[ProtocolRow], *, public: bool) -> list[documents.Block]:
    invited = ", ".join(o.name for o in walk.invited.order_by("name")) or "–"
    items = [
        f"{_('Datum')}: {walk.date.isoformat()}",
        f"{_('Område')}: {walk.area.name}",
        f"{_('Sammankallande')}: {walk.organisation.name}",
        f"{_('Inbjudna organisationer')}: {invited}",
        f"{_('Antal boende som deltog')}: {numbers.number(walk.residents_count)}",
        f"{_('Teman')}: {', '.join(walk.theme_labels())}",
    ]
    if walk.residents_note and not public:
        items.append(f"{_('Om de boende')}: {walk.residents_note}")
    fixed = sum(r.fixed for r in rows)
    made = sum(r.is_deficiency for r in rows)
    summary = _("%(points)s punkter, varav %(made)s har blivit brister och %(fixed)s är åtgärdade.") % {
        "points": numbers.number(len(rows)), "made": numbers.number(made),
        "fixed": numbers.number(fixed),
    }  # fmt: skip
    return [documents.BulletList(items), documents.Paragraph(summary)]


def protocol_document(walk: Walk, *, public: bool = False) -> documents.Document:
    rows = protocol_rows(walk, public=public)
    doc = documents.Document(
        title=_("Protokoll från trygghetsvandring"), subtitle=walk.title,
        organisation=walk.organisation.name, date=walk.date, is_demo=walk.is_demo,
    )  # fmt: skip
    doc.add(documents.Heading(_("Vandringen")), *_facts(walk, rows, public=public))
    doc.add(documents.Heading(_("Punkter per tema")),
            documents.Table([_("Tema"), _("Punkter")], theme_counts(rows), numeric=frozenset({1})))  # fmt: skip
    columns = [
        _("Nr"),
        _("Tema"),
        _("Anteckning"),
        _("Otrygghet (1–5)"),
        _("Ansvarig"),
        _("Status"),
    ]
    table = [[r.number, r.theme, r.note or "–", r.unsafe, r.owner or "–",
              r.status or _("Ingen brist")] for r in rows]  # fmt: skip
    doc.add(documents.Heading(_("Alla punkter")),
            documents.Table(columns, table, numeric=frozenset({0, 3})))  # fmt: skip
    if not rows:
        doc.add(documents.Paragraph(_("Inga punkter är registrerade."), "note"))
    return doc
