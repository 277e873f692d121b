"""Probable personal names in free text: a known Swedish first name, capitalised.

A heuristic, not a recogniser: it flags a capitalised word that is one of the 500
most common female or male first names (``data/swedish_first_names.txt``, source in
``data/SOURCE.md``), together with the capitalised surnames or further first names
that follow it ("Kalle Andersson", "Per-Olof Berg"), and the genitive ("Kalles").

Where it errs on purpose (measured in docs/privacy.md):
- Names that are also everyday Swedish words ("Per", "Bo", "Hans", "Dag", "Sten",
  "Inga" …) are flagged alone only inside a sentence, where the word would not be
  capitalised unless it is a name. At the start of a sentence they are flagged only
  with a surname: "Bo i området …" is not a name, "Bo Andersson" is.
- Names that are mostly places or events ("Sofia", "Maria", "Lucia" …) are flagged
  only with a surname.
- A name that is part of a street or place name ("Kalle Ankas torg", "Gustav Vasa
  kyrka", "Sankt Eriks …") is not flagged.
- Unusual names, nicknames not in the list and surnames alone are missed.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

_DATA = Path(__file__).parent / "data"

# Everyday words (and months) that are also first names in the list.
COMMON_WORDS = frozenset(
    """Per Bo Hans Dag Liv Maj Juni August Sten Stig Björn Tim Lo My Mark Max Del Ben Tom
    Tor Rosa Iris Viola Vide Saga Bror Lina Mina Kaj Urban Frank Fred Rita Ville Malva
    Tuva Tilde Inga Inge Tindra Ester Else Junior Jack Bill Love Tina Vega Nova Alma
    Moa Ole Ola Mio Li Thi Isa Ina""".split()
)
# Capitalised mostly as places, events or brands, not persons.
PLACE_WORDS = frozenset("Sofia Maria Lucia Milan Florence Viking Willys Siri Märta".split())
# A word after the name that makes it a street or place name.
_STREET_WORDS = frozenset(
    """väg vägen gata gatan gränd gränden torg torget plan plats platsen park parken
    backe backen stig stigen allé allén skola skolan kyrka kyrkan gård gården hus huset
    bro bron strand stranden plaza centrum hallen""".split()
)
_TITLES_BEFORE = frozenset("Sankt S:t S:ta Kung Kungen Drottning Prins Prinsessan".split())
_SURNAME_ENDINGS = re.compile(
    r"(?:s?son|sén|berg|ström|lund|[qk]vist|gren|dahl|dal|holm|blad|stedt|stam|ling|ell|"
    r"man|ander|ius|lin|én|ér)$"
)
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]+(?:[-:][A-Za-zÀ-ÖØ-öø-ÿ]+)*")
_SENTENCE_END = re.compile(r"[.!?:;\n•*\-–(\"'»”]\s*$")


@cache
def _names(filename: str) -> frozenset[str]:
    lines = (_DATA / filename).read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def first_names() -> frozenset[str]:
    return _names("swedish_first_names.txt")


def surnames() -> frozenset[str]:
    return _names("swedish_surnames.txt")


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and not word.isupper()


def _first_name(word: str) -> bool:
    """A listed first name, or its genitive ("Kalles")."""
    names = first_names()
    return word in names or (word.endswith("s") and word[:-1] in names)


def _surname(word: str) -> bool:
    if not _capitalised(word) or word in _STREET_WORDS:
        return False
    base = word[:-1] if word.endswith("s") else word
    return (
        word in surnames()
        or base in surnames()
        or _first_name(word)
        or bool(_SURNAME_ENDINGS.search(base))
    )


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start]
    return not before.strip() or bool(_SENTENCE_END.search(before))


def find_names(text: str) -> list[tuple[int, int]]:
    """The (start, end) spans of probable personal names in ``text``."""
    words = list(_WORD.finditer(text or ""))
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        end_index = _name_at(text, words, i)
        if end_index is None:
            i += 1
            continue
        spans.append((words[i].start(), words[end_index].end()))
        i = end_index + 1
    return spans


def _name_at(text: str, words: list[re.Match[str]], i: int) -> int | None:
    """The index of the name's last word if a name starts at word ``i``, else None."""
    word = words[i].group()
    if not _capitalised(word) or not _first_name(word):
        return None
    if i > 0 and words[i - 1].group() in _TITLES_BEFORE:
        return None
    last = i
    while last + 1 < len(words) and _adjacent(text, words[last], words[last + 1]):
        if not _surname(words[last + 1].group()):
            break
        last += 1
    if _street_follows(words, last):
        return None
    if last > i:
        return last
    base = word[:-1] if word not in first_names() else word
    if base in PLACE_WORDS or word in PLACE_WORDS:
        return None
    if base in COMMON_WORDS and _sentence_start(text, words[i].start()):
        return None
    return last


def _adjacent(text: str, a: re.Match[str], b: re.Match[str]) -> bool:
    """Two words separated by spaces only (no comma or full stop between)."""
    return not text[a.end() : b.start()].strip()


def _street_follows(words: list[re.Match[str]], last: int) -> bool:
    """A street word right after the name, or after one more capitalised word."""
    for j in (last + 1, last + 2):
        if j >= len(words):
            return False
        nxt = words[j].group()
        if nxt.lower() in _STREET_WORDS:
            return True
        if not _capitalised(nxt):
            return False
    return False
