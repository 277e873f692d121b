"""An official-statistics upload kept between preview and commit: only for the user
and municipality that uploaded it, under its own base name, gone after a day."""

from __future__ import annotations

import os
import time

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tryggnav.official import uploads


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def _store(**overrides) -> str:
    values = {"filename": "bra.csv", "content": b"kod;antal\n0180;12\n", "code": "0180",
              "source": "bra", "user_id": 7}  # fmt: skip
    values.update(overrides)
    return uploads.store(**values)


def test_the_uploader_gets_the_file_and_its_source_back():
    token = _store()
    path, source = uploads.stored(token, code="0180", user_id=7)
    assert (path.name, source) == ("bra.csv", "bra")
    assert path.read_bytes() == b"kod;antal\n0180;12\n"


def test_another_user_or_municipality_is_forbidden():
    token = _store()
    with pytest.raises(PermissionDenied):
        uploads.stored(token, code="0180", user_id=8)
    with pytest.raises(PermissionDenied):
        uploads.stored(token, code="0126", user_id=7)


@pytest.mark.parametrize("token", ["../meta", "abc/def", "", "0" * 32])
def test_a_malformed_or_unknown_token_is_not_found(token):
    _store()
    with pytest.raises(Http404):
        uploads.stored(token, code="0180", user_id=7)


def test_a_path_in_the_file_name_is_dropped(media):
    token = _store(filename="../../etc/passwd")
    path, _source = uploads.stored(token, code="0180", user_id=7)
    assert path.name == "passwd"
    assert path.parent.parent == media / "official-uploads"
    assert not (media / "etc").exists()


def test_an_empty_file_name_is_stored_as_upload():
    token = _store(filename="")
    path, _source = uploads.stored(token, code="0180", user_id=7)
    assert path.name == "upload"


def test_a_damaged_record_is_not_found(media):
    token = _store()
    (media / "official-uploads" / token / "meta.json").write_text("{")
    with pytest.raises(Http404):
        uploads.stored(token, code="0180", user_id=7)


def test_discard_removes_the_upload():
    token = _store()
    path, _source = uploads.stored(token, code="0180", user_id=7)
    uploads.discard(path)
    assert not path.parent.exists()
    with pytest.raises(Http404):
        uploads.stored(token, code="0180", user_id=7)


def test_uploads_older_than_a_day_are_removed_by_the_next_upload(media):
    old = _store()
    recent = _store(filename="ny.csv")
    old_folder = media / "official-uploads" / old
    stale = time.time() - uploads.MAX_AGE - 60
    os.utime(old_folder, (stale, stale))
    newest = _store(filename="nyast.csv")
    assert not old_folder.exists()
    for token in (recent, newest):
        assert uploads.stored(token, code="0180", user_id=7)[0].exists()
