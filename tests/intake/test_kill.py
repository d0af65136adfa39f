"""kill -9 at any moment, then rerun: no duplicate, no lost, no half-written row."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from haizhi.pipeline.intake.db import Application, Entry, File, RecordRow, default_url, open_db
from tests.intake.helpers import FAKE, ROOT, coop, counts, write_json

RUNNER = """
import sys
from pathlib import Path
from haizhi.pipeline.intake.run import Options, run_intake
run_intake(Options(inbox=Path(sys.argv[1]), out=Path(sys.argv[2]), workers=2, year=2026, exports=False,
                   progress=False, task=sys.argv[3], timeout=60, mem_mb=1024))
"""


def _inbox(root: Path, n: int) -> Path:
    for i in range(n):
        code = f"91440300MA5FX{i:04d}L"
        if i % 3 == 0:
            write_json(root / f"机构{i:02d}" / "表.json", coop(f"机构{i:02d}有限公司", code))
            write_json(root / f"机构{i:02d}" / "扫描.json", coop(f"机构{i:02d}有限公司", code, "ocr"))
        else:
            write_json(root / f"机构{i:02d}.json", coop(f"机构{i:02d}有限公司", code))
    return root


def _done(url: str) -> int:
    engine, S = open_db(url)
    try:
        with S() as s:
            return s.scalar(select(func.count()).select_from(File).where(File.state != "pending")) or 0
    except Exception:
        return -1
    finally:
        engine.dispose()


def _start(inbox: Path, out: Path, delay: str) -> subprocess.Popen:
    env = dict(os.environ, HAIZHI_FAKE_DELAY=delay)
    return subprocess.Popen([sys.executable, "-c", RUNNER, str(inbox), str(out), FAKE], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _kill_when(p: subprocess.Popen, url: str, at_least: int, deadline: float = 60) -> int:
    t0 = time.monotonic()
    while time.monotonic() - t0 < deadline:
        if p.poll() is not None:
            break
        n = _done(url) if at_least > 0 else 0
        if n >= at_least:
            break
        time.sleep(0.05)
    p.send_signal(signal.SIGKILL)
    p.wait(10)
    return _done(url)


def test_sigkill_then_resume(tmp_path):
    inbox = _inbox(tmp_path / "inbox", 18)  # 24 files
    out = tmp_path / "out"
    url = default_url(out)
    progress = []
    for at in (0, 4, 12, 24):  # start-up/registration, early and late in extraction, after it
        p = _start(inbox, out, "0.15")
        if at == 0:
            time.sleep(1.0)
        progress.append(_kill_when(p, url, at))
    assert any(0 < n < 24 for n in progress), f"never killed mid-batch: {progress}"
    p = _start(inbox, out, "0")
    _, err = p.communicate(timeout=300)
    assert p.returncode == 0, err.decode()

    clean_out = tmp_path / "clean"
    p = _start(inbox, clean_out, "0")
    assert p.wait(300) == 0
    assert counts(url) == counts(default_url(clean_out))

    engine, S = open_db(url)
    with S() as s:
        assert not list(s.scalars(select(File).where(File.state == "pending")))
        paths = Counter(e.path for e in s.scalars(select(Entry)))
        assert len(paths) == 24 and max(paths.values()) == 1
        shas = Counter(f.sha256 for f in s.scalars(select(File)))
        assert max(shas.values()) == 1
        rows = list(s.scalars(select(RecordRow)))
        assert len(rows) == 24 and len({(r.file_id, r.idx) for r in rows}) == 24
        assert all(r.application_id is not None and r.version is not None and r.fields for r in rows)
        apps = list(s.scalars(select(Application)))
        assert len(apps) == 18
        for a in apps:
            vs = sorted(r.version for r in rows if r.application_id == a.id)
            assert vs == list(range(1, len(vs) + 1))
            assert a.status and a.current_record_id
    engine.dispose()
    store = out / "store"
    assert not list(store.rglob(".tmp-*"))
    assert len([p for p in store.rglob("*") if p.is_file()]) == 24


def test_sigkill_real_cli_then_resume(tmp_path, cfg2026):
    """`haizhi intake` on real DOCX returns, killed mid-extraction, then run again."""
    from haizhi.pipeline.core.record import Record
    from haizhi.pipeline.generate.forms import render_form

    inbox = tmp_path / "inbox"
    for i in range(8):
        rec = Record.from_dict(coop(f"测试机构{i:02d}有限公司", f"91440300MA5FY{i:04d}L"))
        folder = inbox / f"机构{i:02d}"
        folder.mkdir(parents=True)
        (folder / "信息表.docx").write_bytes(render_form(rec, rec.form, cfg2026))
    out = tmp_path / "out"
    url = default_url(out)
    cmd = [sys.executable, "-m", "haizhi.pipeline.cli", "intake", str(inbox), "--out", str(out), "-j", "2", "-q",
           "--no-pdf", "--year", "2026"]
    env = dict(os.environ)
    p = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    done = _kill_when(p, url, 2, deadline=120)
    assert done < 8, "the batch finished before it could be killed"
    r = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert "收件完成" in r.stdout
    c = counts(url)
    assert c["files"] == 8 and c["entries"] == 8 and c["records"] == 8 and c["applications"] == 8
    r2 = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert r2.returncode == 0 and counts(url) == c
    assert "本次处理 0 个" in r2.stdout
    assert (out / "exports").is_dir()
