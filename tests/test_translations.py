"""English is available and complete: every translatable string of the project has an
English translation in tryggnav/locale/en, and the English pages use it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "tryggnav/locale/en/LC_MESSAGES/django.po"


def _entries(path: Path) -> dict[str, tuple[str, bool]]:
    """msgid → (msgstr, fuzzy) from a .po file (plural forms: the first form)."""
    text = path.read_text(encoding="utf-8")
    entries = {}
    for block in text.split("\n\n"):
        fuzzy = "#, fuzzy" in block or ", fuzzy" in block
        msgctxt = _field(block, "msgctxt")
        msgid = _field(block, "msgid")
        if msgid is None or msgid == "":
            continue
        msgstr = _field(block, "msgstr")
        if msgstr is None:
            msgstr = _field(block, r"msgstr\[0\]") or ""
        key = f"{msgctxt}\x04{msgid}" if msgctxt else msgid
        entries[key] = (msgstr, fuzzy)
    return entries


def _field(block: str, name: str) -> str | None:
    match = re.search(rf'^{name} ((?:".*"\n?)+)', block, flags=re.MULTILINE)
    if not match:
        return None
    return "".join(re.findall(r'"(.*)"', match.group(1)))


def test_every_english_entry_is_translated():
    entries = _entries(PO)
    assert len(entries) > 200
    missing = [msgid for msgid, (msgstr, fuzzy) in entries.items() if not msgstr or fuzzy]
    assert not missing, f"{len(missing)} untranslated or fuzzy: {missing[:20]}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
def test_the_catalogue_covers_every_string_in_the_code(tmp_path):
    """Extract the strings afresh (makemessages on a copy) and compare with the catalogue."""
    copy = tmp_path / "tryggnav"
    shutil.copytree(
        ROOT / "tryggnav",
        copy,
        ignore=shutil.ignore_patterns("vendor", "data", "__pycache__", "locale"),
    )
    (copy / "locale").mkdir()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "en",
            "--no-location",
            "--ignore",
            "static/vendor/*",
            "--ignore",
            "*/data/*",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "", "PYTHONPATH": ""},
    )
    fresh = _entries(copy / "locale/en/LC_MESSAGES/django.po")
    committed = _entries(PO)
    missing = sorted(set(fresh) - set(committed))
    assert not missing, f"{len(missing)} strings not in the English catalogue: {missing[:20]}"


def test_pages_switch_to_english(world):
    client = world.client("reader")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("organisations:home")).content.decode()
    assert '<html lang="en">' in page
    with translation.override("en"):
        assert translation.gettext("Logga ut") != "Logga ut"
        assert translation.gettext("Logga ut") in page
