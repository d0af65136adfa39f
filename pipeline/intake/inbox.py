"""Walking an inbox safely: folders (one per applicant, or flat) and .zip archives.

Nothing here writes to disk or follows a name out of the inbox. Archives are
read member by member into memory under limits (member count, total and
per-member size, compression ratio, nesting depth, a budget for the whole
run); names are checked for absolute paths, drive letters, '..' and symlink
members. A rejected item carries a Chinese reason and no content.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

MB = 1 << 20
IGNORED_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}
IGNORED_DIRS = {"__macosx", ".git", ".svn"}
OTHER_ARCHIVES = (".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".zst")


@dataclass
class Limits:
    max_file_bytes: int = 200 * MB  # any single file (on disk or in an archive)
    max_members: int = 2000  # entries in one archive
    max_archive_total: int = 1024 * MB  # declared uncompressed size of one archive
    max_ratio: float = 200.0  # uncompressed / compressed, for members over ratio_min_bytes
    ratio_min_bytes: int = 1 * MB
    max_depth: int = 2  # zip in zip in zip is refused
    budget: int = 4096 * MB  # all archive bytes read in one walk

    used: int = field(default=0, init=False)


@dataclass
class Item:
    path: str  # display path relative to the inbox; archive members as a.zip!/b/c.docx
    name: str  # base name
    folder: str | None  # applicant folder; None in a flat inbox
    src: Path | None = None  # a regular file on disk
    data: bytes | None = None  # an archive member's content
    received: dt.date | None = None
    reason: str | None = None  # set when rejected (Chinese)
    depth: int = 0

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name).suffix.lower()

    @property
    def is_archive(self) -> bool:
        return self.reason is None and self.suffix == ".zip"


def _date(ts: float) -> dt.date | None:
    try:
        return dt.date.fromtimestamp(ts)
    except (OverflowError, OSError, ValueError):
        return None


def ignored(name: str) -> bool:
    low = name.lower()
    return low in IGNORED_NAMES or low.startswith("~$") or low.startswith("._")


def walk(root: str | Path, limits: Limits | None = None, exclude: tuple[Path, ...] = ()) -> Iterator[Item]:
    """Items under root in a stable order; root may also be a single file (e.g. a .zip).

    Directories in `exclude` (e.g. the output folder, if it lies inside the inbox) are skipped.
    """
    root = Path(root)
    skip = {p.resolve() for p in exclude}
    if root.is_symlink() or not root.exists():
        return
    if root.is_file():
        yield from _disk_item(root, root.name, None, limits or Limits())
        return
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        d = Path(dirpath)
        rel_dir = d.relative_to(root)
        keep = []
        for n in sorted(dirnames):
            p = d / n
            rel = (rel_dir / n).as_posix()
            if p.is_symlink():
                yield Item(rel, n, _folder(rel_dir / n), reason="是指向其他位置的符号链接（文件夹），出于安全考虑未读取")
            elif n.lower() in IGNORED_DIRS or n.startswith(".") or p.resolve() in skip:
                continue
            else:
                keep.append(n)
        dirnames[:] = keep
        for n in sorted(filenames):
            if ignored(n) or n.startswith("."):
                continue
            rel = (rel_dir / n).as_posix()
            yield from _disk_item(d / n, rel, _folder(rel_dir / n), limits or Limits())


def _folder(rel: Path) -> str | None:
    parts = rel.parts
    return parts[0] if len(parts) > 1 else None


def _disk_item(p: Path, rel: str, folder: str | None, limits: Limits) -> Iterator[Item]:
    name = p.name
    try:
        st = os.lstat(p)
    except OSError as e:
        yield Item(rel, name, folder, reason=f"无法读取文件：{e.strerror or e}")
        return
    if stat.S_ISLNK(st.st_mode):
        yield Item(rel, name, folder, reason="是符号链接，出于安全考虑未读取")
        return
    if not stat.S_ISREG(st.st_mode):
        yield Item(rel, name, folder, reason="不是普通文件（设备、管道或套接字），未读取")
        return
    if st.st_size > limits.max_file_bytes:
        yield Item(rel, name, folder,
                   reason=f"文件过大（{st.st_size / MB:.0f} MB，上限 {limits.max_file_bytes // MB} MB），未读取")
        return
    it = Item(rel, name, folder, src=p, received=_date(st.st_mtime))
    if it.suffix in OTHER_ARCHIVES:
        it.reason = "不支持的压缩格式，请解压后提交或改用 zip"
        it.src = None
    yield it


# --- archives -----------------------------------------------------------------

def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name, repairing GBK names stored without the UTF-8 flag."""
    name = info.filename
    if not info.flag_bits & 0x800:
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp437").decode("gbk")
    return name


def unsafe_name(name: str) -> str | None:
    """Why an archive member name is refused, or None if it is safe."""
    if "\x00" in name:
        return "压缩包内文件名含有空字符"
    n = name.replace("\\", "/")
    if n.startswith("/") or (len(n) > 1 and n[1] == ":"):
        return "压缩包内文件使用绝对路径（可能企图写到收件箱以外），已拒绝"
    if any(part == ".." for part in n.split("/")):
        return "压缩包内文件路径含有“..”（路径穿越，zip-slip），已拒绝"
    return None


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


def _zip_date(info: zipfile.ZipInfo) -> dt.date | None:
    try:
        return dt.date(*info.date_time[:3])
    except (ValueError, TypeError):
        return None


def archive_problem(zf: zipfile.ZipFile, limits: Limits) -> str | None:
    """A reason to refuse the whole archive (bomb-like), from its directory alone."""
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        return f"压缩包含有 {len(infos)} 个条目，超过 {limits.max_members} 个的上限，疑似压缩炸弹，已拒绝"
    total = sum(i.file_size for i in infos)
    if total > limits.max_archive_total:
        return (f"压缩包解压后共 {total / MB:.0f} MB，超过 {limits.max_archive_total // MB} MB 的上限，"
                "疑似压缩炸弹，已拒绝")
    for i in infos:
        if i.file_size > limits.ratio_min_bytes:
            ratio = i.file_size / max(i.compress_size, 1)
            if ratio > limits.max_ratio:
                return (f"压缩包内“{member_name(i)}”压缩比 {ratio:.0f}:1 超过 {limits.max_ratio:.0f}:1，"
                        "疑似压缩炸弹，已拒绝")
    if limits.used + total > limits.budget:
        return f"本次收件解压总量超过 {limits.budget // MB} MB 的上限，此压缩包未读取"
    return None


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    buf = io.BytesIO()
    with zf.open(info) as f:
        while True:
            chunk = f.read(MB)
            if not chunk:
                break
            if buf.tell() + len(chunk) > cap:
                raise ValueError("member larger than declared")
            buf.write(chunk)
    return buf.getvalue()


def expand(archive: Path, item: Item, limits: Limits) -> tuple[list[Item], str | None]:
    """Members of a stored archive, or ([], reason) when the whole archive is refused."""
    if item.depth >= limits.max_depth:
        return [], f"压缩包嵌套超过 {limits.max_depth} 层，未读取"
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        return [], f"压缩包已损坏或不是 zip 格式，无法读取（{type(e).__name__}）"
    with zf:
        try:
            problem = archive_problem(zf, limits)
        except Exception as e:  # damaged directory
            return [], f"压缩包目录已损坏，无法读取（{type(e).__name__}）"
        if problem:
            return [], problem
        out: list[Item] = []
        prefix = item.path + "!/"
        for info in zf.infolist():
            name = member_name(info)
            if info.is_dir() or name.endswith(("/", "\\")):
                continue
            clean = name.replace("\\", "/")
            base = clean.rsplit("/", 1)[-1]
            parts = [p for p in clean.split("/") if p not in ("", ".")]
            if any(p.lower() in IGNORED_DIRS for p in parts[:-1]) or ignored(base):
                continue
            folder = item.folder
            if folder is None:
                folder = parts[0] if len(parts) > 1 else PurePosixPath(item.name).stem
            # received with the archive (member dates are when the applicant last edited them)
            m = Item(prefix + clean, base, folder, received=item.received or _zip_date(info), depth=item.depth + 1)
            bad = unsafe_name(name)
            if bad is None and _is_symlink(info):
                bad = "压缩包内条目是符号链接，已拒绝"
            if bad is None and info.flag_bits & 0x1:
                bad = "压缩包内文件已加密，无法读取"
            if bad is None and info.file_size > limits.max_file_bytes:
                bad = f"压缩包内文件过大（{info.file_size / MB:.0f} MB），未读取"
            if bad is None and m.suffix in OTHER_ARCHIVES:
                bad = "不支持的压缩格式，请解压后提交或改用 zip"
            if bad is None:
                try:
                    m.data = _read_member(zf, info, info.file_size)
                    limits.used += len(m.data)
                except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError,
                        RuntimeError) as e:
                    bad = f"压缩包内文件已损坏，无法解压（{type(e).__name__}）"
            if bad:
                m.reason = bad
                m.data = None
            out.append(m)
        return out, None

