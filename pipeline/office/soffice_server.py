"""The LibreOffice server process and process-group housekeeping for office.convert.

serve() is unoserver's own main with two adaptations: documents are loaded with
Hidden=True (LibreOffice 7.4 cannot load a spreadsheet into a headless listener
without it), and the fixed 7 s sleep of UnoServer.start() is cut.
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


def serve(argv: list[str]) -> None:
    """Entry of the server process: unoserver's main, loading documents hidden."""
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
        def start(self, executable: str = "libreoffice"):  # type: ignore[no-untyped-def]
            server.time = types.SimpleNamespace(sleep=lambda s: time.sleep(min(s, 0.3)))
            try:
                return super().start(executable=executable)
            finally:
                server.time = time

    converter.UnoConverter = _HiddenLoadConverter
    server.UnoServer = _QuickStartServer
    sys.argv = ["unoserver", *argv]
    owner = os.getppid()
    try:
        sys.exit(server.main())
    finally:  # the owner died without close(): remove its work dir (profile, log) too
        if os.getppid() != owner and "--user-installation" in argv:
            shutil.rmtree(Path(argv[argv.index("--user-installation") + 1]).parent, ignore_errors=True)
