"""Assessors' scores side by side: per criterion each assessor's score, the mean, the
spread (highest less lowest) and the weighted total per assessor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tryggnav.fund.models import Application, Assessment, Score


@dataclass
class Row:
    criterion: Any
    scores: list[Score | None]

    @property
    def given(self) -> list[int]:
        return [s.score for s in self.scores if s is not None]

    @property
    def mean(self) -> float | None:
        return sum(self.given) / len(self.given) if self.given else None

    @property
    def spread(self) -> int | None:
        return max(self.given) - min(self.given) if self.given else None


@dataclass
class ScoreTable:
    assessments: list[Assessment]
    conflicts: list[Assessment]
    rows: list[Row]

    def weighted(self) -> list[float | None]:
        """Each assessor's weighted mean score (0–5), None until they have scored."""
        out: list[float | None] = []
        total_weight = sum(r.criterion.weight for r in self.rows) or 1
        for index, _a in enumerate(self.assessments):
            scores = [r.scores[index] for r in self.rows]
            if any(s is None for s in scores):
                out.append(None)
                continue
            out.append(
                sum(r.criterion.weight * s.score for r, s in zip(self.rows, scores, strict=True))  # type: ignore[union-attr]
                / total_weight
            )
        return out


def score_table(application: Application) -> ScoreTable:
    assessments = list(application.assessments.select_related("assessor").order_by("pk"))
    active = [a for a in assessments if not a.conflict]
    by_key = {
        (s.assessment_id, s.criterion_id): s for s in Score.objects.filter(assessment__in=active)
    }
    rows = [
        Row(criterion=c, scores=[by_key.get((a.pk, c.pk)) for a in active])
        for c in application.call.criteria.all()
    ]
    return ScoreTable(
        assessments=active, conflicts=[a for a in assessments if a.conflict], rows=rows
    )
