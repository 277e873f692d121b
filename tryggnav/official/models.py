"""Official statistics beside the police feed: Brå's reported crimes, Kolada key
figures and the fire service's call-outs (MSB's IDA), per municipality.

Each row belongs to the import that wrote it last (``OfficialImport``); a row is
unique by its municipality, period and breakdown, so importing a newer export of
the same figures replaces them. Reading: members of an organisation whose home
municipality it is; importing: that municipality's coordinator or admin
(``official/access.py``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OfficialImport(models.Model):
    class Source(models.TextChoices):
        BRA = "bra", _("Brå, anmälda brott")
        KOLADA = "kolada", _("Kolada, nyckeltal")
        IDA = "ida", _("MSB IDA, räddningstjänstens insatser")

    source = models.CharField(_("källa"), max_length=10, choices=Source.choices)
    filename = models.CharField(_("fil"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        "areas.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kommun"),
    )
    rows = models.PositiveIntegerField(_("rader"), default=0)
    imported_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_demo = models.BooleanField(_("demodata"), default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("import av officiell statistik")
        verbose_name_plural = _("importer av officiell statistik")

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.filename or '-'} ({self.rows})"


class ReportedCrime(models.Model):
    """Brå: crimes reported in a municipality in a year (quarter 0) or a quarter (1-4),
    by offence group, counted by the date of report."""

    municipality = models.ForeignKey(
        "areas.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    quarter = models.PositiveSmallIntegerField(_("kvartal"), default=0)
    offence = models.CharField(_("brottstyp"), max_length=200)
    count = models.PositiveIntegerField(_("antal"), null=True, blank=True)
    source_import = models.ForeignKey(OfficialImport, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["municipality_id", "year", "quarter", "offence"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "quarter", "offence"],
                name="official_reportedcrime_unique",
            )
        ]


class KoladaValue(models.Model):
    """Kolada: one key figure's value for a municipality, year and gender (T, K, M)."""

    kpi = models.CharField(_("nyckeltal"), max_length=20)
    kpi_title = models.CharField(_("nyckeltalets namn"), max_length=300, blank=True)
    municipality = models.ForeignKey(
        "areas.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    gender = models.CharField(_("kön"), max_length=1, default="T")
    value = models.FloatField(_("värde"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=40, blank=True)
    source_import = models.ForeignKey(OfficialImport, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["kpi", "municipality_id", "year", "gender"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "municipality", "year", "gender"],
                name="official_koladavalue_unique",
            )
        ]


class CallOut(models.Model):
    """MSB IDA: the fire service's call-outs in a municipality in a year, by event type."""

    municipality = models.ForeignKey(
        "areas.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    event_type = models.CharField(_("händelsetyp"), max_length=200)
    count = models.PositiveIntegerField(_("antal"), null=True, blank=True)
    source_import = models.ForeignKey(OfficialImport, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["municipality_id", "year", "event_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "event_type"], name="official_callout_unique"
            )
        ]
