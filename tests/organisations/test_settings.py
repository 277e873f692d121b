"""Settings come from the environment; production refuses insecure defaults."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(args, env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "DEBUG", "DATABASE_URL") and not k.startswith("TRYGGNAV_")
    }
    base.update(env)
    base["DJANGO_SETTINGS_MODULE"] = "tryggnav.settings"
    return subprocess.run(
        [sys.executable, "-m", "tryggnav", *args],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_refuses_to_start_without_secret_key_when_debug_is_off(tmp_path):
    result = _run(["check"], {"DEBUG": "0", "TRYGGNAV_VAR_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert "SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_URL", "foo://bar"),
        ("DB_CONN_MAX_AGE", "x"),
        ("SECURE_HSTS_SECONDS", "ett år"),
        ("TRYGGNAV_TILE_URL", "tiles.example.se/{z}/{x}/{y}.png"),
    ],
)
def test_bad_configuration_is_one_sentence_without_traceback(tmp_path, name, value):
    result = _run(["check"], {"DEBUG": "1", "TRYGGNAV_VAR_DIR": str(tmp_path), name: value})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"tryggnav: {name}")
    assert " / " in result.stderr  # Swedish, then English


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        "DEBUG": "0",
        "SECRET_KEY": "k9$Zq!v2mX7#pL4@wR8^tY1&nB6*cH3(jF5)sD0_gK2+eA9-uI7=oP4" * 2,
        "ALLOWED_HOSTS": "tryggnav.example.se",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "TRYGGNAV_VAR_DIR": str(tmp_path),
    }
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_database_url_selects_postgresql():
    import dj_database_url

    config = dj_database_url.parse("postgres://postgres@127.0.0.1:5432/tryggnav")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "tryggnav"


def test_swedish_is_the_default_language_and_english_exists(settings):
    assert settings.LANGUAGE_CODE == "sv"
    assert "en" in [code for code, _name in settings.LANGUAGES]
    assert settings.TIME_ZONE == "Europe/Stockholm"


def test_collectstatic_builds_the_manifest_with_production_settings(tmp_path):
    """With DEBUG off the hashed manifest storage post-processes every file: a vendored
    file referring to a file we do not ship (a source map) fails the whole deployment."""
    env = {
        "DEBUG": "0",
        "SECRET_KEY": "k9$Zq!v2mX7#pL4@wR8^tY1&nB6*cH3(jF5)sD0_gK2+eA9-uI7=oP4" * 2,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "TRYGGNAV_VAR_DIR": str(tmp_path),
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    result = _run(["collectstatic", "--no-input", "-v", "0"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((tmp_path / "static/staticfiles.json").read_text())
    for name in (
        "tryggnav/css/app.css",
        "vendor/vega-embed-7.3.0/vega-embed.min.js",
        "vendor/swagger-ui-5.36.0/swagger-ui-bundle.js",
    ):
        assert name in manifest["paths"]
        assert (tmp_path / "static" / manifest["paths"][name]).exists()


def test_migrate_alone_leaves_an_instance_that_can_import(tmp_path):
    """A fresh install needs only `tryggnav migrate`: the cache table and Sweden's
    counties and municipalities are there, so a police import of any municipality works."""
    env = {"DEBUG": "1", "TRYGGNAV_VAR_DIR": str(tmp_path)}
    assert _run(["migrate", "--no-input", "-v", "0"], env).returncode == 0
    events = tmp_path / "events.json"
    event = {
        "id": 900001,
        "datetime": "2024-05-06 21:05:12 +02:00",
        "name": "6 maj 20.40, Brand, Sundsvall",
        "summary": "Brand i ett soprum.",
        "url": "/aktuellt/handelser/2024/maj/6/brand-sundsvall/",
        "type": "Brand",
        "location": {"name": "Sundsvall", "gps": "62.390811,17.306927"},
    }
    events.write_text(json.dumps([event]), encoding="utf-8")
    result = _run(["import_police", str(events)], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skapade" in result.stdout
    # The cache table exists: the sessions and the lägesbild cache use it.
    check = _run(["createcachetable", "--dry-run"], env)
    assert check.returncode == 0 and "CREATE TABLE" not in check.stdout


def _tile_settings(tmp_path, **env) -> dict:
    code = (
        "import json, tryggnav.settings as s; print(json.dumps("
        "{'url': s.TRYGGNAV_TILE_URL, 'img': s.SECURE_CSP['img-src']}))"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith("TRYGGNAV_")}
    base.update({"DEBUG": "1", "TRYGGNAV_VAR_DIR": str(tmp_path), **env})
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_maps_default_to_openstreetmap_allowed_by_the_csp_for_that_host_only(tmp_path):
    tiles = _tile_settings(tmp_path)
    assert tiles["url"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert "https://tile.openstreetmap.org" in tiles["img"]
    assert "https:" not in tiles["img"]


def test_own_tile_server_with_subdomains_and_switching_tiles_off(tmp_path):
    own = _tile_settings(tmp_path, TRYGGNAV_TILE_URL="https://{s}.karta.example.se/{z}/{x}/{y}.png")
    assert "https://*.karta.example.se" in own["img"]
    off = _tile_settings(tmp_path, TRYGGNAV_TILE_URL="")
    assert off["url"] == ""
    assert off["img"] == ["'self'", "data:", "blob:"]
