"""The law report's safety walks, under "Annan relevant information": how many walks in
the period and area, the points by theme and how many of the deficiencies are fixed
(figures from ``inspections.walk_figures``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tryggnav.inspections.walk_figures import WalkFigures
from tryggnav.inspections.walk_models import Theme
from tryggnav.lib import numbers
from tryggnav.lib.documents import Block, Heading, Paragraph, Table


def walks_blocks(walks: WalkFigures | None) -> list[Block]:
    if walks is None or not walks.walks:
        return []
    share = numbers.percent(100 * walks.share_fixed) if walks.share_fixed is not None else "–"
    text = _(
        "%(walks)s trygghetsvandringar med %(points)s noterade punkter. %(made)s punkter har "
        "blivit brister; %(fixed)s av dem är åtgärdade (%(share)s)."
    ) % {
        "walks": numbers.number(walks.walks), "points": numbers.number(walks.points),
        "made": numbers.number(walks.deficiencies), "fixed": numbers.number(walks.fixed),
        "share": share,
    }  # fmt: skip
    labels = dict(Theme.choices)
    rows = [
        [str(labels[t.theme]), t.points, t.deficiencies, t.fixed,
         numbers.number(t.mean_unsafe, 1) if t.mean_unsafe is not None else "–"]
        for t in walks.by_theme
    ]  # fmt: skip
    columns = [_("Tema"), _("Punkter"), _("Brister"), _("Åtgärdade"), _("Otrygghet (1–5), medel")]
    return [
        Heading(_("Trygghetsvandringar"), 2),
        Paragraph(text),
        Table(columns, rows, numeric=frozenset({1, 2, 3, 4})),
    ]
