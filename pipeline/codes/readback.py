"""Reading a scan back through its printed codes.

    read_records(layout, file, sha256) -> (records, findings)

records_from_layout, plus: on scanned pages, the QR codes are decoded; when they
verify (this installation's secret) and name an issue in the ledger ($HAIZHI_DB,
else the default ledger), the pages are put in printed order, missing and
repeated pages are reported, and the record's fields are the issued values.
OCR still reads the page: each printed value it reads differently is a finding
(altered by hand after printing, or an OCR slip), and seals and signatures are
read as before. A code that does not verify, or names an issue not in the
ledger, is a finding and the file is read by OCR alone. An editable copy (or
text PDF) whose values match an issued record is linked to it (source.issue_id).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from haizhi.extractors.layout import Layout, Page
from haizhi.pipeline.codes.issue import find_by_hash, find_issue, read_db_url, values_hash
from haizhi.pipeline.codes.verify import Code, is_ours, load_secret, parse_code
from haizhi.pipeline.core.fields import FORMS
from haizhi.pipeline.core.record import Finding, Record

log = logging.getLogger(__name__)
OCR_VALUE_RULES = {"scan.low_confidence", "extract.bad_value", "extract.bad_choice", "extract.label_missing"}


@dataclass
class PageCodes:
    """The haizhi codes found on each scanned page (by the page's number in the file)."""

    by_page: dict[int, list[Code]] = field(default_factory=dict)

    @property
    def codes(self) -> list[Code]:
        return [c for cs in self.by_page.values() for c in cs]


def _pages_str(nums: list[int]) -> str:
    return "、".join(str(n) for n in nums)


def decode_pages(path: Path, pages: list[int]) -> PageCodes:
    """Decode every code on the given pages of a scan (PDF or image)."""
    from haizhi.extractors.scan.raster import read_pages
    from haizhi.pipeline.codes.qr import decode_image

    key = load_secret(create=False)
    out = PageCodes()
    for pi in read_pages(path, pages):
        if not pi.is_page or pi.image is None:
            continue
        got = _ours(decode_image(pi.image), key)
        if got:
            out.by_page[pi.number] = got
    return out


def _ours(texts: list[str], key: bytes | None) -> list[Code]:
    """The codes among a page's texts that are haizhi's own (verified or not)."""
    return [c for c in (parse_code(t, key) for t in texts if is_ours(t)) if c is not None]


def _read_codes(layout: Layout) -> PageCodes:
    """The codes the scan reader found on each scanned page; pages it did not look at are decoded from the file."""
    scanned = [p for p in layout.pages if p.method == "ocr"]
    key = load_secret(create=False)  # read even with no code seen: a secret this installation cannot use is said
    out = PageCodes({p.number: got for p in scanned if p.codes and (got := _ours(p.codes, key))})
    rest = [p.number for p in scanned if p.codes is None]
    if rest and layout.file:
        out.by_page.update(decode_pages(Path(layout.file), rest).by_page)
    return out


def _plain(layout: Layout, file: str, sha256: str | None) -> tuple[list[Record], list[Finding]]:
    from haizhi.extractors.extract import records_from_layout

    return records_from_layout(layout, file, sha256)


def link_issued(records: list[Record], db_url: str | None) -> None:
    """An editable copy whose values hash matches an issued record: source.issue_id names it."""
    if not db_url:
        return
    for rec in records:
        if rec.source.get("method") == "ocr" or rec.source.get("issue_id"):
            continue
        hit = find_by_hash(db_url, rec.form, values_hash(rec.form, rec.fields))
        if hit is not None:
            rec.source["issue_id"] = hit.issue_id


def read_records(layout: Layout, file: str, sha256: str | None) -> tuple[list[Record], list[Finding]]:
    db_url = read_db_url()
    ocr = [p.number for p in layout.pages if p.method == "ocr"]
    codes = PageCodes()
    notes: list[Finding] = []
    if ocr and layout.file:
        try:
            codes = _read_codes(layout)
        except Exception as e:  # noqa: BLE001 - a page the decoder chokes on, an unreadable secret: OCR as before
            log.debug("decoding codes failed on %s", file, exc_info=True)
            notes.append(Finding("codes.error", "warning", None,
                                 f"读取二维码时出错（{type(e).__name__}: {str(e)[:80]}），已按 OCR 读取"))
    if not codes.by_page:
        records, findings = _plain(layout, file, sha256)
        link_issued(records, db_url)
        return records, notes + findings
    bad = sorted(n for n, cs in codes.by_page.items() if not any(c.verified for c in cs))
    if bad:
        notes.append(Finding("codes.unverified", "warning", None,
                             f"第 {_pages_str(bad)} 页的二维码未通过校验（不是本系统打印的，或被改动、伪造），"
                             "这些页按 OCR 读取"))
    good = [c for c in codes.codes if c.verified]
    if not good:
        records, findings = _plain(layout, file, sha256)
        return records, notes + findings
    issue_id = Counter(c.issue_id for c in good).most_common(1)[0][0]
    others = sorted({c.issue_id for c in good} - {issue_id})
    if others:
        notes.append(Finding("codes.mixed", "warning", None,
                             f"文件中混有其他打印编号的页面（{'、'.join(others)}），只按 {issue_id} 读取"))
    issued = find_issue(db_url, issue_id)
    if issued is None or issued.form not in FORMS:
        why = "未配置台账（HAIZHI_DB）" if not db_url else "台账中没有这次打印的记录"
        notes.append(Finding("codes.unknown_issue", "warning", None,
                             f"二维码校验通过，但打印编号 {issue_id} 无法核对：{why}；已按 OCR 读取"))
        records, findings = _plain(layout, file, sha256)
        return records, notes + findings
    mine = {n: next(c for c in cs if c.verified and c.issue_id == issue_id)
            for n, cs in codes.by_page.items() if any(c.verified and c.issue_id == issue_id for c in cs)}
    notes += _order_pages(layout, mine)
    records, findings = _plain(layout, file, sha256)
    rec = next((r for r in records if r.form == issued.form), None)
    if rec is None:  # OCR did not recognise the form (one page of it, a dark photo): the codes did
        rec = _bare_record(layout, issued.form, file, sha256)
        records.insert(0, rec)
        findings = [f for f in findings if f.rule not in ("extract.not_our_form", "extract.no_text")]
    apply_issued(rec, issued.issue_id, dict(issued.values), issued.pages or max(c.pages for c in mine.values()))
    link_issued([r for r in records if r is not rec], db_url)
    return records, notes + findings


def _order_pages(layout: Layout, mine: dict[int, Code]) -> list[Finding]:
    """Coded pages in printed order, then the rest as they were; missing / repeated / shuffled noticed."""
    out: list[Finding] = []
    total = max(c.pages for c in mine.values())
    seen = Counter(c.page for c in mine.values())
    first: dict[int, Page] = {}
    dup: list[Page] = []
    rest: list[Page] = []
    for p in sorted(layout.pages, key=lambda p: p.number):
        c = mine.get(p.number)
        if c is None:
            rest.append(p)
        elif c.page in first:
            dup.append(p)
        else:
            first[c.page] = p
    by_file = [mine[n].page for n in sorted(mine)]
    layout.pages = [first[k] for k in sorted(first)] + rest + dup
    missing = [k for k in range(1, total + 1) if k not in seen]
    if missing:
        hint = "；另有未读出二维码的页面，可能就是缺的页" if any(p.tables for p in rest) else ""
        out.append(Finding("codes.page_missing", "warning", None,
                           f"扫描件缺少第 {_pages_str(missing)} 页（打印时共 {total} 页，按二维码核对）{hint}"))
    rep = sorted(k for k, n in seen.items() if n > 1)
    if rep:
        out.append(Finding("codes.page_repeated", "warning", None,
                           f"扫描件中第 {_pages_str(rep)} 页重复出现（按二维码核对），重复的页未用于读取"))
    if by_file != sorted(by_file):
        where = "，".join(f"文件第 {n} 页为表格第 {mine[n].page} 页" for n in sorted(mine))
        out.append(Finding("codes.reordered", "info", None, f"扫描件页序打乱，已按二维码排回：{where}"))
    return out


def _bare_record(layout: Layout, form: str, file: str, sha256: str | None) -> Record:
    rec = Record(form=form, source={"file": file, "sha256": sha256, "pages": len(layout.pages), "method": "ocr"},
                 marks={m.key: None for m in FORMS[form].marks})
    try:
        from haizhi.extractors.scan import marks_for

        rec.marks = marks_for(layout, form)
    except Exception:  # noqa: BLE001 - marks are a bonus here; the values come from the codes
        log.debug("marks on a bare coded record failed", exc_info=True)
    return rec


def apply_issued(rec: Record, issue_id: str, values: dict, pages: int) -> None:
    """The record takes the issued values; what OCR read is kept only to report differences."""
    from haizhi.pipeline.codes.compare import differences

    read = dict(rec.fields)
    rec.findings = [f for f in rec.findings if f.rule not in OCR_VALUE_RULES]
    rec.findings += differences(rec.form, values, read, rec.provenance)
    rec.fields = {k: values[k] for k in FORMS[rec.form].keys if k in values}
    for k in rec.fields:
        prov = dict(rec.provenance.get(k) or {})
        prov.update(method="codes", confidence=1.0)
        rec.provenance[k] = prov
    rec.source["issue_id"] = issue_id
    rec.source["codes"] = {"issue_id": issue_id, "pages": pages}
