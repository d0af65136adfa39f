from __future__ import annotations

import hashlib
import os

import pytest

from haizhi.pipeline.intake.store import FileStore, TooLarge


def test_put_is_content_addressed_and_idempotent(tmp_path):
    st = FileStore(tmp_path / "store")
    src = tmp_path / "a.docx"
    src.write_bytes(b"hello world")
    sha, size = st.put_file(src)
    assert sha == hashlib.sha256(b"hello world").hexdigest() and size == 11
    p = st.path_for(sha)
    assert p == tmp_path / "store" / sha[:2] / sha[2:]
    assert p.read_bytes() == b"hello world"
    assert st.put_bytes(b"hello world") == (sha, 11)
    assert st.verify(sha)
    # no temp files left anywhere
    assert not [q for q in (tmp_path / "store").rglob(".tmp-*")]


def test_limit_stores_nothing(tmp_path):
    st = FileStore(tmp_path / "store")
    src = tmp_path / "big.bin"
    src.write_bytes(b"x" * 5000)
    with pytest.raises(TooLarge):
        st.put_file(src, limit=1000)
    assert [p for p in (tmp_path / "store").rglob("*") if p.is_file()] == []


def test_symlink_source_refused(tmp_path):
    st = FileStore(tmp_path / "store")
    target = tmp_path / "secret"
    target.write_text("x")
    link = tmp_path / "link.docx"
    link.symlink_to(target)
    with pytest.raises(OSError):
        st.put_file(link)


def test_clean_temps_removes_leftovers(tmp_path):
    st = FileStore(tmp_path / "store")
    (tmp_path / "store" / "ab").mkdir()
    (tmp_path / "store" / "ab" / ".tmp-123").write_bytes(b"half")
    (tmp_path / "store" / ".tmp-456").write_bytes(b"half")
    assert st.clean_temps() == 2
    assert not list((tmp_path / "store").rglob(".tmp-*"))


def test_store_file_is_read_only(tmp_path):
    st = FileStore(tmp_path / "store")
    sha, _ = st.put_bytes(b"abc")
    assert not os.stat(st.path_for(sha)).st_mode & 0o222
