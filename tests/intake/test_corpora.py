"""Every hostile and foreign file of ../shared/corpora through the real intake path: no crash, reasons in Chinese."""

from __future__ import annotations

import io
import re
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

from sqlalchemy import select

from haizhi.pipeline.intake.db import Entry, File, default_url, open_db
from haizhi.pipeline.intake.run import Options, run_intake
from haizhi.pipeline.intake.store import FileStore
from tests.intake.helpers import counts

CJK = re.compile(r"[\u4e00-\u9fff]")


def huge_png(side: int = 40000) -> bytes:
    """A ~200 KB 1-bit PNG that decodes to 1.6 gigapixels (a decompression bomb)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\0" * (1 + side // 8)
    z = zlib.compressobj(9)
    body = b"".join(z.compress(row) for _ in range(side)) + z.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def _build(inbox: Path, corpora: Path) -> int:
    n = 0
    for p in sorted(corpora.rglob("*")):
        if p.is_file() and p.name != "README.md":
            dst = inbox / p.relative_to(corpora)
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(p, dst)
            n += 1
    some = sorted((corpora / "foreign_forms").iterdir())[:3] + sorted((corpora / "hostile_docx" / "poi").iterdir())[:3]
    with zipfile.ZipFile(inbox / "几个回件.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        for p in some:
            zf.write(p, f"某机构/{p.name}")
    with zipfile.ZipFile(inbox / "zip-slip.zip", "w") as zf:
        zf.writestr("../../../../tmp/haizhi-pwned.docx", b"evil")
        zf.writestr("/etc/cron.d/haizhi", b"evil")
    with zipfile.ZipFile(inbox / "炸弹.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("zeros.docx", b"\0" * (300 << 20))  # 300 MB of zeros, ~300 KB compressed
    (inbox / "超大图片.png").write_bytes(huge_png())
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z3:
        z3.writestr("deep.docx", b"x")
    mid = io.BytesIO()
    with zipfile.ZipFile(mid, "w") as z2:
        z2.writestr("level3.zip", inner.getvalue())
    with zipfile.ZipFile(inbox / "套娃.zip", "w") as zf:
        zf.writestr("level2.zip", mid.getvalue())
    return n


def test_every_corpus_file_is_taken_in_or_rejected_in_chinese(tmp_path, shared_dir):
    inbox = tmp_path / "inbox"
    n = _build(inbox, shared_dir / "corpora")
    assert n > 100
    out = tmp_path / "out"
    o = Options(inbox=inbox, out=out, workers=2, year=2026, timeout=30, mem_mb=3072, pdf=False, progress=False)
    s = run_intake(o)
    assert not Path("/tmp/haizhi-pwned.docx").exists()
    assert s.rejected and all(CJK.search(r) for _, r in s.rejected)
    assert all(CJK.search(r) for _, r in s.other)

    engine, S = open_db(default_url(out))
    store = FileStore(out / "store")
    with S() as ses:
        files = list(ses.scalars(select(File)))
        entries = list(ses.scalars(select(Entry)))
        assert not [f for f in files if f.state == "pending"]
        for f in files:
            assert store.path_for(f.sha256).is_file()
            if f.state in ("rejected", "failed") or f.kind == "other":
                assert f.reason and CJK.search(f.reason), (f.name, f.reason)
        by_path = {e.path: e for e in entries}
        for p in inbox.rglob("*"):
            if p.is_file():
                assert p.relative_to(inbox).as_posix() in by_path, p
        slip = [e for e in entries if e.path.startswith("zip-slip.zip!/")]
        assert len(slip) == 2 and all(e.state == "rejected" and e.sha256 == "" for e in slip)
        assert any("zip-slip" in e.reason for e in slip) and any("绝对路径" in e.reason for e in slip)
        bomb = ses.scalar(select(File).join(Entry, Entry.file_id == File.id).where(Entry.path == "炸弹.zip"))
        assert bomb.state == "rejected" and "压缩炸弹" in bomb.reason
        assert not [e for e in entries if e.path.startswith("炸弹.zip!/")]
        deep = ses.scalar(select(File).join(Entry, Entry.file_id == File.id)
                          .where(Entry.path == "套娃.zip!/level2.zip!/level3.zip"))
        assert deep.state == "rejected" and "嵌套" in deep.reason
        members = [e for e in entries if e.path.startswith("几个回件.zip!/某机构/")]
        assert len(members) == 6 and all(e.folder == "某机构" for e in members)
        xxe = [f for f in files if f.name == "ExternalEntityInText.docx"]
        assert xxe and xxe[0].state == "rejected" and "实体" in xxe[0].reason
        huge = [f for f in files if f.name == "超大图片.png"]
        assert huge and huge[0].state in ("rejected", "failed") and CJK.search(huge[0].reason)
        foreign = [f for f in files if f.name.startswith("gd_math_paper")]
        assert foreign and all(f.state == "done" and f.kind != "form" for f in foreign)
    engine.dispose()

    before = counts(default_url(out))
    again = run_intake(o)
    assert again.processed == 0 and counts(default_url(out)) == before
