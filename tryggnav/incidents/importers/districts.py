"""Placing an event in a district of its municipality from the names in its text.

The police feed gives only a municipality's centre, but its texts often name the
stadsdel ("Polis kallas till Vasastaden …"). A district counts when its name
appears as a whole word (case-insensitive, also in the genitive: "Kistas"), and
a longer name wins over a shorter one inside it ("Farsta strand" is not
"Farsta"). Names joined by a hyphen ("Rinkeby-Kista", the administrative
stadsdelsområde) name an administrative area of several districts and do not count.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from shapely.geometry import shape

from tryggnav.areas.models import Area

DISTRICT_KINDS = (Area.Kind.STADSDEL, Area.Kind.KOMMUNDEL)

# Everyday names of districts, per municipality code: the name people and the
# police write, and the district's name in the area register.
ALIASES: dict[str, dict[str, str]] = {
    "0180": {
        "Vasastan": "Vasastaden",
        "Gärdet": "Ladugårdsgärdet",
        "Hammarby sjöstad": "Södra Hammarbyhamnen",
    },
}

# Names that are also something else in police texts: "Djurgården" is as often the
# football club as the island. They count only after a preposition of place
# ("på Djurgården", "i Lunda").
NEEDS_PREPOSITION = {"djurgården", "lunda", "sundby", "flaten", "solhem"}
_PREPOSITION = re.compile(r"(?:\b(?:i|på|vid|till|från|utanför|genom|inom|mot)\s+)$", re.I)


@dataclass(frozen=True)
class District:
    pk: int
    name: str
    lat: float
    lon: float


class DistrictMatcher:
    """Finds the districts named in a text, for one municipality's areas."""

    def __init__(self, districts: list[District], aliases: dict[str, str] | None = None) -> None:
        self.by_key: dict[str, District] = {d.name.lower(): d for d in districts}
        for alias, target in (aliases or {}).items():
            district = self.by_key.get(target.lower())
            if district is not None:
                self.by_key[alias.lower()] = district
        names = sorted(self.by_key, key=len, reverse=True)
        pattern = "|".join(r"\s+".join(map(re.escape, name.split())) for name in names)
        self.regex = (
            re.compile(rf"(?<![\w-])({pattern})s?(?![\w-])", re.IGNORECASE) if names else None
        )

    def mentions(self, text: str) -> Counter[District]:
        found: Counter[District] = Counter()
        if self.regex is None or not text:
            return found
        for match in self.regex.finditer(text):
            key = " ".join(match.group(1).lower().split())
            if key in NEEDS_PREPOSITION and not _PREPOSITION.search(text[: match.start()]):
                continue
            found[self.by_key[key]] += 1
        return found

    def best(self, *texts: str) -> District | None:
        """The one district the texts are about: the only one named, or one named
        at least twice as often as any other; otherwise None."""
        counts: Counter[District] = Counter()
        for text in texts:
            counts.update(self.mentions(text))
        if not counts:
            return None
        ranked = counts.most_common(2)
        if len(ranked) == 1:
            return ranked[0][0]
        (top, n1), (_, n2) = ranked
        return top if n1 >= 2 * n2 else None


def district_matchers(municipality_codes: set[str] | None = None) -> dict[str, DistrictMatcher]:
    """A matcher per municipality that has districts (stadsdelar or kommundelar)."""
    areas = Area.objects.current().filter(kind__in=DISTRICT_KINDS)  # new incidents only
    if municipality_codes is not None:
        areas = areas.filter(municipality_id__in=municipality_codes)
    per_municipality: dict[str, dict[str, District]] = {}
    for area in areas.order_by("-kind", "name").only("pk", "name", "municipality_id", "geometry"):
        point = shape(area.geometry).representative_point()
        districts = per_municipality.setdefault(area.municipality_id, {})
        # A stadsdel wins over a kommundel of the same name ("-kind" sorts it first).
        districts.setdefault(area.name.lower(), District(area.pk, area.name, point.y, point.x))
    return {
        code: DistrictMatcher(list(districts.values()), ALIASES.get(code))
        for code, districts in per_municipality.items()
    }
