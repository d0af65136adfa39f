"""Several people (threads, each with its own connection) correcting and deciding at once on SQLite."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from haizhi.pipeline.intake.db import Application
from haizhi.pipeline.review.decisions import decide
from haizhi.pipeline.review.models import Decision, FieldRevision
from haizhi.pipeline.review.revisions import correct_field


def test_simultaneous_corrections_and_decisions(ledger):
    S, ids = ledger
    with S() as s:
        rids = [s.get(Application, i).current_record_id for i in ids.values()]
    errors: list[BaseException] = []
    start = threading.Barrier(10)

    def worker(n: int) -> None:
        try:
            start.wait()
            with S() as s:
                for k in range(4):
                    correct_field(s, rids[(n + k) % 3], "staff_total", 100 + n * 10 + k, "小王", f"并发 {n}-{k}")
                    decide(s, list(ids.values())[n % 3], "通过" if k % 2 else "不符合条件", "老李")
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(9)]
    for t in threads:
        t.start()
    start.wait()
    for t in threads:
        t.join()
    assert errors == [], errors
    with S() as s:
        assert s.scalar(select(func.count()).select_from(FieldRevision)) == 36
        assert s.scalar(select(func.count()).select_from(Decision)) == 36
