from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

from haizhi.pipeline.intake.inbox import Item, Limits, expand, unsafe_name, walk


def _zip(path: Path, members: dict[str, bytes], *, method=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as zf:
        for n, data in members.items():
            zf.writestr(n, data)
    return path


def _set_flag(p: Path, name: bytes, bit: int) -> None:
    """Set a general-purpose flag bit on a member in both its local and central headers."""
    data = bytearray(p.read_bytes())
    with zipfile.ZipFile(p) as zf:
        off = zf.getinfo(name.decode()).header_offset
    data[off + 6] |= bit
    i = data.find(b"PK\x01\x02")
    while i >= 0:
        n = int.from_bytes(data[i + 28:i + 30], "little")
        if bytes(data[i + 46:i + 46 + n]) == name:
            data[i + 8] |= bit
        i = data.find(b"PK\x01\x02", i + 4)
    p.write_bytes(bytes(data))


def _expand(p: Path, limits: Limits | None = None, folder: str | None = None):
    item = Item(p.name, p.name, folder, src=p)
    return expand(p, item, limits or Limits())


def test_walk_folders_flat_and_symlinks(tmp_path):
    (tmp_path / "甲公司").mkdir()
    (tmp_path / "甲公司" / "表.docx").write_bytes(b"a")
    (tmp_path / "甲公司" / "sub").mkdir()
    (tmp_path / "甲公司" / "sub" / "扫描.pdf").write_bytes(b"b")
    (tmp_path / "flat.docx").write_bytes(b"c")
    (tmp_path / "~$lock.docx").write_bytes(b"d")
    (tmp_path / "evil.docx").symlink_to("/etc/passwd")
    (tmp_path / "evil_dir").symlink_to("/etc")
    items = {i.path: i for i in walk(tmp_path)}
    assert items["甲公司/表.docx"].folder == "甲公司"
    assert items["甲公司/sub/扫描.pdf"].folder == "甲公司"
    assert items["flat.docx"].folder is None and items["flat.docx"].reason is None
    assert "~$lock.docx" not in items
    assert "符号链接" in items["evil.docx"].reason and items["evil.docx"].src is None
    assert "符号链接" in items["evil_dir"].reason
    assert not any(p.startswith("evil_dir/") for p in items)


def test_oversize_and_other_archives_rejected(tmp_path):
    (tmp_path / "big.pdf").write_bytes(b"x" * 3000)
    (tmp_path / "a.rar").write_bytes(b"Rar!")
    items = {i.path: i for i in walk(tmp_path, Limits(max_file_bytes=2000))}
    assert "过大" in items["big.pdf"].reason
    assert "zip" in items["a.rar"].reason


def test_zip_slip_and_absolute_members_refused(tmp_path):
    p = _zip(tmp_path / "甲.zip", {"ok/表.docx": b"fine", "../../etc/cron.d/x": b"evil",
                                    "/etc/passwd": b"evil", "C:/Windows/x.dll": b"evil",
                                    "a\\..\\..\\b.docx": b"evil"})
    members, problem = _expand(p)
    assert problem is None
    by = {m.path.split("!/", 1)[1]: m for m in members}
    assert by["ok/表.docx"].data == b"fine" and by["ok/表.docx"].reason is None
    for bad in ("../../etc/cron.d/x", "/etc/passwd", "C:/Windows/x.dll", "a/../../b.docx"):
        assert by[bad].reason and by[bad].data is None, bad
    assert "zip-slip" in by["../../etc/cron.d/x"].reason
    assert "绝对路径" in by["/etc/passwd"].reason
    assert unsafe_name("x/y.docx") is None


def test_zip_bomb_by_ratio_total_and_count(tmp_path):
    bomb = _zip(tmp_path / "bomb.zip", {"zeros.bin": b"\0" * (20 << 20)})
    members, problem = _expand(bomb)
    assert members == [] and "压缩炸弹" in problem
    members, problem = _expand(bomb, Limits(max_ratio=1e9, max_archive_total=10 << 20))
    assert members == [] and "超过" in problem
    many = _zip(tmp_path / "many.zip", {f"f{i}.txt": b"x" for i in range(30)})
    members, problem = _expand(many, Limits(max_members=20))
    assert members == [] and "条目" in problem


def test_nested_depth_limit(tmp_path):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("表.docx", b"x")
    p = _zip(tmp_path / "outer.zip", {"inner.zip": inner.getvalue()})
    members, problem = _expand(p, Limits(max_depth=1))
    assert problem is None and members[0].is_archive and members[0].depth == 1
    deeper, why = expand(p, members[0], Limits(max_depth=1))
    assert deeper == [] and "嵌套" in why


def test_symlink_member_and_encrypted_flag(tmp_path):
    p = tmp_path / "s.zip"
    with zipfile.ZipFile(p, "w") as zf:
        zi = zipfile.ZipInfo("link.docx")
        zi.create_system = 3
        zi.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(zi, "/etc/passwd")
        zf.writestr("locked.docx", b"garbage")
    _set_flag(p, b"locked.docx", 0x1)
    members, problem = _expand(p)
    by = {m.name: m for m in members}
    assert "符号链接" in by["link.docx"].reason
    assert "加密" in by["locked.docx"].reason


def test_gbk_member_names_and_folders(tmp_path):
    # Windows zip tools store GBK names without the UTF-8 flag
    p = tmp_path / "收件.zip"
    names = {f"{folder}/申报表.docx".encode("gbk"): folder for folder in ("甲公司", "乙公司")}
    with zipfile.ZipFile(p, "w") as zf:
        for i, raw in enumerate(names):
            zf.writestr(f"{i}" * (len(raw) - 5) + ".docx", b"x")
    data = p.read_bytes()
    for i, raw in enumerate(names):
        data = data.replace((f"{i}" * (len(raw) - 5) + ".docx").encode(), raw)
    p.write_bytes(data)
    members, problem = _expand(p)
    assert problem is None
    assert sorted(m.folder for m in members) == ["乙公司", "甲公司"]
    assert all(m.name == "申报表.docx" for m in members)
    # a zip inside an applicant folder keeps that folder
    members, _ = _expand(p, folder="丙公司")
    assert {m.folder for m in members} == {"丙公司"}


def test_damaged_zip(tmp_path):
    p = tmp_path / "bad.zip"
    p.write_bytes(b"PK\x03\x04garbage")
    members, problem = _expand(p)
    assert members == [] and "损坏" in problem


def test_output_folder_inside_the_inbox_is_not_walked(tmp_path):
    (tmp_path / "甲").mkdir()
    (tmp_path / "甲" / "表.docx").write_bytes(b"a")
    (tmp_path / "outputs" / "store" / "ab").mkdir(parents=True)
    (tmp_path / "outputs" / "store" / "ab" / "cdef").write_bytes(b"stored")
    paths = [i.path for i in walk(tmp_path, exclude=(tmp_path / "outputs",))]
    assert paths == ["甲/表.docx"]
