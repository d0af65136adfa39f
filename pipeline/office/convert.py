"""Document conversion through LibreOffice, kept warm across a batch.

Why unoserver rather than plain UNO in this process: pyuno patches
``__import__`` and can take the interpreter down when the bridge breaks.
unoserver keeps the bridge in its own process (it starts soffice itself and
picks the export filter from the target extension); we talk to it over
XML-RPC. A per-document time limit is then a socket timeout, and a hung or
crashed LibreOffice is dealt with by killing one process group (server +
oosplash + soffice.bin) and starting again. The price: one soffice start
(~3 s, more on a loaded machine) per batch.

The server process runs soffice_server.serve(): unoserver's own main with two
adaptations: documents are loaded with Hidden=True (LibreOffice 7.4 cannot
load a spreadsheet into a headless listener without it: the load returns
nothing and soffice then aborts), and the fixed 7 s sleep of
UnoServer.start() is cut (its serve thread waits for soffice anyway). The
server ends with its owner however the owner ends: it gets SIGTERM when the
thread that started it dies (PR_SET_PDEATHSIG), a watchdog thread in it sees
the owner's pid ($HAIZHI_LO_OWNER) gone, and either way it kills its whole
process group (oosplash, soffice.bin) and removes the orphaned profile; it
answers SIGTERM at any time, even in the middle of a conversion.

Each Converter has its own user profile (-env:UserInstallation) and free
ports, so several processes can each have one; a forked child starts its own.
soffice runs with FONTCONFIG_FILE=pipeline/fonts.conf, which maps the official
font names (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312, 黑体, 宋体) to free CJK
faces. Without pyuno the Converter falls back to one ``soffice --convert-to``
per document (slower, same output).
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import types
import uuid
import weakref
import xmlrpc.client
from pathlib import Path

from haizhi.pipeline.core.errors import ConversionError
from haizhi.pipeline.office.sc_fonts import ensure_sc_fonts
from haizhi.pipeline.office.soffice_server import (
    OWNER_ENV,
    SERVE,
    die_with_parent,
    free_port,
    group_members,
    kill_group,
)

log = logging.getLogger(__name__)

FONTS_CONF = Path(__file__).resolve().with_name("fonts.conf")
# Explicit soffice path; None = $HAIZHI_SOFFICE, then PATH, then usual locations.
SOFFICE: str | None = None
INSTALL_HINT = "请安装：sudo apt-get install libreoffice-writer-nogui libreoffice-calc-nogui"

# Export filters whose extension LibreOffice shares between several filters.
_FILTERS = {"docx": "MS Word 2007 XML", "xlsx": "Calc MS Excel 2007 XML"}
# Source types and the magic numbers their content must start with.
_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_TYPES = {".docx", ".docm", ".dotx", ".xlsx", ".xlsm", ".xltx", ".pptx", ".odt", ".ods", ".odp", ".ott"}
_LEGACY_TYPES = {".doc", ".dot", ".wps", ".wpt", ".xls", ".et", ".ppt", ".dps"}


def find_soffice() -> str | None:
    """Path of the soffice executable, or None."""
    if SOFFICE is not None:
        return SOFFICE if os.access(SOFFICE, os.X_OK) else None
    env = os.environ.get("HAIZHI_SOFFICE")
    if env:
        return env if os.access(env, os.X_OK) else None
    for name in ("soffice", "libreoffice"):
        if found := shutil.which(name):
            return found
    for cand in ("/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice"):
        if os.access(cand, os.X_OK):
            return cand
    return None


def libreoffice_available() -> bool:
    return find_soffice() is not None


def _require_soffice() -> str:
    exe = find_soffice()
    if exe is None:
        raise ConversionError(f"未找到 LibreOffice（soffice），无法转换文档。{INSTALL_HINT}")
    return exe


def _soffice_env() -> dict[str, str]:
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(FONTS_CONF)
    ensure_sc_fonts()  # the SC faces fonts.conf asks for (sc_fonts.py)
    return env


def _check_source(src: Path) -> None:
    """Refuse what LibreOffice would open as plain text (garbage PDF) or not at all."""
    if not src.is_file():
        raise ConversionError(f"无法转换 {src.name}：文件不存在")
    with src.open("rb") as fh:
        head = fh.read(512)
    if not head:
        raise ConversionError(f"无法转换 {src.name}：文件为空")
    ext = src.suffix.lower()
    if ext in _ZIP_TYPES and not head.startswith((_ZIP, _OLE)):
        raise ConversionError(f"无法转换 {src.name}：文件已损坏（不是有效的 {ext[1:].upper()} 文件）")
    if ext in _LEGACY_TYPES:
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if not (head.startswith((_OLE, _ZIP)) or text.startswith((b"{\\rtf", b"<", b"mime-version"))):
            raise ConversionError(f"无法转换 {src.name}：文件已损坏或不是可识别的 Office/WPS 格式")


def _target_format(dst: Path) -> str:
    fmt = dst.suffix.lower().lstrip(".")
    if not fmt:
        raise ConversionError(f"无法转换到 {dst.name}：目标文件没有扩展名，无法判断格式")
    return fmt


def _partial(dst: Path) -> Path:
    return dst.with_name(f".{dst.stem}.{uuid.uuid4().hex[:8]}.partial{dst.suffix}")


def _finish(tmp: Path, dst: Path, src: Path) -> Path:
    if not tmp.is_file() or tmp.stat().st_size == 0:
        tmp.unlink(missing_ok=True)
        raise ConversionError(f"无法转换 {src.name}：LibreOffice 没有生成 {dst.suffix[1:].upper()} 文件")
    os.replace(tmp, dst)
    return dst


class _Transport(xmlrpc.client.Transport):
    def __init__(self, timeout: float) -> None:
        super().__init__()
        self._timeout = timeout

    def make_connection(self, host):  # type: ignore[no-untyped-def]
        conn = super().make_connection(host)
        conn.timeout = self._timeout
        return conn


def convert_cold(src: Path, dst: Path, timeout: float = 120.0, profile: Path | None = None) -> Path:
    """One ``soffice --headless --convert-to`` per file (the benchmark baseline).

    profile: a user profile dir to reuse; default a fresh one per call.
    """
    src, dst = Path(src), Path(dst)
    exe = _require_soffice()
    _check_source(src)
    fmt = _target_format(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".haizhi-cold-", dir=dst.parent))
    try:
        prof = profile or work / "profile"
        target = f"{fmt}:{_FILTERS[fmt]}" if fmt in _FILTERS else fmt
        cmd = [exe, f"-env:UserInstallation={prof.resolve().as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", target, "--outdir", str(work), str(src.resolve())]
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, env=_soffice_env(), start_new_session=True)
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise ConversionError(f"转换 {src.name} 超时（超过 {timeout:g} 秒），已终止 LibreOffice") from None
        finally:
            kill_group(proc, grace=0.5)  # also any soffice.bin left behind
        produced = work / f"{src.stem}.{fmt}"
        if not produced.is_file():
            reason = out.decode("utf-8", "replace").strip().splitlines()[-1:] or ["无输出"]
            raise ConversionError(f"无法转换 {src.name}：LibreOffice 无法打开或导出此文件（{reason[0]}）")
        return _finish(produced, dst, src)
    finally:
        shutil.rmtree(work, ignore_errors=True)


class Converter:
    """Warm LibreOffice: one soffice started once, reused for many documents.

    convert() is serialised by a lock; use one Converter per process (see
    shared_converter()). The target format comes from the dst suffix.
    """

    def __init__(self, timeout: float = 120.0, *, startup_timeout: float = 120.0) -> None:
        self.timeout = timeout
        self.startup_timeout = startup_timeout
        self.restarts = 0  # how many times soffice had to be started again
        self._lock = threading.RLock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._port = 0
        self._soffice_pid: int | None = None
        self._owner = os.getpid()
        self._workdir = Path(tempfile.mkdtemp(prefix="haizhi-lo-"))
        self._cold_profile = self._workdir / "cold-profile"
        self._warm = importlib.util.find_spec("uno") is not None
        _LIVE.add(self)
        if not self._warm:
            log.warning("pyuno 不可用，LibreOffice 将逐个文件冷启动转换（较慢）")

    # -- lifecycle ---------------------------------------------------------
    def __enter__(self) -> Converter:
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None,
                 tb: types.TracebackType | None) -> None:
        self.close()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()

    @property
    def pid(self) -> int | None:
        """PID of the running soffice.bin (None when not started)."""
        with self._lock:
            return self._soffice_pid if self._alive() else None

    def close(self) -> None:
        with self._lock:
            if os.getpid() != self._owner:  # a forked child's copy: parent's server and profile
                self._proc, self._soffice_pid = None, None
                return
            self._stop()
            shutil.rmtree(self._workdir, ignore_errors=True)

    def _stop(self) -> None:
        if self._proc is not None and os.getpid() == self._owner:
            kill_group(self._proc)
        self._proc = None
        self._soffice_pid = None

    def _alive(self) -> bool:
        if self._proc is None or self._proc.poll() is not None:
            return False
        pid = self._soffice_pid
        if pid is None:
            return True
        try:
            return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
        except OSError:
            return False

    def _start(self) -> None:
        exe = _require_soffice()
        self._workdir.mkdir(parents=True, exist_ok=True)
        logfile = self._workdir / "unoserver.log"
        for attempt in range(2):
            self._port, uno_port = free_port(), free_port()
            cmd = [sys.executable, "-c", SERVE, "--interface", "127.0.0.1",
                   "--port", str(self._port), "--uno-port", str(uno_port), "--executable", exe,
                   "--user-installation", str(self._workdir / "profile")]
            env = _soffice_env()
            env[OWNER_ENV] = str(os.getpid())
            with logfile.open("ab") as logfh:
                self._proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=logfh, stderr=logfh,
                                              env=env, start_new_session=True, preexec_fn=die_with_parent)
            if self._wait_ready():
                return
            self._stop()
            log.warning("LibreOffice 启动失败（第 %d 次）", attempt + 1)
        tail = logfile.read_text(errors="replace").strip().splitlines()[-3:]
        raise ConversionError("LibreOffice 无法启动（" + " / ".join(tail)[-300:] + f"）。{INSTALL_HINT}")

    def _wait_ready(self) -> bool:
        assert self._proc is not None
        deadline = time.monotonic() + self.startup_timeout
        proxy = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{self._port}", transport=_Transport(10.0))
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                return False
            try:
                proxy.info()
            except (OSError, xmlrpc.client.Error):
                time.sleep(0.2)
                continue
            bins = [pid for pid, comm in group_members(self._proc.pid) if comm.startswith("soffice")]
            self._soffice_pid = max(bins) if bins else None
            return True
        return False

    def _ensure_started(self) -> None:
        if os.getpid() != self._owner:  # forked child: the server belongs to the parent
            self._proc, self._soffice_pid, self._owner = None, None, os.getpid()
            self._workdir = Path(tempfile.mkdtemp(prefix="haizhi-lo-"))
            self._cold_profile = self._workdir / "cold-profile"
        if not self._alive():
            if self._proc is not None:
                self.restarts += 1
                self._stop()
            self._start()

    # -- conversion --------------------------------------------------------
    def convert(self, src: Path, dst: Path) -> Path:
        """Convert src to dst (format from dst's suffix); returns dst.

        Raises ConversionError (Chinese, naming the file) on a missing
        LibreOffice, a corrupt source, a failed export or the time limit.
        """
        src, dst = Path(src), Path(dst)
        _check_source(src)
        fmt = _target_format(dst)
        dst.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            if not self._warm:
                return convert_cold(src, dst, self.timeout, profile=self._cold_profile)
            for _attempt in range(2):
                self._ensure_started()
                tmp = _partial(dst)
                try:
                    self._call(src, tmp, fmt)
                    return _finish(tmp, dst, src)
                except TimeoutError:
                    tmp.unlink(missing_ok=True)
                    self._stop()
                    self.restarts += 1  # started again on the next document
                    raise ConversionError(
                        f"转换 {src.name} 超时（超过 {self.timeout:g} 秒），已终止并将重启 LibreOffice") from None
                except xmlrpc.client.Fault as e:
                    tmp.unlink(missing_ok=True)
                    if self._alive() and not _CRASH.search(str(e.faultString)):
                        raise ConversionError(
                            f"无法转换 {src.name}：LibreOffice 无法打开或导出此文件"
                            f"（可能已损坏、加密或格式不受支持；{_fault_reason(e)}）") from None
                    why: BaseException = e
                except (OSError, xmlrpc.client.ProtocolError) as e:
                    tmp.unlink(missing_ok=True)
                    why = e
                log.warning("LibreOffice 在转换 %s 时退出（%s），重启后重试", src.name, why)
                self._stop()
                self.restarts += 1
            raise ConversionError(f"无法转换 {src.name}：LibreOffice 两次在转换此文件时崩溃")

    def _call(self, src: Path, tmp: Path, fmt: str) -> None:
        proxy = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{self._port}", allow_none=True,
                                          transport=_Transport(self.timeout))
        options = ["EmbedStandardFonts=true"] if fmt == "pdf" else []
        # A socket timeout raises TimeoutError (an OSError): convert() tells it apart.
        proxy.convert(str(src.resolve()), None, str(tmp.resolve()), fmt, _FILTERS.get(fmt),
                      options, False, None, None)


def _fault_reason(e: xmlrpc.client.Fault) -> str:
    text = str(e.faultString).split(":", 1)[-1].strip()
    return text[:200] or "未知原因"


_LIVE: weakref.WeakSet[Converter] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    # A lock held by another thread at fork time would never be released in the child.
    for conv in list(_LIVE):
        conv._lock = threading.RLock()


os.register_at_fork(after_in_child=_after_fork_in_child)

# Faults that mean soffice died under the call (not that the document is bad).
_CRASH = re.compile(r"DisposedException|URP bridge|RuntimeException")

_shared: Converter | None = None
_shared_lock = threading.Lock()


def shared_converter() -> Converter:
    """The process-wide Converter: started lazily on first use, closed at exit."""
    global _shared
    with _shared_lock:
        if _shared is None or _shared._owner != os.getpid():
            _shared = Converter()
            atexit.register(_shared.close)
        return _shared
