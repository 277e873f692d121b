"""The minutes of a weekly meeting: figures first, then the Word/PDF document from them.

``minutes_figures`` collects what the minutes show as JSON-ready data, with every
"overdue" judged as of the meeting date, not the day of the download. Closing a meeting
stores the figures as a ``MinutesVersion``; downloads of a closed meeting are built from
its stored figures, so they stay the same however the actions change afterwards. The
summary is stored in Swedish and English, so each reader gets their own language.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from tryggnav.incidents.weeks import IsoWeek
from tryggnav.lagesbild import maps
from tryggnav.lagesbild.alerts import METHOD_LABELS
from tryggnav.lagesbild.models import Action, Focus, Meeting, MinutesVersion
from tryggnav.lagesbild.picture import Scope, compile_lagesbild
from tryggnav.lagesbild.summary import summary_lines
from tryggnav.lib import documents, numbers

LANGUAGES = ("sv", "en")


def meeting_date(meeting: Meeting) -> datetime.date:
    """The day the meeting was (or will be) held: the reference for "overdue"."""
    return meeting.held_on or meeting.monday + datetime.timedelta(weeks=1)


def minutes_figures(meeting: Meeting) -> dict[str, Any]:
    """What the minutes of ``meeting`` show, computed now."""
    # Imported here: services imports this module to store a version on closing.
    from tryggnav.lagesbild.services import open_actions_before

    week = IsoWeek(meeting.iso_year, meeting.iso_week)
    scope = Scope.for_group(meeting.group)
    picture = compile_lagesbild(scope=scope, week=week, with_coverage=True)
    summary = {}
    for language in LANGUAGES:
        with translation.override(language):
            summary[language] = summary_lines(picture)
    as_of = meeting_date(meeting)
    return {
        "as_of": as_of.isoformat(),
        "attendees": meeting.attendees,
        "notes": meeting.notes,
        "summary": summary,
        "alerts": [
            {
                "area": r.area_name,
                "category": r.category_name,
                "count": r.count,
                "upper_bound": r.upper_bound,
                "method": r.result.method if r.result else "none",
            }
            for r in picture.alerts
        ],
        "hotspots": len(maps.hotspot_cells(scope=scope, week=week)),
        "carried": [_action(a, as_of) for a in open_actions_before(meeting)],
        "decided": [
            _action(a, as_of)
            for a in meeting.actions.select_related("organisation", "area").order_by("created")
        ],
        "focuses": [
            {"kind": f.kind, "description": f.description}
            for f in meeting.focuses.select_related("area")
        ],
    }


def _action(action: Action, as_of: datetime.date) -> dict[str, Any]:
    return {
        "paragraph": action.paragraph_label,
        "what": action.what,
        "where": action.area.display_name if action.area else action.place_text,
        "who": action.organisation.name,
        "due": action.due.isoformat(),
        "status": action.status,
        "overdue": action.is_overdue(as_of),
    }


def store_version(meeting: Meeting, *, by: Any) -> MinutesVersion:
    """Freeze the minutes as they stand: called when the meeting is closed."""
    figures = minutes_figures(meeting)
    with transaction.atomic():
        # Lock the meeting so two closings cannot take the same number.
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        last = meeting.minutes.aggregate(last=Max("number"))["last"] or 0
        return MinutesVersion.objects.create(
            meeting=meeting,
            number=last + 1,
            figures=figures,
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )


def figures_for_download(meeting: Meeting) -> dict[str, Any]:
    """The latest stored version of a closed meeting; a meeting not closed yet is live."""
    version = meeting.minutes.first()
    if version is not None and meeting.status == Meeting.Status.HELD:
        return version.figures
    return minutes_figures(meeting)


# --- The document ------------------------------------------------------------------------


def minutes_document(meeting: Meeting, figures: dict[str, Any]) -> documents.Document:
    group = meeting.group
    doc = documents.Document(
        title=_("Minnesanteckningar, %(group)s vecka %(w)s")
        % {"group": group.name, "w": meeting.iso_week},
        subtitle=_("Veckomöte om lägesbilden vecka %(w)s %(y)s")
        % {"w": meeting.iso_week, "y": meeting.iso_year},
        organisation=group.lead_organisation.name,
        date=datetime.date.fromisoformat(figures["as_of"]),
        is_demo=group.is_demo or meeting.is_generated,
    )
    if figures["attendees"]:
        doc.add(documents.Paragraph(_("Deltagare: %(a)s") % {"a": figures["attendees"]}))
    for section in (_picture, _carried, _decided, _focus, _notes):
        section(doc, figures)
    return doc


def _picture(doc: documents.Document, figures: dict[str, Any]) -> None:
    doc.add(documents.Heading(_("1. Lägesbilden"), 2))
    summary = figures["summary"]
    doc.add(documents.BulletList(summary.get(translation.get_language(), summary["sv"])))
    if figures["alerts"]:
        doc.add(
            documents.Table(
                columns=[_("Område"), _("Kategori"), _("Antal"), _("Övre gräns"), _("Metod")],
                rows=[
                    [
                        a["area"],
                        a["category"],
                        a["count"],
                        _number(a["upper_bound"]),
                        str(METHOD_LABELS.get(a["method"], a["method"])),
                    ]
                    for a in figures["alerts"]
                ],
                numeric=frozenset({2, 3}),
                caption=_("Larm"),
            )
        )
    if figures["hotspots"]:
        doc.add(
            documents.Paragraph(
                _("%(n)s hot-spots (Gi*, FDR) de senaste fyra veckorna.")
                % {"n": figures["hotspots"]}
            )
        )


def _carried(doc: documents.Document, figures: dict[str, Any]) -> None:
    doc.add(documents.Heading(_("2. Uppföljning av tidigare åtgärder"), 2))
    carried = figures["carried"]
    if not carried:
        doc.add(documents.Paragraph(_("Inga öppna åtgärder från tidigare möten."), "muted"))
        return
    statuses = dict(Action.Status.choices)
    doc.add(
        documents.Table(
            columns=[_("Åtgärd"), _("Var"), _("Vem"), _("Klart senast"), _("Status")],
            rows=[
                [
                    _with_paragraph(a),
                    a["where"] or "–",
                    a["who"],
                    a["due"],
                    str(statuses.get(a["status"], a["status"]))
                    + (" – " + _("FÖRSENAD") if a["overdue"] else ""),
                ]
                for a in carried
            ],
            highlight_rows=frozenset(i for i, a in enumerate(carried) if a["overdue"]),
        )
    )


def _with_paragraph(action: dict[str, Any]) -> str:
    """The action with its paragraph first ("§ 3 …"); stored versions from before
    paragraphs were numbered carry none."""
    paragraph = action.get("paragraph")
    return f"{paragraph} {action['what']}" if paragraph else action["what"]


def _decided(doc: documents.Document, figures: dict[str, Any]) -> None:
    doc.add(documents.Heading(_("3. Beslut: åtgärder"), 2))
    if not figures["decided"]:
        doc.add(documents.Paragraph(_("Inga nya åtgärder beslutades."), "muted"))
        return
    doc.add(
        documents.Table(
            columns=["§", _("Åtgärd"), _("Var"), _("Vem"), _("Klart senast")],
            rows=[
                [a.get("paragraph") or "–", a["what"], a["where"] or "–", a["who"], a["due"]]
                for a in figures["decided"]
            ],
        )
    )


def _focus(doc: documents.Document, figures: dict[str, Any]) -> None:
    kinds = dict(Focus.Kind.choices)
    doc.add(documents.Heading(_("4. Fokus nästa vecka"), 2))
    doc.add(
        documents.BulletList(
            [f"{kinds.get(f['kind'], f['kind'])}: {f['description']}" for f in figures["focuses"]]
            or [_("Inget fokus valt.")]
        )
    )


def _notes(doc: documents.Document, figures: dict[str, Any]) -> None:
    if figures["notes"]:
        doc.add(documents.Heading(_("Övrigt"), 2))
        doc.add(documents.Paragraph(figures["notes"]))


def _number(value: float | None) -> str:
    return numbers.number(value, 1)


def minutes_response(meeting: Meeting, *, fmt: str) -> HttpResponse:
    return documents.document_response(
        minutes_document(meeting, figures_for_download(meeting)),
        fmt=fmt,
        filename=f"minnesanteckningar-{meeting.group.slug}-{meeting.week_label}",
    )
