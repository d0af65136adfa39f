"""Content-addressed store for originals: sha256 → <root>/ab/cdef….

Every file is written before anything else happens to it, through a temp file
in the same directory, fsync, rename, fsync of the directory. A file already
present under its hash is left alone, so storing twice is free and a crash
mid-write leaves only a stray temp file (removed on the next open).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from haizhi.pipeline.core.errors import HaizhiError

CHUNK = 1 << 20
TMP_PREFIX = ".tmp-"


class TooLarge(HaizhiError):
    """The source is bigger than the limit; nothing was stored."""


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fsync_dir(d: Path) -> None:
    try:
        fd = os.open(d, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class FileStore:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def path_for(self, sha: str) -> Path:
        if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
            raise ValueError(f"not a sha256 hex digest: {sha!r}")
        return self.root / sha[:2] / sha[2:]

    def has(self, sha: str) -> bool:
        return self.path_for(sha).is_file()

    def missing(self, sha: str) -> str | None:
        """Why this process cannot read the stored original (Chinese), or None when it can."""
        import socket

        p = self.path_for(sha)
        try:
            with p.open("rb") as fh:
                fh.read(1)
            return None
        except OSError as e:
            where = "原件存档不存在或未挂载" if not self.root.is_dir() else (e.strerror or str(e))
            return (f"工作进程（主机 {socket.gethostname()}）无法读取原件存档中的文件 {sha[:12]}…"
                    f"（存档位置 {self.root}：{where}）")

    def clean_temps(self) -> int:
        """Remove temp files a killed writer left behind."""
        n = 0
        for sub in self.root.iterdir():
            if sub.is_dir():
                for p in sub.glob(TMP_PREFIX + "*"):
                    p.unlink(missing_ok=True)
                    n += 1
        for p in self.root.glob(TMP_PREFIX + "*"):
            p.unlink(missing_ok=True)
            n += 1
        return n

    def _write(self, chunks: Iterable[bytes], limit: int | None) -> tuple[str, int]:
        h = hashlib.sha256()
        size = 0
        fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, dir=self.root)
        try:
            with os.fdopen(fd, "wb") as f:
                for chunk in chunks:
                    size += len(chunk)
                    if limit is not None and size > limit:
                        raise TooLarge(f"文件超过 {limit // (1 << 20)} MB 的上限")
                    h.update(chunk)
                    f.write(chunk)
                f.flush()
                os.fsync(f.fileno())
            sha = h.hexdigest()
            dest = self.path_for(sha)
            if dest.is_file() and dest.stat().st_size == size:
                os.unlink(tmp)
            else:
                dest.parent.mkdir(exist_ok=True)
                os.chmod(tmp, 0o444)
                os.replace(tmp, dest)
                _fsync_dir(dest.parent)
            return sha, size
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    def put_bytes(self, data: bytes) -> tuple[str, int]:
        return self._write([data], None)

    def put_file(self, src: str | Path, *, limit: int | None = None) -> tuple[str, int]:
        """Copy a file into the store (never following a symlink). Returns (sha256, size)."""
        fd = os.open(src, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as f:
            return self._write(iter(lambda: f.read(CHUNK), b""), limit)

    def verify(self, sha: str) -> bool:
        p = self.path_for(sha)
        if not p.is_file():
            return False
        h = hashlib.sha256()
        with p.open("rb") as f:
            for chunk in iter(lambda: f.read(CHUNK), b""):
                h.update(chunk)
        return h.hexdigest() == sha


def open_store(where: str | Path) -> FileStore:
    """The store of originals: a local folder by default, or any shared folder (NFS, SMB mount) by path.
    Every machine that runs queue workers must reach the same store, under any path (haizhi worker --store)."""
    try:
        return FileStore(where)
    except OSError as e:
        raise HaizhiError(f"无法打开原件存档 {where}：{e.strerror or e}") from None
