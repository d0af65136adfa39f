"""Rules over a whole batch: quotas, overseas share, duplicates, deadlines."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from haizhi.pipeline.core.config import RECOMMENDER_KIND_CN, YearConfig
from haizhi.pipeline.core.fields import BASE, COOP
from haizhi.pipeline.core.record import Finding, Record
from haizhi.pipeline.validate.common import blank, finding, norm_text, parse_date, record_label
from haizhi.pipeline.validate.coop import institution_key, is_overseas

B_QUOTA = "《通知》五、推荐有关事项（一）"
B_SHARE = "《通知》五、推荐有关事项（二）"
B_CHANNELS = "《通知》二、推荐候选机构渠道"
B_DUP = "《通知》三、征选工作流程（二）1.初审"
B_COOP_DEADLINE = "《通知》六、征选工作组织 2"
B_BASE_DEADLINE = "《通知》二、申报程序（三）"
UNKNOWN_RECOMMENDER = "（未填推荐单位）"


@dataclass
class RecommenderUse:
    """One recommender's use of its quota (for findings and the export sheet)."""

    name: str  # canonical name if registered, else as written
    kind: str | None  # None: not registered
    quota: int | None  # None: negotiated / unknown
    candidates: list[Record] = field(default_factory=list)

    @property
    def kind_cn(self) -> str:
        return RECOMMENDER_KIND_CN.get(self.kind, "") if self.kind else "未登记"

    @property
    def count(self) -> int:
        return len(self.candidates)

    @property
    def overseas(self) -> int:
        return sum(1 for r in self.candidates if is_overseas(r))

    @property
    def unknown_overseas(self) -> int:
        return sum(1 for r in self.candidates if is_overseas(r) is None)

    @property
    def share(self) -> float:
        return self.overseas / self.count if self.count else 0.0

    @property
    def over_quota(self) -> bool:
        return self.quota is not None and self.count > self.quota


def recommender_use(records: list[Record], cfg: YearConfig) -> list[RecommenderUse]:
    """Coop candidates grouped by recommender, in first-seen order."""
    groups: dict[str, RecommenderUse] = {}
    for r in records:
        if r.form != COOP:
            continue
        raw = r.fields.get("recommender")
        name = norm_text(raw) if not blank(raw) else UNKNOWN_RECOMMENDER
        reg = cfg.recommender(name) if not blank(raw) else None
        key = reg.name if reg else name
        if key not in groups:
            kind = reg.kind if reg else None
            groups[key] = RecommenderUse(key, kind, cfg.quota_for(kind) if kind else None)
        groups[key].candidates.append(r)
    return list(groups.values())


def _names(records: list[Record], limit: int = 12) -> str:
    names = [record_label(r) for r in records]
    more = f" 等 {len(names)} 家" if len(names) > limit else ""
    return "、".join(names[:limit]) + more


def _recommenders(records: list[Record], cfg: YearConfig) -> list[Finding]:
    out = []
    min_share = cfg.coop.min_overseas_share
    for u in recommender_use(records, cfg):
        if u.name == UNKNOWN_RECOMMENDER:
            continue  # each record already has a coop.required finding
        if u.kind is None:
            out.append(finding("batch.recommender_unknown", "warning", None,
                               f"推荐单位“{u.name}”不在 {cfg.year} 年推荐单位登记中，无法确定类别和名额"
                               f"（推荐 {u.count} 家：{_names(u.candidates)}）", B_CHANNELS))
        elif u.quota is None:
            out.append(finding("batch.quota", "info", None,
                               f"推荐单位“{u.name}”（{u.kind_cn}）的推荐名额由中国科协海智办商定，"
                               f"本批推荐 {u.count} 家", B_QUOTA))
        elif u.over_quota:
            out.append(finding("batch.quota", "warning", None,
                               f"推荐单位“{u.name}”（{u.kind_cn}）推荐 {u.count} 家，超过名额 {u.quota} 家"
                               f"（原则上不超过 {u.quota} 个）：{_names(u.candidates)}", B_QUOTA))
        if u.share < min_share:
            unknown = f"，另有 {u.unknown_overseas} 家无法判断是否境外" if u.unknown_overseas else ""
            out.append(finding("batch.overseas_share", "warning", None,
                               f"推荐单位“{u.name}”推荐 {u.count} 家，其中境外机构 {u.overseas} 家，"
                               f"占 {u.share:.0%}，低于 {min_share:.0%}{unknown}", B_SHARE))
    return out


def _groups(keys: list[list[str]]) -> list[list[int]]:
    """Indices connected by any shared key (union-find), groups of two or more."""
    parent = list(range(len(keys)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for i, ks in enumerate(keys):
        for k in ks:
            if k in first:
                parent[find(i)] = find(first[k])
            else:
                first[k] = i
    comps: dict[int, list[int]] = {}
    for i in range(len(keys)):
        comps.setdefault(find(i), []).append(i)
    return [g for g in comps.values() if len(g) > 1]


def _coop_keys(r: Record) -> list[str]:
    keys = [institution_key(r)]
    name = r.fields.get("name_cn")
    if not blank(name):
        keys.append("name:" + norm_text(name).lower())
    return keys


def _duplicates(records: list[Record]) -> list[Finding]:
    out = []
    coop = [r for r in records if r.form == COOP]
    for g in _groups([_coop_keys(r) for r in coop]):
        rs = [coop[i] for i in g]
        recs = sorted({norm_text(r.fields.get("recommender") or "（未填）") for r in rs})
        where = "不同推荐单位" if len(recs) > 1 else "同一推荐单位"
        out.append(finding("batch.duplicate", "warning", None,
                           f"同一机构被{where}重复推荐 {len(rs)} 次：{record_label(rs[0])}（推荐单位：{'、'.join(recs)}）",
                           B_DUP))
    base = [r for r in records if r.form == BASE]
    keys = [["name:" + norm_text(r.fields.get("base_name") or "").lower()] if not blank(r.fields.get("base_name"))
            else [] for r in base]
    for g in _groups(keys):
        out.append(finding("batch.duplicate", "warning", None,
                           f"同一基地重复申报 {len(g)} 次：{record_label(base[g[0]])}", B_BASE_DEADLINE))
    return out


def received_on(r: Record, received: dict[str, dt.date] | None) -> dt.date | None:
    """Date received: from `received` by source id / file path / file name, else source['received']."""
    src = r.source
    if received:
        cands = [src.get("id"), src.get("file")]
        if src.get("file"):
            cands.append(PurePath(str(src["file"]).replace("\\", "/")).name)
        for c in cands:
            if c is not None and str(c) in received:
                return _as_date(received[str(c)])
    return _as_date(src.get("received"))


def _as_date(v: Any) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    span = parse_date(v) if isinstance(v, str) else None
    return span[0] if span and span[0] == span[1] else None


def _forwarding(r: Record, cfg: YearConfig) -> Any:
    prov = r.source.get("province")
    if prov in cfg.forwarding:
        return cfg.forwarding[prov]
    raw = r.fields.get("recommender")
    if blank(raw):
        return None
    reg = cfg.recommender(str(raw))
    name = reg.name if reg else norm_text(raw)
    for p, fw in cfg.forwarding.items():
        if name.startswith(p):
            return fw
    return None


def _deadlines(records: list[Record], cfg: YearConfig, received: dict[str, dt.date] | None) -> list[Finding]:
    out = []
    for i, r in enumerate(records):
        got = received_on(r, received)
        if got is None:
            continue
        who = record_label(r, i)
        if r.form == BASE:
            if got > cfg.base.deadline:
                out.append(finding("batch.deadline", "error", None,
                                   f"{who} 于 {got.isoformat()} 收到，晚于提交截止日期 {cfg.base.deadline.isoformat()}",
                                   B_BASE_DEADLINE))
            continue
        if got > cfg.coop.platform_deadline:
            out.append(finding("batch.deadline", "error", None,
                               f"{who} 于 {got.isoformat()} 收到，晚于平台提交截止日期 "
                               f"{cfg.coop.platform_deadline.isoformat()}", B_COOP_DEADLINE))
            continue
        fw = _forwarding(r, cfg)
        if fw is not None and got > fw.deadline:
            out.append(finding("batch.deadline", "warning", None,
                               f"{who} 于 {got.isoformat()} 收到，晚于{fw.issuer}要求的 {fw.deadline.isoformat()}",
                               f"{fw.doc_number}（{fw.issuer}转发通知）"))
    return out


def validate_batch(records: list[Record], cfg: YearConfig, *,
                   received: dict[str, dt.date] | None = None) -> list[Finding]:
    """Findings about the batch as a whole (not repeated per record)."""
    return _recommenders(records, cfg) + _duplicates(records) + _deadlines(records, cfg, received)
