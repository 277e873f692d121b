"""Demo step: official statistics for Huddinge and Stockholm, GENERATED (not real
figures from Brå, Kolada or MSB), read through the official importers from
``data/official/`` so the files also show the formats. Each file says so in its first
line; the imports are flagged ``is_demo`` and the page labels them "Demo".

Idempotent: a file already imported as demo data is not imported again.
"""

from __future__ import annotations

from pathlib import Path

from tryggnav.areas.models import Municipality
from tryggnav.official.models import OfficialImport
from tryggnav.official.services import official_import

DATA = Path(__file__).parent / "data" / "official"
FILES = [
    ("bra", "bra_0126_demo.csv", "0126"),
    ("bra", "bra_0180_demo.csv", "0180"),
    ("kolada", "kolada_demo.csv", None),
    ("ida", "ida_demo.csv", None),
]


def load() -> list[str]:
    done = 0
    for source, name, code in FILES:
        if OfficialImport.objects.filter(is_demo=True, filename=name).exists():
            continue
        municipality = Municipality.objects.filter(code=code).first() if code else None
        official_import(
            source=source, path=DATA / name, by=None, municipality=municipality, is_demo=True
        )
        done += 1
    return [
        f"Officiell statistik: {done} genererade demofiler (Brå, Kolada, MSB IDA) för "
        "Huddinge och Stockholm; inte verkliga siffror."
    ]
