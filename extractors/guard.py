"""extract_file: THE way to read an untrusted file: in a child process with a memory cap and a time limit.

Every command (extract, validate, export), the intake and the web app read
returned forms through extract_file. The format is sniffed once here; the
child reads with the reader of that kind (extractors.readers.READERS).
.doc/.wps are converted in the parent first (LibreOffice runs in its own
process with its own time limit); parsing, layout and OCR run in the child.
The child is a fork when this process has a single thread (cheap, modules
already loaded); otherwise a fresh interpreter (`python -m haizhi.extractors.guard`),
so thread pools or locks held here (OCR runtimes) cannot deadlock it.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import resource
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from haizhi.extractors.extract import _unreadable, extract_unguarded, open_error
from haizhi.extractors.readers import convert_to_docx, sniff_kind
from haizhi.extractors.safety import check_size
from haizhi.pipeline.core.errors import UnreadableInput
from haizhi.pipeline.core.record import ExtractResult

if TYPE_CHECKING:
    from haizhi.extractors.warm import WarmReader

DEFAULT_TIMEOUT = 180.0  # seconds per file; HAIZHI_READ_TIMEOUT overrides
DEFAULT_MEMORY_MB = 2048  # address space the child may add; HAIZHI_READ_MEMORY_MB overrides


def _env_number(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


def _vm_bytes() -> int:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _threads() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 2  # unknown: assume threads


def _limit(mem_mb: int, cpu_s: int) -> None:
    try:
        limit = _vm_bytes() + mem_mb * 2**20
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 5))
    except (ValueError, OSError):
        pass


def _mem_fail(path: str) -> ExtractResult:
    return _fail(Path(path), "读取时超出内存上限（文件过大或结构异常）")


def _near_limit() -> bool:
    try:
        probe = bytearray(32 * 2**20)
        del probe
        return False
    except MemoryError:
        return True


def _run(path: str, engine: str | None, kind: str | None, converted: str | None) -> ExtractResult:
    try:
        res = extract_unguarded(Path(path), ocr_engine=engine, kind=kind,
                                converted=Path(converted) if converted else None)
    except MemoryError:
        return _mem_fail(path)
    if not res.readable and res.findings and "格式异常" in res.findings[0].message and _near_limit():
        return _mem_fail(path)  # parsers report failed allocations as syntax errors
    return res


def _fork_child(conn, path: str, engine: str | None, kind: str, converted: str | None, mem_mb: int,
                cpu_s: int) -> None:
    _limit(mem_mb, cpu_s)
    res = _run(path, engine, kind, converted)
    try:
        conn.send(res)
    except Exception:  # noqa: BLE001 - result unpicklable: report as unreadable
        conn.send(_fail(Path(path), "结果无法传回"))
    finally:
        conn.close()


def _fail(path: Path, msg: str) -> ExtractResult:
    return _unreadable(ExtractResult(file=str(path)), msg)


def _by_fork(path: Path, engine: str | None, kind: str, converted: str | None, timeout: float,
             mem_mb: int) -> tuple[ExtractResult | None, bool, int | None]:
    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_fork_child,
                       args=(send, str(path), engine, kind, converted, mem_mb, int(timeout) + 1), daemon=True)
    proc.start()
    send.close()
    res, timed_out = None, False
    try:
        if recv.poll(timeout):
            res = recv.recv()
        else:
            timed_out = True
    except (EOFError, OSError):
        res = None
    finally:
        recv.close()
        proc.join(0 if timed_out else 2)
        if proc.is_alive():
            proc.kill()
            proc.join(5)
    return res, timed_out, proc.exitcode


def _by_subprocess(path: Path, engine: str | None, kind: str, converted: str | None, timeout: float,
                   mem_mb: int) -> tuple[ExtractResult | None, bool, int | None]:
    cmd = [sys.executable, "-m", "haizhi.extractors.guard", str(path), engine or "-", kind, converted or "-",
           str(mem_mb), str(int(timeout) + 1)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout + 5)  # + interpreter start
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return None, True, proc.returncode
    if proc.returncode == 0 and out:
        try:
            return pickle.loads(out), False, 0  # noqa: S301 - our own child's output
        except Exception:  # noqa: BLE001
            return None, False, proc.returncode
    return None, False, proc.returncode


def extract_file(path: Path | str, *, ocr_engine: str | None = None, timeout: float | None = None,
                 max_memory_mb: int | None = None, reader: WarmReader | None = None) -> ExtractResult:
    """Read one untrusted file: its records and findings, never an exception for bad input.

    The file is parsed in a child process limited to `timeout` seconds (default
    DEFAULT_TIMEOUT or $HAIZHI_READ_TIMEOUT) and `max_memory_mb` more address space
    (default DEFAULT_MEMORY_MB or $HAIZHI_READ_MEMORY_MB); what a file may expand to
    is limited too (extractors.limits), so crafted files are answered in seconds.
    With `reader` (extractors.warm.WarmReader) the file is read by that reader's
    long-lived child instead of a new one, under the same limits.
    """
    path = Path(path)
    timeout = timeout if timeout else _env_number("HAIZHI_READ_TIMEOUT", DEFAULT_TIMEOUT)
    mem_mb = max_memory_mb or int(_env_number("HAIZHI_READ_MEMORY_MB", DEFAULT_MEMORY_MB))
    with tempfile.TemporaryDirectory(prefix="haizhi-guard-") as td:
        prep = prepare(path, Path(td))
        if isinstance(prep, ExtractResult):
            return prep
        kind, converted = prep
        if reader is not None:  # a long-lived guarded child (extractors.warm): models stay loaded
            return reader.read_prepared(path, ocr_engine, kind, converted, timeout, mem_mb)
        if mp.current_process().daemon:  # a daemonic worker may not start children: it is the guard
            return _run(str(path), ocr_engine, kind, converted)
        runner = _by_fork if _threads() == 1 else _by_subprocess
        res, timed_out, code = runner(path, ocr_engine, kind, converted, timeout, mem_mb)
        return res if res is not None else failure(path, timed_out, code, timeout)


def prepare(path: Path, td: Path) -> tuple[str, str | None] | ExtractResult:
    """Size check, sniffing and legacy conversion in the parent: (kind, converted) or the refusal."""
    try:
        check_size(path)
        with open(path, "rb") as fh:
            head = fh.read(2048)
        kind, detail = sniff_kind(head, path.suffix)
        converted = str(convert_to_docx(path, detail, td)) if kind == "legacy" else None
    except UnreadableInput as e:
        return _fail(path, str(e))
    except OSError as e:
        return _fail(path, open_error(e))
    return kind, converted


def failure(path: Path, timed_out: bool, code: int | None, timeout: float) -> ExtractResult:
    """The finding for a child that gave no result: time limit, crash or memory cap."""
    if timed_out:
        return _fail(path, f"读取超时（超过 {timeout:g} 秒），已放弃；文件可能过大或结构异常")
    if code is not None and code < 0 and -code != signal.SIGXCPU:
        return _fail(path, f"读取时解析程序崩溃（信号 {-code}），文件可能已损坏或恶意构造")
    if code is not None and -code == signal.SIGXCPU:
        return _fail(path, f"读取超时（CPU 时间超过 {timeout:g} 秒），已放弃")
    return _fail(path, "读取时超出内存上限或意外退出，文件可能过大或已损坏")


extract_file_guarded = extract_file  # the name earlier callers used


def _main(argv: list[str]) -> None:
    path, engine, kind, converted, mem_mb, cpu_s = argv
    _limit(int(mem_mb), int(cpu_s))
    res = _run(path, None if engine == "-" else engine, kind, None if converted == "-" else converted)
    sys.stdout.buffer.write(pickle.dumps(res))


if __name__ == "__main__":
    _main(sys.argv[1:])
