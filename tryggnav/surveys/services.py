"""Writing survey data: every change is audited; imports are all or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tryggnav.audit.models import AuditEntry
from tryggnav.audit.services import (
    audit_create,
    audit_delete,
    audit_record,
    audit_update,
    snapshot,
)
from tryggnav.lib.errors import InputError
from tryggnav.lib.imports import Policy, write_rows
from tryggnav.organisations.models import Organisation
from tryggnav.surveys.importers import ParsedFile, SurveyResultRecord, parse_results
from tryggnav.surveys.models import Indicator, Result, Survey

RESULT_FIELDS = (
    "unit_type",
    "unit_code",
    "unit_name",
    "municipality_id",
    "county_id",
    "group",
    "estimate",
    "n",
    "se",
    "deff",
    "ci_low",
    "ci_high",
    "is_generated",
    "note",
)


def survey_create(
    *,
    organisation: Organisation,
    by: Any,
    provider: str,
    name: str,
    year: int,
    source: str = "",
    is_internal: bool = False,
    is_generated: bool = False,
    is_demo: bool = False,
) -> Survey:
    survey = Survey.objects.create(
        organisation=organisation,
        provider=provider,
        name=name,
        year=year,
        source=source,
        is_internal=is_internal,
        is_generated=is_generated,
        is_demo=is_demo,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit_create(actor=by, obj=survey, organisation=organisation)
    return survey


def survey_delete(*, survey: Survey, by: Any) -> None:
    audit_delete(actor=by, obj=survey, organisation=survey.organisation)
    survey.delete()


def indicator_create(
    *, survey: Survey, by: Any, name: str, question: str = "", higher_is_better: bool = True
) -> Indicator:
    indicator = Indicator.objects.create(
        survey=survey, name=name, question=question, higher_is_better=higher_is_better
    )
    audit_create(actor=by, obj=indicator, organisation=survey.organisation)
    return indicator


def result_save(
    *, indicator: Indicator, by: Any, values: dict[str, Any], result: Result | None = None
) -> Result:
    """Create a result, or change ``result``; ``values`` are Result fields (RESULT_FIELDS)."""
    organisation = indicator.survey.organisation
    if result is None:
        result = Result.objects.create(indicator=indicator, **values)
        audit_create(actor=by, obj=result, organisation=organisation)
        return result
    before = snapshot(result)
    for name, value in values.items():
        setattr(result, name, value)
    result.save()
    audit_update(actor=by, obj=result, before=before, organisation=organisation)
    return result


def result_delete(*, result: Result, by: Any) -> None:
    audit_delete(actor=by, obj=result, organisation=result.indicator.survey.organisation)
    result.delete()


@dataclass
class ResultImportSummary:
    surveys: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    percent: bool = False

    def __str__(self) -> str:
        scale = "procent" if self.percent else "andelar"
        scale_en = "percentages" if self.percent else "shares"
        return (
            f"{self.surveys} undersökningar; {self.created} resultat skapade, {self.updated} "
            f"uppdaterade, {self.unchanged} oförändrade (andelarna lästes som {scale})"
            f" / {self.surveys} surveys; {self.created} results created, {self.updated} updated,"
            f" {self.unchanged} unchanged (estimates read as {scale_en})"
        )


def survey_results_import(
    *,
    path: Path,
    organisation: Organisation,
    by: Any,
    filename: str | None = None,
    is_internal: bool = False,
    parsed: ParsedFile | None = None,
) -> ResultImportSummary:
    """Import a results file for ``organisation``: validate every row first (InputError
    naming file, row and field), then write everything in one transaction. Surveys are
    matched on (organisation, provider, name, year), indicators on their name, results
    on (unit type, unit code, group); importing the same file again changes nothing."""
    parsed = parsed or parse_results(path, filename=filename)
    parsed.raise_if_problems()
    summary = ResultImportSummary(percent=parsed.percent)
    sink = _ResultSink(
        organisation=organisation,
        by=by,
        source=f"Import: {parsed.filename}",
        is_internal=is_internal,
        summary=summary,
    )
    write_rows(
        [row.as_row() for row in parsed.rows],
        sink=sink,
        policy=Policy.ALL_OR_NOTHING,
        audit=lambda report: sink.audit(note_file=parsed.filename),
    )
    return summary


class _ResultSink:
    """Writes result records, creating their surveys and indicators on first sight."""

    def __init__(
        self,
        *,
        organisation: Organisation,
        by: Any,
        source: str,
        is_internal: bool,
        summary: ResultImportSummary,
    ) -> None:
        self.organisation, self.by, self.source = organisation, by, source
        self.is_internal, self.summary = is_internal, summary
        self.surveys: dict[tuple, Survey] = {}
        self.indicators: dict[tuple, Indicator] = {}

    def write(self, records: list[SurveyResultRecord]) -> None:
        for record in records:
            indicator = self._indicator(self._survey(record), record)
            self._result(indicator, record)

    def finish(self) -> None:
        self.summary.surveys = len(self.surveys)

    def audit(self, *, note_file: str) -> None:
        for survey in self.surveys.values():
            audit_record(
                actor=self.by,
                action=AuditEntry.Action.IMPORT,
                obj=survey,
                organisation=self.organisation,
                note=f"{note_file}: {self.summary}",
            )

    def _survey(self, record: SurveyResultRecord) -> Survey:
        key = (record.provider, record.survey, record.year)
        survey = self.surveys.get(key)
        if survey is None:
            survey = Survey.objects.filter(
                organisation=self.organisation,
                provider=record.provider,
                name=record.survey,
                year=record.year,
            ).first() or survey_create(
                organisation=self.organisation,
                by=self.by,
                provider=record.provider,
                name=record.survey,
                year=record.year,
                source=self.source,
                is_internal=self.is_internal,
            )
            self.surveys[key] = survey
        return survey

    def _indicator(self, survey: Survey, record: SurveyResultRecord) -> Indicator:
        key = (survey.pk, record.indicator)
        indicator = self.indicators.get(key)
        if indicator is None:
            indicator = Indicator.objects.filter(
                survey=survey, name=record.indicator
            ).first() or indicator_create(
                survey=survey, by=self.by, name=record.indicator, question=record.question
            )
            self.indicators[key] = indicator
        return indicator

    def _result(self, indicator: Indicator, record: SurveyResultRecord) -> None:
        values = record.result_values()
        existing = Result.objects.filter(
            indicator=indicator,
            unit_type=record.unit_type,
            unit_code=record.unit_code,
            group=record.group,
        ).first()
        if existing is None:
            Result.objects.create(indicator=indicator, **values)
            self.summary.created += 1
        elif all(getattr(existing, k) == value for k, value in values.items()):
            self.summary.unchanged += 1
        else:
            for name, value in values.items():
                setattr(existing, name, value)
            existing.save()
            self.summary.updated += 1


__all__ = ["InputError", "survey_results_import"]
