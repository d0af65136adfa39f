"""Nothing left running: LibreOffice ends with the process that started it, however that process ends."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from docx import Document

from haizhi.pipeline.core.errors import ConversionError
from haizhi.pipeline.office.convert import Converter, convert_cold, group_members

ROOT = Path(__file__).resolve().parents[2]


def _long_doc(folder: Path, paragraphs: int = 1500) -> Path:
    """A .doc made by LibreOffice from a long DOCX: its conversion back takes a few seconds."""
    doc = Document()
    doc.add_paragraph("推荐中国科协海智计划合作机构信息表")
    for i in range(paragraphs):
        doc.add_paragraph(f"第{i}段：海外科技团体与国内机构的合作内容，" * 4)
    src = folder / "long.docx"
    doc.save(src)
    return convert_cold(src, folder / "回件.doc", timeout=240)


def _ours(mark: str) -> list[tuple[int, str]]:
    """Live processes whose environment holds mark: [(pid, comm)]."""
    out = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            env = Path(entry.path, "environ").read_bytes()
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        if mark.encode() in env and stat.rpartition(")")[2].split()[0] not in ("Z", "X"):
            out.append((int(entry.name), stat.partition("(")[2].rpartition(")")[0]))
    return out


def _office(procs: list[tuple[int, str]]) -> list[tuple[int, str]]:
    def is_office(pid: int, comm: str) -> bool:
        if comm.startswith(("soffice", "oosplash")):
            return True
        try:
            return b"soffice_server" in Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return False
    return [(pid, comm) for pid, comm in procs if is_office(pid, comm)]


def _kill_left(mark: str) -> None:
    """Whatever of this test's processes a failure left behind (they were stopped: they would stay)."""
    for pid, _ in _ours(mark):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _wait_for(cond, limit: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture(scope="module")
def long_doc(tmp_path_factory) -> Path:
    return _long_doc(tmp_path_factory.mktemp("doc"))


@pytest.mark.parametrize("moment", ["starting", "converting"])
def test_intake_killed_while_converting_leaves_no_libreoffice(tmp_path: Path, long_doc: Path, moment: str) -> None:
    inbox = tmp_path / "inbox" / "某机构"
    inbox.mkdir(parents=True)
    (inbox / long_doc.name).write_bytes(long_doc.read_bytes())
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    mark = f"haizhi-orphan-test-{uuid.uuid4().hex}"
    env = {**os.environ, "HAIZHI_ORPHAN_MARK": mark, "TMPDIR": str(tmp)}
    proc = subprocess.Popen([sys.executable, "-m", "haizhi.pipeline.cli", "intake", str(inbox.parent),
                             "--out", str(tmp_path / "out"), "-j", "1", "--no-export", "-q"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def converting() -> bool:  # the server has logged that it opened the .doc
            return any("Opening" in log.read_text(errors="replace") for log in tmp.glob("haizhi-lo-*/unoserver.log"))

        def starting() -> bool:  # soffice.bin runs, the .doc not yet opened
            return any(comm.startswith("soffice") for _, comm in _office(_ours(mark)))
        assert _wait_for(converting if moment == "converting" else starting, 180), f"never {moment}"
        soffice: list[int] = []

        def soffice_running() -> bool:  # LibreOffice may restart itself once on a new profile: look again
            soffice[:] = [pid for pid, comm in _office(_ours(mark)) if comm.startswith("soffice")]
            return bool(soffice)
        assert _wait_for(soffice_running, 30)
        if moment == "converting":  # stands for a document LibreOffice hangs on: it will not finish by itself
            for pid in soffice:
                os.kill(pid, signal.SIGSTOP)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        assert _wait_for(lambda: not _office(_ours(mark)), 10), _office(_ours(mark))
        assert not list(tmp.glob("haizhi-lo-*/profile"))  # the orphaned profile was removed too
    finally:
        proc.kill()
        _kill_left(mark)


def test_server_answers_sigterm_in_the_middle_of_a_conversion(tmp_path: Path, long_doc: Path) -> None:
    src = long_doc
    small = tmp_path / "small.docx"
    Document().save(small)
    conv = Converter(timeout=120)
    failed: list[BaseException] = []
    pgid = 0

    def work() -> None:
        try:
            conv.convert(src, tmp_path / "out.docx")
        except ConversionError as e:
            failed.append(e)

    try:
        conv.convert(small, tmp_path / "warm.pdf")  # started and warm
        assert conv._proc is not None
        server, workdir = conv._proc, conv._workdir
        pgid = server.pid
        log = workdir / "unoserver.log"
        opened = log.read_text(errors="replace").count("Opening")
        th = threading.Thread(target=work)
        th.start()
        assert _wait_for(lambda: log.read_text(errors="replace").count("Opening") > opened, 60)
        for pid, comm in group_members(server.pid):  # a conversion that would never finish
            if comm.startswith("soffice"):
                os.kill(pid, signal.SIGSTOP)
        os.kill(server.pid, signal.SIGTERM)  # the server alone, not its group: it must end the group
        t0 = time.monotonic()
        server.wait(10)
        assert _wait_for(lambda: not group_members(server.pid), 10), group_members(server.pid)
        assert time.monotonic() - t0 < 10
        th.join(180)
        assert not th.is_alive()  # the conversion under way was answered (retried or reported), not hung
    finally:
        for pid, _ in group_members(pgid) if pgid else []:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        conv.close()


ENDING_TWICE = """
import os, signal, subprocess, sys
from haizhi.pipeline.office import soffice_server as s
ending = s._Ending(os.getppid(), None)
for sig in (signal.SIGTERM, signal.SIGHUP):
    signal.signal(sig, ending.end)
helper = subprocess.Popen(["sleep", "60"])  # a member of the group for end() to kill
members = s.group_members
def members_then_signal(pgid):
    os.kill(os.getpid(), signal.SIGTERM)  # the owner's SIGTERM arrives while end() holds its lock
    s.group_members = members
    return members(pgid)
s.group_members = members_then_signal
ending.end()
"""


def test_a_signal_arriving_while_the_server_ends_does_not_hang_it() -> None:
    # the orphans found alive with parent 1 ignoring SIGTERM: the main thread was ending (its finally),
    # a SIGTERM ran the handler in that same thread, and the handler waited for the lock it held itself
    proc = subprocess.Popen([sys.executable, "-c", ENDING_TWICE], start_new_session=True)
    try:
        assert proc.wait(20) == 0
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    assert not group_members(proc.pid)
