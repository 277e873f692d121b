"""A small deterministic mutator for the import fuzz tests.

Starting from small files in each importer's real format (tests/fuzz_seeds and the
importers' test fixtures), it makes variants that are mostly well-formed, so they
reach the parsers' row and field checks, and some that are broken at the byte level:

- JSON: a value somewhere in the tree replaced by a value of another type or an
  awkward one (NaN, huge numbers, lone surrogates, deep nesting, long text), keys
  removed, records duplicated;
- CSV: cells replaced by awkward text, cells and rows dropped or repeated, other
  delimiters and encodings;
- XLSX: workbooks written with awkward cell values, and the sheet's XML altered
  (entities, dimensions, damaged tags);
- any file: bytes flipped, cut, repeated or inserted, or the whole file gzipped.

Every choice comes from one ``random.Random`` with a fixed seed, so a run is the
same every time and a failure names the case that reproduces it.
"""

from __future__ import annotations

import copy
import csv
import datetime
import gzip
import io
import json
import random
import re
import zipfile
from collections.abc import Callable
from typing import Any

from openpyxl import Workbook

DEEP_LIST: Any = []
for _ in range(40):
    DEEP_LIST = [DEEP_LIST]

AWKWARD_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    10**40,
    1e308,
    -1e308,
    float("nan"),
    float("inf"),
    0.5,
    "",
    " ",
    "x" * 5000,
    "\ud800",
    "a\udfffb",
    "\x00",
    "=1+1",
    "²",
    "١٢٣",
    "Ärende ÅÄÖ",
    "2024-02-30 25:61",
    "9999-12-31 23:59:59 +14:00",
    "0001-01-01",
    "2026-08-22 9:48:12 +02:00",
    "59.3,18.0",
    "nan,nan",
    "91,181",
    "Stockholm",
    "Stockholms län",
    "Sammanfattning natt",
    [],
    {},
    [1, 2, 3],
    {"name": None, "gps": 5},
    DEEP_LIST,
]

AWKWARD_CELLS = [
    "",
    " ",
    '"',
    '""',
    ";",
    ",",
    "\t",
    "\r",
    "\n",
    "x" * 3000,
    "=HYPERLINK(1)",
    "NaN",
    "inf",
    "-0",
    "1e999",
    "99999999999999999999999",
    "²",
    "2024-03-05 14:30",
    "5 mars 2024 kl. 22.15",
    "31/02/2024",
    "2024-13-45",
    "20240305 2561",
    "kl. 99.99",
    "24:00",
    "Klotter",
    "okänd",
    "0180",
    "9999",
    "Örebro län",
    "59,36",
    "17,87",
    "0",
    "−5",
    "100 %",
    "1,5,5",
    "kvinnor",
    "16-29",
    "200-10",
    "municipality",
    "area",
    "0126-x",
    "scb",
    "1899",
    "\u00a0",
    "\ufeff",
]

AWKWARD_BYTES = [
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\x80",
    b"\xc3",
    b"\xed\xa0\x80",
    b'"',
    b"\\",
    b"\\ud800",
    b"\r",
    b"\n",
    b"[",
    b"{",
    b"NaN",
    b"-Infinity",
    b"1e99999",
    b"<",
    b"&amp;",
    b"]]>",
]


def mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    """One to four byte-level changes: flips, cuts, repeats and insertions."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if not out:
            out.extend(rng.choice(AWKWARD_BYTES))
            continue
        position = rng.randrange(len(out))
        choice = rng.randrange(6)
        if choice == 0:
            out[position] ^= 1 << rng.randrange(8)
        elif choice == 1:
            del out[position : position + rng.randint(1, 64)]
        elif choice == 2:
            end = min(len(out), position + rng.randint(1, 256))
            out[position:position] = out[position:end] * rng.randint(1, 3)
        elif choice == 3:
            out[position:position] = rng.choice(AWKWARD_BYTES)
        elif choice == 4:
            out = out[:position]
        else:
            out[position] = rng.randrange(256)
    return bytes(out)


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    paths = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            paths.extend(_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            paths.extend(_paths(value, (*prefix, index)))
    return paths


def _set(tree: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    parent = tree
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return tree


def mutate_json(rng: random.Random, data: Any) -> bytes:
    """The data with one to three of its values, keys or records changed, as JSON."""
    tree = copy.deepcopy(data)
    for _ in range(rng.randint(1, 3)):
        paths = _paths(tree)
        path = rng.choice(paths)
        choice = rng.randrange(5)
        if choice <= 1:
            tree = _set(tree, path, copy.deepcopy(rng.choice(AWKWARD_VALUES)))
        elif choice == 2 and path:
            parent = tree
            for step in path[:-1]:
                parent = parent[step]
            del parent[path[-1]]
        elif choice == 3 and path:
            # A number becomes its text, text becomes a number where it looks like one.
            parent = tree
            for step in path:
                parent = parent[step]
            value = str(parent) if not isinstance(parent, str) else _number_or_text(parent)
            tree = _set(tree, path, value)
        elif isinstance(tree, list) and tree:
            tree.append(copy.deepcopy(rng.choice(tree)))
    text = json.dumps(tree, ensure_ascii=rng.random() < 0.5)
    # A lone surrogate written unescaped is not UTF-8 at all (the file is refused as such).
    return text.encode("utf-8", "surrogatepass")


def _number_or_text(text: str) -> Any:
    try:
        return float(text)
    except ValueError:
        return text[::-1]


def mutate_csv(rng: random.Random, data: bytes) -> bytes:
    """The CSV with cells and rows changed, and perhaps another delimiter or encoding."""
    text = data.decode("utf-8-sig") if data[:3] == b"\xef\xbb\xbf" else data.decode("cp1252")
    delimiter = ";" if text.split("\n", 1)[0].count(";") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    for _ in range(rng.randint(1, 4)):
        row = rng.choice(rows)
        choice = rng.randrange(5)
        if choice <= 1 and row:
            row[rng.randrange(len(row))] = rng.choice(AWKWARD_CELLS)
        elif choice == 2 and row:
            del row[rng.randrange(len(row))]
        elif choice == 3:
            rows.append(list(rng.choice(rows)))
        else:
            row.append(rng.choice(AWKWARD_CELLS))
    out = io.StringIO()
    csv.writer(out, delimiter=rng.choice([delimiter, delimiter, ",", "\t"])).writerows(rows)
    encoding = rng.choice(["utf-8", "utf-8-sig", "cp1252", "utf-16"])
    return out.getvalue().encode(encoding, errors="replace")


def csv_rows(data: bytes) -> list[list[Any]]:
    text = data.decode("utf-8-sig") if data[:3] == b"\xef\xbb\xbf" else data.decode("cp1252")
    delimiter = ";" if text.split("\n", 1)[0].count(";") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


XLSX_CELLS: list[Any] = [
    None,
    0,
    -1,
    1.5,
    10**20,
    True,
    datetime.datetime(2024, 3, 5, 14, 30),
    datetime.datetime(2024, 3, 5),
    datetime.date(1900, 1, 1),
    datetime.time(14, 30),
    datetime.time(0, 0),
    datetime.datetime(2999, 1, 1),
]


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_SHEET_CHANGES: list[Callable[[random.Random, bytes], bytes]] = [
    lambda rng, xml: b'<!DOCTYPE worksheet [<!ENTITY e "x">]>' + xml.replace(b"<t>", b"<t>&e;", 1),
    lambda rng, xml: re.sub(
        rb"<dimension [^>]*/>",
        rng.choice([b"<dimension/>", b'<dimension ref="A1"/>', b'<dimension ref="Z9:A1"/>']),
        xml,
    ),
    lambda rng, xml: xml.replace(b'r="', b'r="Z', 1),
    lambda rng, xml: xml.replace(b't="inlineStr"', b't="n"', 1),
    lambda rng, xml: xml.replace(b'<c r="', b'<c s="99" r="', 1),
    lambda rng, xml: xml.replace(b"</sheetData>", b"", 1),
    lambda rng, xml: mutate_bytes(rng, xml),
]


def mutate_xlsx(rng: random.Random, rows: list[list[Any]]) -> bytes:
    """A workbook of the rows with awkward cell values, or with its sheet XML altered."""
    rows = [list(row) for row in rows]
    for _ in range(rng.randint(0, 3)):
        row = rng.choice(rows)
        if row:
            pool = XLSX_CELLS if rng.random() < 0.6 else AWKWARD_CELLS
            row[rng.randrange(len(row))] = rng.choice(pool)
    rows = [[_storable(cell) for cell in row] for row in rows]
    raw = xlsx_bytes(rows)
    choice = rng.random()
    if choice < 0.5:
        return raw
    if choice < 0.85:
        change = rng.choice(_SHEET_CHANGES)
        return _patch_zip(raw, "xl/worksheets/sheet1.xml", lambda xml: change(rng, xml))
    return mutate_bytes(rng, raw)


def _storable(cell: Any) -> Any:
    # openpyxl refuses control characters in cells; a real sheet cannot have them either.
    if isinstance(cell, str):
        return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", cell)
    return cell


def _patch_zip(raw: bytes, name: str, change: Callable[[bytes], bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info.filename, change(data) if info.filename == name else data)
    return out.getvalue()


def maybe_gzip(rng: random.Random, data: bytes) -> bytes:
    """Sometimes gzipped (the importers read .gz), and then sometimes damaged after the header."""
    if rng.random() >= 0.1:
        return data
    packed = gzip.compress(data)
    if rng.random() < 0.5:
        packed = packed[:10] + mutate_bytes(rng, packed[10:])
    return packed
