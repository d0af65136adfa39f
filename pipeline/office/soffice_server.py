"""The LibreOffice server process and process-group housekeeping for office.convert.

serve() is unoserver's own main with three adaptations: documents are loaded with
Hidden=True (LibreOffice 7.4 cannot load a spreadsheet into a headless listener
without it), the fixed 7 s sleep of UnoServer.start() is cut, and the server ends
with its owner. unoserver's own SIGTERM handler waits for the XML-RPC thread, which
never returns while a conversion hangs, so the orphan of a killed owner ignored
SIGTERM for ever. Here SIGTERM, SIGINT and SIGHUP, and a watchdog thread that sees
the owner's pid gone, all end the same way: SIGKILL to the rest of the server's
process group (oosplash, soffice.bin: the owner's grandchildren, which no
parent-death signal reaches), the work dir removed when the owner is gone, exit.
The server itself gets SIGTERM from the kernel when the owner's thread that
started it dies (PR_SET_PDEATHSIG, see die_with_parent).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import types
from pathlib import Path


def kill_group(proc: subprocess.Popen[bytes], grace: float = 3.0) -> None:
    """Terminate the whole process group led by proc, then make sure it is gone."""
    pgid = proc.pid
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(grace)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(grace)
    deadline = time.monotonic() + grace
    while group_members(pgid) and time.monotonic() < deadline:
        time.sleep(0.05)


def group_members(pgid: int) -> list[tuple[int, str]]:
    """Live (non-zombie) processes of a process group: [(pid, comm)] from /proc."""
    out = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        head, _, rest = stat.rpartition(")")
        fields = rest.split()
        if len(fields) > 2 and fields[0] != "Z" and int(fields[2]) == pgid:
            out.append((int(entry.name), head.partition("(")[2]))
    return out


try:
    _prctl = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):  # not Linux
    _prctl = None


def die_with_parent() -> None:
    """preexec_fn: SIGTERM the server when the thread that started it dies (PR_SET_PDEATHSIG)."""
    if _prctl is not None:
        _prctl(1, signal.SIGTERM)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The server process runs serve() in this interpreter, where haizhi is installed.
SERVE = "import sys; from haizhi.pipeline.office.soffice_server import serve; serve(sys.argv[1:])"
OWNER_ENV = "HAIZHI_LO_OWNER"  # pid of the process the server must not outlive
WATCH_INTERVAL = 0.5  # seconds between two looks at the owner


def _pid_alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


class _Ending:
    """How the server process ends: the rest of its group killed, the orphaned work dir removed."""

    def __init__(self, owner: int, workdir: Path | None) -> None:
        self.owner = owner
        self.workdir = workdir
        self._lock = threading.Lock()
        self._holder: int | None = None  # the thread ending the process

    def owner_gone(self) -> bool:
        return os.getppid() != self.owner or not _pid_alive(self.owner)

    def end(self, *_: object) -> None:
        # A signal and the watchdog may both come: the second waits while the first ends the process.
        # A signal's handler runs in the main thread, which may be ending already (server.main's
        # finally) and hold the lock: there it returns, and that ending goes on (waiting hung the orphan).
        if self._holder == threading.get_ident():
            return
        with self._lock:
            self._holder = threading.get_ident()
            me, pgid = os.getpid(), os.getpgrp()
            for _attempt in range(3):
                others = [pid for pid, _ in group_members(pgid) if pid != me]
                if not others:
                    break
                for pid in others:
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.kill(pid, signal.SIGKILL)
                time.sleep(0.1)
            if self.workdir is not None and self.owner_gone():
                shutil.rmtree(self.workdir, ignore_errors=True)
            os._exit(0)

    def watch(self) -> None:
        while not self.owner_gone():
            time.sleep(WATCH_INTERVAL)
        self.end()


def serve(argv: list[str]) -> None:
    """Entry of the server process: unoserver's main, loading documents hidden, ending with its owner."""
    owner = int(os.environ.get(OWNER_ENV) or os.getppid())
    workdir = (Path(argv[argv.index("--user-installation") + 1]).parent
               if "--user-installation" in argv else None)
    ending = _Ending(owner, workdir)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, ending.end)
    if ending.owner_gone():  # the owner died while this process started
        ending.end()

    import uno
    from unoserver import converter, server

    class _HiddenDesktop:
        def __init__(self, desktop: object) -> None:
            self._desktop = desktop

        def loadComponentFromURL(self, url, frame, flags, props):  # type: ignore[no-untyped-def]  # noqa: N802
            hidden = uno.createUnoStruct("com.sun.star.beans.PropertyValue", "Hidden", 0, True, 0)
            return self._desktop.loadComponentFromURL(url, frame, flags, (*props, hidden))

        def __getattr__(self, name: str) -> object:
            return getattr(self._desktop, name)

    class _HiddenLoadConverter(converter.UnoConverter):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self.desktop = _HiddenDesktop(self.desktop)

    class _QuickStartServer(server.UnoServer):
        # UnoServer.start() sleeps a fixed 5 + 2 s before serving; its serve thread already
        # retries the UNO connection until soffice listens, so shorten those two sleeps.
        # It also installs signal handlers that can hang: keep ours (see _Ending).
        def start(self, executable: str = "libreoffice"):  # type: ignore[no-untyped-def]
            server.time = types.SimpleNamespace(sleep=lambda s: time.sleep(min(s, 0.3)))
            server.signal = types.SimpleNamespace(signal=lambda *a: None, SIGTERM=signal.SIGTERM,
                                                  SIGINT=signal.SIGINT, SIGHUP=signal.SIGHUP)
            try:
                return super().start(executable=executable)
            finally:
                server.time = time
                server.signal = signal

    converter.UnoConverter = _HiddenLoadConverter
    server.UnoServer = _QuickStartServer
    sys.argv = ["unoserver", *argv]
    threading.Thread(target=ending.watch, name="owner-watchdog", daemon=True).start()
    try:
        server.main()
    finally:  # LibreOffice ended or main() failed: nothing of the group stays behind
        ending.end()
