"""Swedish sentences that state what the survey figures support, and no more.

"signifikant" only where the test says so, "ingen säkerställd skillnad" where it
does not, and "kan inte kontrolleras utifrån de publicerade siffrorna" where the
source does not publish what a test needs. Numbers in Swedish style: decimal comma,
"63 %", "59–68 %", "p = 0,01".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from tryggnav.lib import numbers
from tryggnav.surveys.analysis import Basis, Outcome, Verdict

if TYPE_CHECKING:
    from tryggnav.surveys.analysis import ClaimCheck, Comparison, LeagueRow, Uncertainty


def number(value: float, decimals: int = 0) -> str:
    """A number in the reader's language (tryggnav.lib.numbers): 1 234,5 or 1,234.5."""
    return numbers.number(value, decimals)


def pct_value(share: float) -> str:
    """A share as a percentage without the sign: whole numbers, one decimal if published so."""
    value = round(share * 100, 1)
    decimals = 0 if value == round(value) else 1
    return number(value, decimals)


def pct(share: float) -> str:
    return f"{pct_value(share)} %"


def points(difference: float) -> str:
    """A difference of shares in percentage points, one decimal."""
    value = abs(difference) * 100
    decimals = 0 if round(value, 1) == round(value) else 1
    return _("%(value)s procentenheter") % {"value": number(value, decimals)}


def p_text(p: float) -> str:
    if p < 0.001:
        return "p < 0,001"
    if p < 0.01:
        return f"p = {number(p, 3)}"
    return f"p = {number(p, 2)}"


def interval(low: float, high: float) -> str:
    return f"{pct_value(low)}–{pct_value(high)} %"


def with_interval(u: Uncertainty) -> str:
    """ "63 % (59–68 %)", or "63 % (osäkerhet okänd)"."""
    if u.low is None or u.high is None:
        return _("%(value)s (osäkerhet okänd)") % {"value": pct(u.estimate)}
    return f"{pct(u.estimate)} ({interval(u.low, u.high)})"


def uncertainty_explanation(u: Uncertainty) -> str:

    if u.basis == Basis.PUBLISHED:
        return _(
            "Publicerat 95-procentigt osäkerhetsintervall. Standardfelet är härlett ur "
            "intervallet som (övre − nedre) / (2 · 1,96) ≈ %(se)s."
        ) % {"se": points(u.se or 0)}
    if u.basis == Basis.SE:
        return _(
            "95-procentigt intervall beräknat från det publicerade standardfelet "
            "(%(se)s) med Wald-metoden: andelen ± 1,96 · standardfelet, som SCB gör."
        ) % {"se": points(u.se or 0)}
    if u.basis == Basis.N_DEFF:
        return _(
            "95-procentigt intervall beräknat från n = %(n)s svarande och designeffekten "
            "%(deff)s med Wald-metoden (effektivt urval n/deff ≈ %(neff)s)."
        ) % {
            "n": number(u.n or 0),
            "deff": number(u.deff or 1, 2),
            "neff": number((u.n or 0) / (u.deff or 1)),
        }
    if u.basis == Basis.N:
        return _(
            "95-procentigt intervall beräknat från n = %(n)s svarande med Wilson-metoden, "
            "utan designeffekt: om urvalet är viktat kan intervallet vara för smalt."
        ) % {"n": number(u.n or 0)}
    return _(
        "Källan anger varken osäkerhetsintervall, standardfel eller antal svarande: "
        "osäkerheten är okänd och skillnader mot andra resultat kan inte prövas."
    )


def _direction(difference: float) -> str:
    return _("högre") if difference > 0 else _("lägre")


def _adjusted(c: Comparison) -> str:
    if c.p_adjusted is not None:
        return _("%(p)s, Holm-justerat för %(what)s") % {
            "p": p_text(c.p_adjusted),
            "what": _("flera jämförelser"),
        }
    return p_text(c.p_value or 1.0)


def comparison_phrase(c: Comparison) -> str:
    """The verdict only: "signifikant lägre än Stockholms län (p = 0,01)"."""

    if c.outcome == Outcome.SIGNIFICANT:
        return _("signifikant %(dir)s än %(other)s (%(p)s)") % {
            "dir": _direction(c.difference),
            "other": c.b.label,
            "p": _adjusted(c),
        }
    if c.outcome == Outcome.NOT_SIGNIFICANT:
        return _("ingen säkerställd skillnad mot %(other)s (%(p)s)") % {
            "other": c.b.label,
            "p": _adjusted(c),
        }
    unknown = c.a.label if "unknown_a" in c.notes else c.b.label
    if c.outcome == Outcome.NOT_SIGNIFICANT_ANYWAY:
        return _(
            "ingen säkerställd skillnad mot %(other)s (%(p)s även med minsta möjliga "
            "osäkerhet för %(unknown)s, vars osäkerhet inte är publicerad)"
        ) % {"other": c.b.label, "p": p_text(c.p_value or 1.0), "unknown": unknown}
    if c.outcome == Outcome.CONDITIONAL:
        return _(
            "kan inte kontrolleras helt utifrån de publicerade siffrorna, eftersom "
            "osäkerheten för %(unknown)s inte är publicerad; skillnaden (%(diff)s %(dir)s än "
            "%(other)s) är signifikant om standardfelet för %(unknown)s är högst %(bound)s"
        ) % {
            "unknown": unknown,
            "diff": points(c.difference),
            "dir": _direction(c.difference),
            "other": c.b.label,
            "bound": points(c.condition or 0),
        }
    text = _(
        "kan inte kontrolleras utifrån de publicerade siffrorna: varken antal svarande "
        "eller osäkerhetsintervall är publicerade för %(a)s och %(b)s"
    ) % {"a": c.a.label, "b": c.b.label}
    if c.needed_n:
        text += _(
            " (skillnaden på %(diff)s vore signifikant om båda hade minst %(n)s svarande i "
            "ett enkelt slumpmässigt urval)"
        ) % {"diff": points(c.difference), "n": number(c.needed_n)}
    return text


def comparison_sentence(c: Comparison) -> str:
    """ "Huddinge (63 %) jämfört med Stockholms län (70 %): signifikant lägre … (p = 0,001)." """
    return _("%(a)s (%(pa)s) jämfört med %(b)s (%(pb)s): %(verdict)s.") % {
        "a": c.a.label,
        "pa": pct(c.a.estimate),
        "b": c.b.label,
        "pb": pct(c.b.estimate),
        "verdict": comparison_phrase(c),
    }


def comparison_method(c: Comparison) -> str:
    if c.method == "whole":
        return _(
            "Test av en enhet mot helheten den ingår i: %(a)s utgör %(w)s av befolkningen i "
            "%(b)s (folkmängd), och den delen av helhetens skattning är korrelerad med "
            "enhetens."
        ) % {"a": c.a.label, "w": pct(c.weight or 0), "b": c.b.label}
    if c.method == "independent_se":
        return _("z-test för två oberoende andelar med båda standardfelen.")
    if c.method == "independent_n":
        return _("z-test för två oberoende andelar med poolad andel (antal svarande).")
    if c.method == "bound":
        return _(
            "Den ena sidans osäkerhet är inte publicerad; p-värdet gäller det för en skillnad "
            "mest gynnsamma fallet."
        )
    return _("Inget test: osäkerheten är inte publicerad för någon av sidorna.")


def rank_text(row: LeagueRow, size: int) -> str:
    """ "plats 16 av 21 (osäkerhetsintervall 12–19)"."""
    text = _("plats %(rank)s av %(size)s") % {"rank": row.rank, "size": size}
    if row.rank_low is not None:
        text += " " + _("(osäkerhetsintervall %(low)s–%(high)s)") % {
            "low": row.rank_low,
            "high": row.rank_high,
        }
    return text


def claim_explanation(check: ClaimCheck) -> str:

    lead = {
        Verdict.SUPPORTED: _("Stöds av siffrorna"),
        Verdict.NOT_SUPPORTED: _("Stöds inte av siffrorna"),
        Verdict.CONDITIONAL: _("Kan inte kontrolleras helt utifrån de publicerade siffrorna"),
        Verdict.UNCHECKABLE: _("Kan inte kontrolleras utifrån de publicerade siffrorna"),
    }[check.verdict]
    if check.comparison is not None:
        if check.verdict in (Verdict.CONDITIONAL, Verdict.UNCHECKABLE):
            # The sentence itself says what cannot be checked.
            return comparison_sentence(check.comparison)
        return f"{lead}. {comparison_sentence(check.comparison)}"
    if check.verdict == Verdict.UNCHECKABLE:
        if check.league_row is None:
            return _("%(lead)s: resultatet finns inte i rangordningen.") % {"lead": lead}
        return _(
            "%(lead)s: rangordningen gäller %(of)s enheter, men bara %(n)s har publicerade "
            "värden här."
        ) % {"lead": lead, "of": check.claimed_of, "n": check.published_units}
    row = check.league_row
    assert row is not None
    return _("%(lead)s: %(rank)s.") % {"lead": lead, "rank": rank_text(row, check.claimed_of or 0)}


def verdict_label(verdict: str) -> str:

    return {
        Verdict.SUPPORTED: _("Stöds"),
        Verdict.NOT_SUPPORTED: _("Stöds inte"),
        Verdict.CONDITIONAL: _("Villkorligt"),
        Verdict.UNCHECKABLE: _("Kan inte kontrolleras"),
    }[verdict]
