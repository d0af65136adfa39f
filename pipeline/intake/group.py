"""Files → applications.

By folder (one per applicant) when there is one; in a flat inbox by the
record's institution identity (credit code, else normalised name). Within a
folder, records of the same form belong together unless they clearly name
different institutions; scans (whose OCR'd names may be off) join the folder's
editable copy. Files without records go with their folder's application; in a
flat inbox, with the institution their file name mentions.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from haizhi.pipeline.core.fields import BASE, COOP

NAME_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "公司", "研究院", "协会", "学会", "中心")


@dataclass
class RecInfo:
    id: int
    file_id: int
    form: str
    copy: str  # editable / scan
    fields: dict[str, Any]
    application_id: int | None = None


@dataclass
class FileInfo:
    id: int
    name: str
    folder: str | None
    kind: str
    records: list[RecInfo] = field(default_factory=list)


@dataclass
class Group:
    form: str | None  # None: attachments only (a folder without a form this run)
    folder: str | None
    name: str | None = None
    credit_code: str | None = None
    records: list[RecInfo] = field(default_factory=list)
    files: list[FileInfo] = field(default_factory=list)  # every file of the application (forms too)
    notes: list[str] = field(default_factory=list)

    @property
    def application_ids(self) -> set[int]:
        return {r.application_id for r in self.records if r.application_id is not None}

    @property
    def key(self) -> str:
        if self.credit_code:
            return "credit:" + self.credit_code
        if self.name:
            return "name:" + self.name
        return "folder:" + (self.folder or "")


def norm_name(s: Any) -> str:
    if not isinstance(s, str):
        return ""
    t = unicodedata.normalize("NFKC", s)
    return "".join(ch for ch in t if not ch.isspace()).strip("\"'“”").lower()


def norm_code(s: Any) -> str | None:
    if not isinstance(s, str):
        return None
    t = "".join(unicodedata.normalize("NFKC", s).split()).upper()
    return t if len(t) >= 6 else None


def identity(form: str, fields: dict[str, Any]) -> tuple[str, str | None]:
    """(normalised name, credit code or None) of a record."""
    if form == COOP:
        return norm_name(fields.get("name_cn") or fields.get("name_en")), norm_code(fields.get("credit_code"))
    if form == BASE:
        return norm_name(fields.get("applicant") or fields.get("base_name")), None
    return "", None


def similar(a: str, b: str, threshold: float) -> bool:
    if not a or not b:
        return False
    return a == b or difflib.SequenceMatcher(None, a, b).ratio() >= threshold


def _same(g: Group, name: str, code: str | None, threshold: float) -> bool:
    if code and g.credit_code and code == g.credit_code:
        return True
    return similar(name, g.name or "", threshold)


def _add(g: Group, r: RecInfo, name: str, code: str | None) -> None:
    first_editable = r.copy == "editable" and not any(x.copy == "editable" for x in g.records)
    g.records.append(r)
    if name and (not g.name or first_editable):
        g.name = name
    if code and (not g.credit_code or first_editable):
        g.credit_code = code


def _order(r: RecInfo) -> tuple[int, int, int]:
    return (0 if r.copy == "editable" else 1, r.file_id, r.id)


def _cluster(recs: list[RecInfo], folder: str | None, in_folder: bool) -> list[Group]:
    groups: list[Group] = []
    for r in sorted(recs, key=_order):
        name, code = identity(r.form, r.fields)
        mine = [g for g in groups if g.form == r.form]
        hit = next((g for g in mine if r.application_id is not None and r.application_id in g.application_ids),
                   None)
        hit = hit or next((g for g in mine if _same(g, name, code, 0.85 if in_folder else 0.92)), None)
        if hit is None and in_folder and r.copy == "scan" and len(mine) == 1:
            hit = mine[0]  # a scan joins its folder's one editable copy even if OCR garbled the name
        if hit is None:
            hit = Group(form=r.form, folder=folder)
            groups.append(hit)
        _add(hit, r, name, code)
    return groups


def _stem_names(name: str) -> list[str]:
    out = [name]
    for suf in NAME_SUFFIXES:
        if name.endswith(suf) and len(name) - len(suf) >= 3:
            out.append(name[: -len(suf)])
    return out


def group_files(files: list[FileInfo]) -> tuple[list[Group], list[FileInfo]]:
    """(groups, unassigned files). Every file with records ends up in a group."""
    by_folder: dict[str | None, list[FileInfo]] = {}
    for f in files:
        by_folder.setdefault(f.folder, []).append(f)
    out: list[Group] = []
    loose: list[FileInfo] = []
    for folder, fs in by_folder.items():
        recs = [r for f in fs for r in f.records]
        groups = _cluster(recs, folder, in_folder=folder is not None)
        attach = [f for f in fs if not f.records]
        for g in groups:
            ids = {r.file_id for r in g.records}
            g.files = [f for f in fs if f.id in ids]
        if folder is None:
            loose += attach
            out += groups
            continue
        if not groups:
            out.append(Group(form=None, folder=folder, files=attach))
            continue
        if len({(g.form) for g in groups}) < len(groups):
            names = "、".join(g.name or "（未识别名称）" for g in groups)
            for g in groups:
                g.notes.append(f"文件夹“{folder}”含有多个机构的同类表格：{names}")
        for g in groups:
            g.files += attach
        out += groups
    unassigned: list[FileInfo] = []
    flat = [g for g in out if g.folder is None]
    for f in loose:
        fname = norm_name(f.name)
        hits = [g for g in flat if g.name and any(s in fname for s in _stem_names(g.name))]
        if len(hits) >= 1:
            for g in hits:
                g.files.append(f)
        else:
            unassigned.append(f)
    return out, unassigned
