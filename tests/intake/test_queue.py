"""The job queue against a real PostgreSQL server, with three `haizhi worker` processes.

Workers are separate processes started the way an operator starts them; the test plays the
supervisor (systemd's Restart=always) where a test kills them.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
from pathlib import Path

from sqlalchemy import select, text

from haizhi.pipeline.intake.db import Application, File, FindingRow, RecordRow, Run, default_url, open_db
from haizhi.pipeline.intake.dispatch import (
    queue_status,
    start_worker_process,
    status_text,
    stop_worker_process,
)
from haizhi.pipeline.intake.run import Options, run_intake
from tests.intake.helpers import FAKE, counts
from tests.intake.test_ledger import make_inbox

STALL = 4.0  # seconds without heartbeat before a worker's job goes back to the queue


def ledger_records(url: str) -> list[tuple]:
    """Every record as content: file hash, index, form, copy, fields, application key and version."""
    engine, S = open_db(url)
    try:
        with S() as s:
            rows = s.execute(select(File.sha256, RecordRow, Application.key)
                             .join(RecordRow, RecordRow.file_id == File.id)
                             .join(Application, Application.id == RecordRow.application_id, isouter=True)).all()
            return sorted((sha, r.idx, r.form, r.copy, json.dumps(r.fields, sort_keys=True, ensure_ascii=False),
                           key, r.version) for sha, r, key in rows)
    finally:
        engine.dispose()


def applications(url: str) -> list[tuple]:
    engine, S = open_db(url)
    try:
        with S() as s:
            return sorted((a.key, a.name, a.status) for a in s.scalars(select(Application)))
    finally:
        engine.dispose()


def wait_run(url: str, run_id: int, workers: list, *, limit: float, respawn: bool = False) -> None:
    engine, S = open_db(url)
    t0 = time.monotonic()
    try:
        while time.monotonic() - t0 < limit:
            with S() as s:
                if s.get(Run, run_id).status == "finished":
                    return
            if respawn:
                for i, p in enumerate(workers):
                    if p.poll() is not None:
                        workers[i] = start_worker_process(url, stall_after=STALL)
            time.sleep(0.5)
        raise AssertionError(f"run {run_id} not finished after {limit}s:\n{status_text(queue_status(url))}")
    finally:
        engine.dispose()


def test_three_workers_mixed_inbox_poison_set_aside(tmp_path, pg_db):
    inbox = make_inbox(tmp_path / "inbox")
    (inbox / "崩溃.json").write_bytes(b"CRASH")  # kills the worker's reading process each try
    ref_inbox = tmp_path / "ref"
    shutil.copytree(inbox, ref_inbox)
    (inbox / "杀进程.json").write_bytes(b"KILLWORKER")  # kills the whole worker each try
    o = Options(inbox=inbox, out=tmp_path / "out", db=pg_db, year=2026, exports=True, pdf=False, progress=False,
                task=FAKE, timeout=30, mem_mb=1024, queue=True, wait=False)
    s = run_intake(o)
    assert s.processed == 9  # read jobs queued (the zip itself is expanded at registration)
    workers = [start_worker_process(pg_db, stall_after=STALL) for _ in range(3)]
    try:
        wait_run(pg_db, s.run_id, workers, limit=240, respawn=True)
    finally:
        for p in workers:
            stop_worker_process(p)
    engine, S = open_db(pg_db)
    with S() as ss:
        files = {f.name: f for f in ss.scalars(select(File))}
        jobs = dict(ss.execute(text("select status::text, count(*) from procrastinate_jobs group by 1")).all())
        killer = ss.execute(text("select attempts from procrastinate_jobs where args->>'display' = '杀进程.json'"
                                 )).scalar()
        why = {f.message for f in ss.scalars(select(FindingRow).where(FindingRow.rule == "intake.failed"))}
    engine.dispose()
    assert files["崩溃.json"].state == "failed" and "已尝试 3 次" in files["崩溃.json"].reason
    assert files["杀进程.json"].state == "failed" and "中途中断" in files["杀进程.json"].reason
    # Procrastinate counts every ended try: three killed three workers, the fourth set it aside unread
    assert killer == 4
    assert files["崩溃.json"].reason in why and files["杀进程.json"].reason in why
    assert jobs.get("failed", 0) == 0 and jobs.get("todo", 0) == 0 and jobs.get("doing", 0) == 0

    ref = Options(inbox=ref_inbox, out=tmp_path / "ref-out", year=2026, exports=False, progress=False,
                  task=FAKE, timeout=30, mem_mb=1024, workers=1)
    run_intake(ref)
    ref_url = default_url(ref.out)
    assert ledger_records(pg_db) == ledger_records(ref_url) and len(ledger_records(pg_db)) == 5
    assert applications(pg_db) == applications(ref_url)
    assert (tmp_path / "out" / "exports" / "初审汇总.xlsx").is_file()

    # the same inbox again: nothing queued, nothing added
    before = counts(pg_db)
    s2 = run_intake(o)
    assert s2.processed == 0
    workers = [start_worker_process(pg_db, stall_after=STALL)]
    try:
        wait_run(pg_db, s2.run_id, workers, limit=60)
    finally:
        stop_worker_process(workers[0])
    assert counts(pg_db) == before


def test_worker_without_the_store_reports_it(tmp_path, pg_db):
    inbox = tmp_path / "inbox"
    from tests.intake.helpers import coop, write_json

    write_json(inbox / "甲.json", coop("甲科技有限公司", "91440300MA5FXT3K4L"))
    o = Options(inbox=inbox, out=tmp_path / "out", db=pg_db, year=2026, exports=False, progress=False,
                task=FAKE, timeout=30, mem_mb=1024, queue=True, wait=False)
    s = run_intake(o)
    empty = tmp_path / "not-mounted"
    empty.mkdir()
    workers = [start_worker_process(pg_db, store=str(empty), stall_after=STALL)]
    try:
        wait_run(pg_db, s.run_id, workers, limit=90)
    finally:
        stop_worker_process(workers[0])
    engine, S = open_db(pg_db)
    with S() as ss:
        f = ss.scalar(select(File))
        assert f.state == "failed" and "无法读取原件存档" in f.reason and str(empty) in f.reason
    engine.dispose()
    o.retry_failed, o.exports, o.pdf = True, True, False
    s2 = run_intake(o)  # with the store reachable, the file is read
    elsewhere = tmp_path / "shared-out-mounted-elsewhere"
    workers = [start_worker_process(pg_db, out=str(elsewhere), stall_after=STALL)]
    try:
        wait_run(pg_db, s2.run_id, workers, limit=60)
    finally:
        stop_worker_process(workers[0])
    assert counts(pg_db)["records"] == 1
    assert (elsewhere / "exports" / "初审汇总.xlsx").is_file()  # the worker's own path to the shared output


def _children(pid: int) -> list[int]:
    out: list[int] = []
    for t in Path(f"/proc/{pid}/task").glob("*/children"):
        out += [int(x) for x in t.read_text().split()]
    return out


def test_worker_killed_mid_scan_another_finishes(tmp_path, pg_db, cfg2026):
    """A real mixed inbox (DOCX forms, a seal-and-signature scan, junk); the worker reading the scan
    is killed with SIGKILL in the middle of it; the records equal an uninterrupted one-process run."""
    from haizhi.pipeline.core.record import load_record
    from haizhi.pipeline.intake import demo_batch as demo

    inbox = tmp_path / "inbox"
    recs = [load_record(demo.FIXTURES / "coop_example.json")] + [
        load_record(demo.FIXTURES / f"batch/{i:02d}.json") for i in (1, 2)]
    for n, r in enumerate(recs):
        d = inbox / f"机构{n}"
        d.mkdir(parents=True)
        (d / "合作机构信息表.docx").write_bytes(demo._render(r, cfg2026))
    (inbox / "机构0" / "合作机构信息表（盖章扫描件）.pdf").write_bytes(demo._scan(recs[0], "clean", cfg2026, seed=1))
    (inbox / "学术年会参会报名表.docx").write_bytes(demo.foreign_form())
    (inbox / "损坏.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog")
    o = Options(inbox=inbox, out=tmp_path / "out", db=pg_db, year=2026, exports=False, progress=False,
                timeout=300, queue=True, wait=False)
    s = run_intake(o)
    engine, S = open_db(pg_db)
    scan_job = "select status::text from procrastinate_jobs where args->>'display' like '%扫描件%'"
    first = start_worker_process(pg_db, stall_after=STALL)  # takes the scan: the biggest file is queued first
    workers = [first]
    try:
        t0 = time.monotonic()
        while True:  # the scan is being read: its job is running and the worker's reader has a child
            with S() as ss:
                state = ss.execute(text(scan_job)).scalar()
            kids = [g for c in _children(first.pid) for g in _children(c)]
            if state == "doing" and kids:
                break
            assert time.monotonic() - t0 < 180, "the first worker never started reading the scan"
            time.sleep(0.2)
        workers += [start_worker_process(pg_db, stall_after=STALL) for _ in range(2)]
        time.sleep(1.0)
        with S() as ss:
            assert ss.execute(text(scan_job)).scalar() == "doing"  # still in the middle of it
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
        wait_run(pg_db, s.run_id, workers, limit=400)
        with S() as ss:
            attempts = ss.execute(text(scan_job.replace("status::text", "attempts"))).scalar()
            assert ss.execute(text(scan_job)).scalar() == "succeeded" and attempts == 2  # killed, then done
    finally:
        for p in workers:
            stop_worker_process(p)
        engine.dispose()

    ref = Options(inbox=inbox, out=tmp_path / "ref", year=2026, exports=False, progress=False, timeout=300,
                  workers=1)
    run_intake(ref)
    got, want = ledger_records(pg_db), ledger_records(default_url(ref.out))
    assert got == want and len(got) == 4  # three forms and the scan: nothing lost, nothing twice
    assert applications(pg_db) == applications(default_url(ref.out))


def test_enqueue_files_for_the_web_app_and_status(tmp_path, pg_db):
    import subprocess
    import sys

    from haizhi.pipeline.intake.dispatch import enqueue_files
    from tests.intake.helpers import coop, write_json

    up = tmp_path / "upload"
    write_json(up / "甲.json", coop("甲科技有限公司", "91440300MA5FXT3K4L"))
    write_json(up / "乙.json", coop("乙国际人才服务中心", "91110108MA01ABCD2X"))
    res = enqueue_files(pg_db, paths=[up], out=tmp_path / "out", year=2026, task=FAKE, exports=False,
                        timeout=30, mem_mb=1024)
    assert res.files == 2 and res.queued == 2 and len(res.job_ids) == 2
    st = queue_status(pg_db)
    assert st["jobs"]["haizhi.read"] == {"todo": 2} and st["files"] == {"pending": 2}
    cli = subprocess.run([sys.executable, "-m", "haizhi.pipeline.cli", "intake", "--status", "--db", pg_db],
                         capture_output=True, text=True, timeout=120)
    assert cli.returncode == 0 and "读取：排队 2" in cli.stdout and "待读取 2" in cli.stdout, cli.stdout + cli.stderr
    workers = [start_worker_process(pg_db, stall_after=STALL)]
    try:
        wait_run(pg_db, res.run_id, workers, limit=90)
        engine, S = open_db(pg_db)
        with S() as ss:
            sha = ss.scalar(select(File.sha256).where(File.name == "甲.json"))
        engine.dispose()
        again = enqueue_files(pg_db, hashes=[sha], out=tmp_path / "out", year=2026, task=FAKE, exports=False)
        assert again.files == 1 and again.queued == 0  # read already: nothing to do twice
        wait_run(pg_db, again.run_id, workers, limit=60)
    finally:
        stop_worker_process(workers[0])
    st = queue_status(pg_db)
    assert st["jobs"]["haizhi.read"] == {"succeeded": 2} and st["files"] == {"done": 2}
    assert "完成 2" in status_text(st) and counts(pg_db)["records"] == 2


def test_one_slow_file_does_not_hold_up_the_rest(tmp_path, pg_db):
    from tests.intake.helpers import coop, write_json

    inbox = tmp_path / "inbox"
    for i in range(6):
        write_json(inbox / f"机构{i}.json", coop(f"机构{i}有限公司", f"91440300MA5FX{i:04d}L"))
    (inbox / "慢.json").write_bytes(b"SLEEP" + b" " * 4096)  # the biggest: queued first
    o = Options(inbox=inbox, out=tmp_path / "out", db=pg_db, year=2026, exports=False, progress=False,
                task=FAKE, timeout=20, mem_mb=1024, queue=True, wait=False)
    s = run_intake(o)
    workers = [start_worker_process(pg_db, stall_after=STALL) for _ in range(2)]
    engine, S = open_db(pg_db)
    try:
        t0 = time.monotonic()
        while True:
            with S() as ss:
                done = ss.scalar(text("select count(*) from files where state = 'done'"))
                slow = ss.scalar(select(File.state).where(File.name == "慢.json"))
            if done == 6:
                break
            assert time.monotonic() - t0 < 60, f"only {done} of 6 quick files read"
            time.sleep(0.2)
        assert slow == "pending"  # the slow one still being read while the others are done
        wait_run(pg_db, s.run_id, workers, limit=120)
        with S() as ss:
            f = ss.scalar(select(File).where(File.name == "慢.json"))
            assert f.state == "failed" and "超时" in f.reason
    finally:
        for p in workers:
            stop_worker_process(p)
        engine.dispose()


def test_cli_intake_on_postgres_queues_and_runs_its_own_worker(tmp_path, pg_db, cfg2026):
    import subprocess
    import sys

    from haizhi.pipeline.core.record import Record
    from haizhi.pipeline.generate.forms import render_form
    from tests.intake.helpers import coop

    inbox = tmp_path / "inbox"
    for i in range(2):
        rec = Record.from_dict(coop(f"测试机构{i}有限公司", f"91440300MA5FY{i:04d}L"))
        (inbox / f"机构{i}").mkdir(parents=True)
        (inbox / f"机构{i}" / "信息表.docx").write_bytes(render_form(rec, rec.form, cfg2026))
    cmd = [sys.executable, "-m", "haizhi.pipeline.cli", "intake", str(inbox), "--db", pg_db, "--out",
           str(tmp_path / "out"), "-j", "1", "-q", "--no-pdf", "--year", "2026"]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=400)
    assert r.returncode == 0, r.stderr
    assert "收件完成" in r.stdout and "本年度共 2 个" in r.stdout and "审核导出" in r.stdout, r.stdout
    st = queue_status(pg_db)
    assert st["jobs"]["haizhi.read"] == {"succeeded": 2} and st["jobs"]["haizhi.export"] == {"succeeded": 1}
    assert (tmp_path / "out" / "exports" / "初审汇总.xlsx").is_file()
