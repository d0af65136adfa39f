"""A small process pool that survives bad files.

Each worker is a spawned process with an address-space cap (RLIMIT_AS) and a
parent-death signal; it takes one task at a time over a pipe. A task that runs
past its hard time limit, or a worker that dies (segfault, out of memory),
costs that one task: the worker is killed and replaced, the batch goes on.
Each reply carries the worker's peak RSS so callers can report memory.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import multiprocessing as mp
import os
import resource
import signal
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from haizhi.pipeline.core.errors import HaizhiError


@dataclass
class Outcome:
    key: Any
    ok: bool
    value: Any = None  # the function's result when ok
    reason: str | None = None  # Chinese, when not ok
    seconds: float = 0.0


def _die_with_parent() -> None:
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:
        pass


def _load(func: str) -> Callable[[Any], Any]:
    """"package.module:function", or "/path/to/file.py:function"."""
    mod, _, name = func.rpartition(":")
    if mod.endswith(".py"):
        spec = importlib.util.spec_from_file_location(f"_haizhi_task_{abs(hash(mod))}", mod)
        if spec is None or spec.loader is None:
            raise ImportError(mod)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return getattr(module, name)
    return getattr(importlib.import_module(mod), name)


def _worker(conn: Connection, func: str, mem_mb: int | None, threads: int) -> None:
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_THREAD_LIMIT"):
        os.environ.setdefault(var, str(threads))
    if mem_mb:
        cap = mem_mb << 20
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    try:
        fn = _load(func)
        conn.send(("ready", None, None, _rss()))
    except BaseException as e:
        conn.send(("fatal", None, f"{type(e).__name__}: {e}", _rss()))
        return
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        key, payload = msg
        try:
            res = fn(payload)
            conn.send(("ok", key, res, _rss()))
        except MemoryError:
            conn.send(("err", key, "处理时内存不足（超过每个进程的内存上限）", _rss()))
        except BaseException as e:
            tb = traceback.format_exception_only(type(e), e)[-1].strip()
            conn.send(("err", key, f"处理时出现内部错误：{tb[:300]}", _rss()))


def _rss() -> int:
    """Peak resident set of this process in KiB (ru_maxrss)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


@dataclass
class _Slot:
    proc: Any
    conn: Connection
    task: tuple[Any, Any] | None = None
    started: float = 0.0
    ready: bool = False


@dataclass
class Pool:
    func: str  # "module:function", importable in a fresh process
    workers: int = 1
    timeout: float | None = 120.0  # hard limit per task (seconds)
    mem_mb: int | None = 4096
    start_timeout: float = 120.0
    peak_rss_kb: list[int] = field(default_factory=list)  # per worker process started
    restarts: int = 0

    def __post_init__(self) -> None:
        self._ctx = mp.get_context("spawn")
        self._threads = max(1, (os.cpu_count() or 1) // max(1, self.workers))

    def _start(self) -> _Slot:
        parent, child = self._ctx.Pipe()
        p = self._ctx.Process(target=_worker, args=(child, self.func, self.mem_mb, self._threads))
        p.start()
        child.close()
        self.peak_rss_kb.append(0)
        s = _Slot(p, parent, started=time.monotonic())
        s.idx = len(self.peak_rss_kb) - 1  # type: ignore[attr-defined]
        return s

    def _kill(self, s: _Slot) -> None:
        with contextlib.suppress(Exception):
            s.proc.kill()
        s.proc.join(5)
        s.conn.close()

    def map(self, tasks: Iterable[tuple[Any, Any]]) -> Iterator[Outcome]:
        """Run fn(payload) for each (key, payload); outcomes in completion order."""
        todo = list(tasks)[::-1]
        n = min(self.workers, len(todo))
        slots = [self._start() for _ in range(n)]
        try:
            while todo or any(s.task for s in slots):
                for s in slots:
                    if s.ready and s.task is None and todo:
                        s.task = todo.pop()
                        s.started = time.monotonic()
                        s.conn.send(s.task)
                waitables = [s.conn for s in slots] + [s.proc.sentinel for s in slots]
                wait(waitables, timeout=0.5)
                now = time.monotonic()
                for i, s in enumerate(slots):
                    out = self._poll(s, now)
                    if out is None:
                        continue
                    if out == "restart":
                        self._kill(s)
                        self.restarts += 1
                        slots[i] = self._start()
                        continue
                    yield out
                    if not s.proc.is_alive() or out.reason and "超时" in out.reason:
                        self._kill(s)
                        self.restarts += 1
                        slots[i] = self._start()
                if not todo and not any(s.task for s in slots):
                    break
        finally:
            for s in slots:
                with contextlib.suppress(Exception):
                    s.conn.send(None)
            for s in slots:
                s.proc.join(3)
                if s.proc.is_alive():
                    self._kill(s)
                else:
                    s.conn.close()

    def _poll(self, s: _Slot, now: float) -> Outcome | str | None:
        try:
            has = s.conn.poll()
        except (OSError, EOFError):
            has = False
        if has:
            try:
                kind, key, val, rss = s.conn.recv()
            except (EOFError, OSError):
                kind, _key, val, rss = "dead", None, None, 0
            idx = s.idx  # type: ignore[attr-defined]
            self.peak_rss_kb[idx] = max(self.peak_rss_kb[idx], rss)
            if kind == "ready":
                s.ready = True
                return None
            if kind == "fatal":
                raise HaizhiError(f"处理进程无法启动：{val}")
            if kind in ("ok", "err") and s.task is not None:
                k = s.task[0]
                secs = now - s.started
                s.task = None
                if kind == "ok":
                    return Outcome(k, True, val, seconds=secs)
                return Outcome(k, False, reason=val, seconds=secs)
        if not s.proc.is_alive():
            code = s.proc.exitcode
            if s.task is None:
                if not s.ready:
                    raise HaizhiError(f"处理进程启动失败（退出码 {code}）")
                return "restart"
            k = s.task[0]
            s.task = None
            why = (f"处理进程异常退出（信号 {-code}），可能超出内存上限 {self.mem_mb} MB 或文件触发了崩溃"
                   if code is not None and code < 0 else f"处理进程异常退出（退出码 {code}）")
            return Outcome(k, False, reason=why, seconds=now - s.started)
        if s.task is not None and self.timeout is not None and now - s.started > self.timeout:
            k = s.task[0]
            s.task = None
            s.proc.kill()
            return Outcome(k, False, reason=f"处理超时（超过 {self.timeout:.0f} 秒），已跳过",
                           seconds=now - s.started)
        if not s.ready and now - s.started > self.start_timeout:
            raise HaizhiError("处理进程启动超时")
        return None



class Runner:
    """One long-lived capped worker process taking one task at a time: a queue worker's slot.

    Imports and loaded models stay in the process between jobs. A task past its hard time
    limit, or a crash of the process, costs that task only: the process is replaced.
    """

    def __init__(self, func: str, *, timeout: float | None = 120.0, mem_mb: int | None = 4096) -> None:
        self.pool = Pool(func, workers=1, timeout=timeout, mem_mb=mem_mb)
        self._slot: _Slot | None = None

    def run(self, key: Any, payload: Any) -> Outcome:
        p, sent = self.pool, False
        while True:
            if self._slot is None:
                self._slot = p._start()
            s = self._slot
            if s.ready and not sent:
                s.task, s.started, sent = (key, payload), time.monotonic(), True
                s.conn.send(s.task)
            wait([s.conn, s.proc.sentinel], timeout=0.5)
            out = p._poll(s, time.monotonic())
            if out is None:
                continue
            if out == "restart" or not isinstance(out, Outcome):  # died while idle: start another
                p._kill(s)
                self._slot = None
                continue
            if not s.proc.is_alive() or out.reason and "超时" in out.reason:
                p._kill(s)
                p.restarts += 1
                self._slot = None
            return out

    def close(self) -> None:
        s, self._slot = self._slot, None
        if s is None:
            return
        with contextlib.suppress(Exception):
            s.conn.send(None)
        s.proc.join(3)
        if s.proc.is_alive():
            self.pool._kill(s)
        else:
            s.conn.close()
