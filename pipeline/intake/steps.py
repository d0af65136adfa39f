"""The work of an intake, as steps: read one stored file, group files into applications,
review (cross-check and validate), export.

Both runners call these same functions: the local process pool with an SQLite ledger
(pipeline.intake.run) and the queue workers with a PostgreSQL ledger (pipeline.intake.queue).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from haizhi.pipeline.intake.classify import KIND_CN
from haizhi.pipeline.intake.db import File, RecordRow
from haizhi.pipeline.intake.group import FileInfo, RecInfo, group_files
from haizhi.pipeline.intake.ledger import assign, save_result
from haizhi.pipeline.intake.pool import Outcome
from haizhi.pipeline.intake.review import ledger_view, review
from haizhi.pipeline.intake.store import FileStore

REAL_TASK = "haizhi.pipeline.intake.work:extract_task"


@dataclass
class Summary:
    run_id: int = 0
    db: str = ""
    store: str = ""
    exports_dir: str | None = None
    exports: dict[str, str] = field(default_factory=dict)
    exports_unchanged: bool = False
    entries: int = 0
    files_new: int = 0
    files_known: int = 0
    processed: int = 0
    records_new: int = 0
    applications_run: int = 0
    applications_year: int = 0
    status: dict[str, int] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    other: list[tuple[str, str]] = field(default_factory=list)
    unassigned: list[str] = field(default_factory=list)
    changes: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    peak_rss_kb: list[int] = field(default_factory=list)
    paths: dict[int, str] = field(default_factory=dict, repr=False)  # file id → path first seen

    def to_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d.pop("paths")
        d["rejected"] = [list(x) for x in self.rejected]
        d["other"] = [list(x) for x in self.other]
        return d

    def text(self) -> str:
        st = "，".join(f"{k} {v}" for k, v in self.status.items()) or "无"
        kinds = "，".join(f"{k} {v}" for k, v in self.kinds.items()) or "无"
        lines = [
            f"收件完成（第 {self.run_id} 次运行，用时 {self.seconds:.1f} 秒）",
            f"  文件：本次 {self.entries} 个（新文件 {self.files_new}，已登记过 {self.files_known}），"
            f"本次处理 {self.processed} 个；类别：{kinds}",
            f"  申请：本次涉及 {self.applications_run} 个，本年度共 {self.applications_year} 个；新记录 {self.records_new} 条",
            f"  初审结果（本年度）：{st}",
            f"  拒收文件 {len(self.rejected)} 个" + ("：" if self.rejected else ""),
        ]
        lines += [f"    - {p}：{r}" for p, r in self.rejected]
        if self.other:
            lines.append(f"  未识别的文件 {len(self.other)} 个：")
            lines += [f"    - {p}：{r}" for p, r in self.other]
        if self.unassigned:
            lines.append(f"  未能归入任何申请的附件 {len(self.unassigned)} 个：" + "、".join(self.unassigned[:20]))
        lines.append(f"  台账数据库：{self.db}")
        lines.append(f"  原件存档：{self.store}")
        if self.exports_dir:
            same = "（内容无变化，未重写）" if self.exports_unchanged else ""
            lines.append(f"  审核导出：{self.exports_dir}{same}")
        return "\n".join(lines)


def read_payload(f: File, store: FileStore, timeout: float | None, ocr_engine: str | None) -> dict[str, Any]:
    """What the read step (work.extract_task, in a capped child process) gets for one stored file.
    The extraction's own limit is 85% of the hard limit per file."""
    return {"store_path": str(store.path_for(f.sha256)), "sha256": f.sha256, "name": f.name,
            "suffix": f.suffix, "timeout": timeout * 0.85 if timeout else None, "ocr_engine": ocr_engine}


def save_read(s: Any, file_id: int, display: str, o: Outcome, run_id: int) -> None:
    """The read step's result into the ledger: one transaction, a no-op when already saved."""
    save_result(s, file_id, display, o.ok, o.value, o.reason, run_id)


def group_step(Session: Any, year: int, seen: dict[int, str | None], run_id: int, summ: Summary) -> None:
    paths = summ.paths
    with Session() as s:
        files = list(s.scalars(select(File).where(File.id.in_(list(seen))).order_by(File.id)))
        infos: list[FileInfo] = []
        for f in files:
            kind = "拒收" if f.state in ("rejected", "failed") and f.kind != "archive" else KIND_CN.get(f.kind or "",
                                                                                                   "未处理")
            summ.kinds[kind] = summ.kinds.get(kind, 0) + 1
            if f.state in ("rejected", "failed"):
                summ.rejected.append((paths.get(f.id, f.name), f.reason or "无法读取"))
                continue
            if f.state != "done" or f.kind == "archive":
                continue
            if f.kind == "other":
                summ.other.append((paths.get(f.id, f.name), f.reason or "未识别"))
            recs = [RecInfo(r.id, f.id, r.form, r.copy, r.fields or {}, r.application_id)
                    for r in s.scalars(select(RecordRow).where(RecordRow.file_id == f.id).order_by(RecordRow.idx))]
            summ.records_new += sum(1 for r in recs if r.application_id is None)
            infos.append(FileInfo(f.id, f.name, seen[f.id], f.kind or "other", recs))
        groups, loose = group_files(infos)
        apps = set()
        for g in groups:
            app = assign(s, year, g, run_id)
            if app is not None:
                apps.add(app.id)
            elif g.form is None:
                loose += g.files
        summ.applications_run = len(apps)
        summ.unassigned = [paths.get(f.id, f.name) for f in loose if f.kind != "other"]


def review_step(Session: Any, cfg: Any, run_id: int, summ: Summary) -> None:
    """Cross-check editable copy and scan, validate each current record once, check the batch once."""
    with Session() as s:
        cur, _batch, changes = review(s, cfg, run_id)
    summ.changes = changes
    summ.applications_year = len(cur)
    summ.status = {}
    for c in cur:
        if c.status:
            summ.status[c.status] = summ.status.get(c.status, 0) + 1


def _fingerprint(cur: list[Any], batch: list[Any], pdf: bool) -> str:
    data = [[c.app.id, c.status, c.record.to_dict()] for c in cur] + [[f.to_dict() for f in batch], pdf]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()


def export_step(Session: Any, cfg: Any, out: Path, pdf: bool, summ: Summary) -> None:
    """Write the reviewer exports from the ledger's findings and statuses (nothing validated
    again), unless the last complete export had exactly this content."""
    from haizhi.pipeline.export import write_exports

    with Session() as s:
        cur, batch = ledger_view(s, cfg)
    if not cur:
        return

    d = out / "exports"
    stamp = d / ".intake-fingerprint"
    fp = _fingerprint(cur, batch, pdf)
    summ.exports_dir = str(d)
    if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == fp:
        summ.exports_unchanged = True
        return
    stamp.unlink(missing_ok=True)
    batch = [f for f in batch if f.rule != "batch.deadline"]  # carried on each record instead
    written = write_exports([c.record for c in cur], cfg, d, batch_findings=batch, sheets=True, pdf=pdf,
                            files=[c.files for c in cur], findings=[c.findings for c in cur])
    summ.exports = {k: str(v) for k, v in (written or {}).items()}
    tmp = stamp.with_suffix(".tmp")
    tmp.write_text(fp + "\n", encoding="utf-8")
    os.replace(tmp, stamp)
