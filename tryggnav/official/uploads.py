"""An uploaded file kept between the preview and the commit, for one user and
municipality; stale uploads are removed after a day."""

from __future__ import annotations

import json
import shutil
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404

MAX_AGE = 24 * 3600


def _root() -> Path:
    return Path(settings.MEDIA_ROOT) / "official-uploads"


def _remove_stale() -> None:
    now = time.time()
    for folder in _root().glob("*"):
        try:
            if now - folder.stat().st_mtime > MAX_AGE:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def store(*, filename: str, content: bytes, code: str, source: str, user_id: int) -> str:
    _remove_stale()
    token = uuid.uuid4().hex
    folder = _root() / token
    folder.mkdir(parents=True)
    name = Path(filename).name or "upload"
    (folder / name).write_bytes(content)
    meta = {"municipality": code, "source": source, "user": user_id, "file": name}
    (folder / "meta.json").write_text(json.dumps(meta))
    return token


def stored(token: str, *, code: str, user_id: int) -> tuple[Path, str]:
    """The stored file and its source; 404 for an unknown token, 403 for another's."""
    if not token.isalnum():
        raise Http404
    folder = _root() / token
    try:
        meta = json.loads((folder / "meta.json").read_text())
    except (OSError, ValueError):
        raise Http404 from None
    if meta.get("municipality") != code or meta.get("user") != user_id:
        raise PermissionDenied
    return folder / meta["file"], str(meta["source"])


def discard(path: Path) -> None:
    shutil.rmtree(path.parent, ignore_errors=True)
