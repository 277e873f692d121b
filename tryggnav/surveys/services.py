"""Writing survey data: every change is audited; imports are all or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from tryggnav.audit.models import AuditEntry
from tryggnav.audit.services import (
    audit_create,
    audit_delete,
    audit_record,
    audit_update,
    snapshot,
)
from tryggnav.lib.errors import InputError
from tryggnav.organisations.models import Organisation
from tryggnav.surveys.importers import ParsedFile, parse_results
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
    with transaction.atomic():
        surveys: dict[tuple, Survey] = {}
        indicators: dict[tuple, Indicator] = {}
        for row in parsed.rows:
            v = row.values
            survey_key = (v["provider"], v["survey"], v["year"])
            survey = surveys.get(survey_key)
            if survey is None:
                survey = Survey.objects.filter(
                    organisation=organisation,
                    provider=v["provider"],
                    name=v["survey"],
                    year=v["year"],
                ).first()
                if survey is None:
                    survey = survey_create(
                        organisation=organisation,
                        by=by,
                        provider=v["provider"],
                        name=v["survey"],
                        year=v["year"],
                        source=f"Import: {parsed.filename}",
                        is_internal=is_internal,
                    )
                surveys[survey_key] = survey
            indicator_key = (survey.pk, v["indicator"])
            indicator = indicators.get(indicator_key)
            if indicator is None:
                indicator = Indicator.objects.filter(survey=survey, name=v["indicator"]).first()
                if indicator is None:
                    indicator = indicator_create(
                        survey=survey, by=by, name=v["indicator"], question=v["question"]
                    )
                indicators[indicator_key] = indicator
            values = {
                "unit_type": v["unit_type"],
                "unit_code": v["unit_code"],
                "unit_name": v["unit_name"],
                "municipality_id": v["municipality_code"],
                "county_id": v["county_code"],
                "group": v["group"],
                "estimate": v["estimate"],
                "n": v["n"],
                "se": v["se"],
                "deff": v["deff"],
                "ci_low": v["ci_low"],
                "ci_high": v["ci_high"],
                "note": v["note"],
            }
            existing = Result.objects.filter(
                indicator=indicator,
                unit_type=v["unit_type"],
                unit_code=v["unit_code"],
                group=v["group"],
            ).first()
            if existing is None:
                Result.objects.create(indicator=indicator, **values)
                summary.created += 1
            elif all(getattr(existing, k) == value for k, value in values.items()):
                summary.unchanged += 1
            else:
                for name, value in values.items():
                    setattr(existing, name, value)
                existing.save()
                summary.updated += 1
        summary.surveys = len(surveys)
        for survey in surveys.values():
            audit_record(
                actor=by,
                action=AuditEntry.Action.IMPORT,
                obj=survey,
                organisation=organisation,
                note=f"{parsed.filename}: {summary}",
            )
    return summary


__all__ = ["InputError", "survey_results_import"]
