"""WarmReader: a long-lived guarded child that reads untrusted files one at a time.

extract_file starts a new child per file, so every scanned file reloads the OCR
models. A WarmReader keeps one child (a fresh interpreter, started with the
"spawn" method so thread pools or locks of the parent cannot deadlock it) and
hands it file after file: modules, the OCR engine (extractors.scan.engines keeps
one per process) and its ONNX sessions stay loaded between files.

Limits are those of extract_file: the parent runs the pre-checks
(extractors.guard.prepare: size, sniffing, legacy conversion; the readers run
extractors.limits before parsing), the child has an address-space cap
(RLIMIT_AS, its size at start plus max_memory_mb) and a CPU limit renewed for
each file, and the parent enforces the per-file time limit. On a timeout, a
crash or a hit of the memory cap the child is killed and the next file gets a
fresh one; the file gets the same Chinese finding as extract_file gives.

Use:  with WarmReader() as r: res = extract_file(path, reader=r)   (or r.read(path))
"""

from __future__ import annotations

import atexit
import contextlib
import math
import multiprocessing as mp
import os
import resource
import signal
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from haizhi.extractors.guard import _limit, _run, _vm_bytes, failure
from haizhi.pipeline.core.record import ExtractResult

START_TIMEOUT = 120.0  # seconds for a new child to import the readers
MEMORY_WORDS = "超出内存上限"  # guard._mem_fail: the child may be left fragmented, so it is replaced
MAX_FILES = 500  # a child is replaced after this many files (slow leaks in parsers)
RECYCLE_SHARE = 0.5  # ... or once it has grown by this share of its cap: the cap stays a per-file cap


def _die_with_parent() -> None:
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _cpu_seconds() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def _renew_cpu_limit(cpu_s: int) -> None:
    """Soft RLIMIT_CPU = CPU used so far + this file's allowance (SIGXCPU past it)."""
    with contextlib.suppress(ValueError, OSError):
        _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
        soft = math.ceil(_cpu_seconds()) + cpu_s  # rounded up: the file gets at least its whole allowance
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _probe() -> dict[str, Any]:
    """What a test may ask the child: its pid, the engines it holds (by object id), files read."""
    from haizhi.extractors.scan import engines

    return {"pid": os.getpid(), "engines": {k: id(v) for k, v in engines._engines.items()},
            "files": _served[0], "cpu": _cpu_seconds(), "vm_mb": _vm_bytes() >> 20}


_served = [0]


def _serve(conn: Connection, mem_mb: int, preload: bool) -> None:
    """The child: load, cap, then read one request at a time until told to stop (None)."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if preload:  # the default engine's models are loaded before the cap: each file gets all of mem_mb
        with contextlib.suppress(Exception):  # a missing engine is reported by the read itself
            from haizhi.extractors.scan.engines import get_engine

            get_engine(None)
    _limit(mem_mb, 1 << 30)  # address space: what is loaded now plus mem_mb; CPU renewed per file
    base = _vm_bytes()
    conn.send(("ready", os.getpid()))
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        if msg[0] == "probe":
            conn.send(("probe", _probe()))
            continue
        _op, path, engine, kind, converted, cpu_s = msg
        _renew_cpu_limit(cpu_s)
        res = _run(path, engine, kind, converted)
        _served[0] += 1
        grown = _vm_bytes() - base
        if _served[0] == 1 and res.readable:  # the first file warms the engine up (its kernels compiled per input
            # shape, the allocator's arenas: some 1 GB of address space on this Xeon with AVX-512), which stays and
            # is no leak: the cap is renewed from here, and growth counted from here
            _limit(mem_mb, 1 << 30)
            base, grown = _vm_bytes(), 0
        try:
            conn.send(("result", res, grown))
        except Exception:  # noqa: BLE001 - result unpicklable: report as unreadable
            conn.send(("result", failure(Path(path), False, None, 0), grown))


class WarmReader:
    """One long-lived guarded child per worker slot; see the module doc. Not thread-safe."""

    def __init__(self, *, timeout: float | None = None, max_memory_mb: int | None = None,
                 preload: bool = True) -> None:
        self.timeout = timeout  # None: extract_file's default ($HAIZHI_READ_TIMEOUT)
        self.max_memory_mb = max_memory_mb
        self.preload = preload  # load the default OCR engine ($HAIZHI_OCR) as soon as a child starts
        self.restarts = 0  # children replaced after a timeout, crash or memory cap
        self.recycled = 0  # children replaced after MAX_FILES files or growing by RECYCLE_SHARE of the cap
        self._files = 0  # read by the current child
        self._ctx = mp.get_context("spawn")
        self._proc: Any = None
        self._conn: Connection | None = None
        self._mem_mb: int | None = None

    def __enter__(self) -> WarmReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def read(self, path: Path | str, *, ocr_engine: str | None = None) -> ExtractResult:
        from haizhi.extractors.guard import extract_file

        return extract_file(path, ocr_engine=ocr_engine, timeout=self.timeout,
                            max_memory_mb=self.max_memory_mb, reader=self)

    def read_prepared(self, path: Path, engine: str | None, kind: str, converted: str | None,
                      timeout: float, mem_mb: int) -> ExtractResult:
        """extract_file's part after its pre-checks: the read in the warm child."""
        if mp.current_process().daemon:  # a daemonic worker may not start children: it is the guard
            return _run(str(path), engine, kind, converted)
        if self._proc is not None and self._mem_mb != mem_mb:
            self._stop()  # a different cap needs a child capped differently
        if self._proc is None or not self._proc.is_alive():
            self._start(mem_mb)
        conn, proc = self._conn, self._proc
        assert conn is not None and proc is not None
        timed_out, res, grown = False, None, 0
        try:
            conn.send(("read", str(path), engine, kind, converted, int(timeout) + 1))
            if conn.poll(timeout):
                _tag, res, grown = conn.recv()
            else:
                timed_out = True
        except (EOFError, OSError):
            res = None
        if res is None:
            if proc.is_alive():
                proc.kill()
            proc.join(5)
            code = proc.exitcode
            self._discard()
            self.restarts += 1
            return failure(path, timed_out, code, timeout)
        self._files += 1
        if not res.readable and res.findings and MEMORY_WORDS in res.findings[0].message:
            self._stop()
            self.restarts += 1
        elif grown > RECYCLE_SHARE * (mem_mb << 20) or self._files >= MAX_FILES:
            self._stop()  # a fresh child, so the next file has its whole cap
            self.recycled += 1
        return res

    def probe(self) -> dict[str, Any]:
        """The child's pid, engine object ids and files read (for tests and benches)."""
        if self._proc is None or not self._proc.is_alive():
            self._start(self._mem_mb or _default_mem())
        assert self._conn is not None
        self._conn.send(("probe",))
        return self._conn.recv()[1]

    def _start(self, mem_mb: int) -> None:
        self._discard()
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=_serve, args=(child, mem_mb, self.preload), daemon=True)
        proc.start()
        child.close()
        self._proc, self._conn, self._mem_mb, self._files = proc, parent, mem_mb, 0
        deadline = time.monotonic() + START_TIMEOUT
        try:
            while not parent.poll(0.5):
                if not proc.is_alive() or time.monotonic() > deadline:
                    raise OSError("warm reader did not start")
            parent.recv()
        except (EOFError, OSError) as e:
            self._stop()
            from haizhi.pipeline.core.errors import HaizhiError

            raise HaizhiError(f"读取进程无法启动（{e}）") from e

    def _discard(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.close()
        self._proc, self._conn = None, None

    def _stop(self) -> None:
        proc, conn = self._proc, self._conn
        if proc is None:
            return
        with contextlib.suppress(Exception):
            if conn is not None:
                conn.send(None)
        proc.join(3)
        if proc.is_alive():
            proc.kill()
            proc.join(5)
        self._discard()

    def close(self) -> None:
        self._stop()


def _default_mem() -> int:
    from haizhi.extractors.guard import DEFAULT_MEMORY_MB, _env_number

    return int(_env_number("HAIZHI_READ_MEMORY_MB", DEFAULT_MEMORY_MB))


_shared: WarmReader | None = None


def shared_reader() -> WarmReader:
    """This process's WarmReader (a pool or queue worker slot's), closed at exit."""
    global _shared
    if _shared is None:
        _shared = WarmReader()
        atexit.register(_shared.close)
    return _shared
