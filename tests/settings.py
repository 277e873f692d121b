"""Settings for the test suite: the real settings, with a test key and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "x" * 40)
os.environ.setdefault("TRYGGNAV_HTTPS", "0")
os.environ.setdefault("TRYGGNAV_MANIFEST_STATIC", "0")
# Tests never reach the internet: no street background on the maps.
os.environ.setdefault("TRYGGNAV_TILE_URL", "")

from tryggnav.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
# Tasks run at once, in the test; "database" is for the tests that start a real worker.
TASKS = {
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
TRYGGNAV_PROGRESS_DIR = VAR_DIR / "test-progress"  # noqa: F405
