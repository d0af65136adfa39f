"""haizhi demo: the 2026 package, a simulated batch of returns, intake, 初审, exports.

The returns are built here from the bundled fixture records: pre-filled DOCX
(some with defects: missing fields, an institution too young, one recommender
over its quota), a few stamped scans at every level through the scan
simulator, attachments (support letter, plan, proof, a licence image), a zip
of one applicant's folder, a flat file, a foreign form, a damaged PDF and a
hostile zip. Then a corrected form arrives and a second intake shows the new
version beside the old one.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from haizhi.pipeline.core.config import YearConfig
from haizhi.pipeline.core.errors import HaizhiError
from haizhi.pipeline.core.record import Record, load_record

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "records"
MARKER = ".haizhi-demo"
SHORT = {"coop_institution": "合作机构", "base_application": "基地申报"}
COPY_CN = {"editable": "可编辑版本", "scan": "盖章扫描件"}
COOP_RECEIVED = dt.datetime(2026, 8, 5, 10, 0)
BASE_RECEIVED = dt.datetime(2026, 9, 1, 10, 0)
# (fixture, scan level or None, keep the editable copy)
# applicants that send no licence image (the zipped one sends a certificate DOCX instead)
NO_LICENCE = {"德中创新合作中心", "日本中华科技协会", "上海张江国际创新服务中心"}
SCANS = (("coop_example.json", "heavy", True), ("batch/05.json", "clean", True), ("batch/08.json", "moderate", False))


@dataclass
class Returns:
    inbox: Path
    notes: list[str] = field(default_factory=list)  # what was planted, in Chinese
    correction: tuple[Path, bytes] | None = None  # (path, docx) delivered in the second round


def _safe(name: str) -> str:
    from haizhi.pipeline.export.names import safe_name

    return safe_name(name)


def _touch(p: Path, when: dt.datetime) -> None:
    t = when.timestamp()
    os.utime(p, (t, t))


def _write(p: Path, data: bytes, when: dt.datetime) -> Path:
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    _touch(p, when)
    return p


def _docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    import io

    from docx import Document

    doc = Document()
    doc.add_heading(paragraphs[0], level=1)
    for para in paragraphs[1:]:
        doc.add_paragraph(para)
    if table:
        t = doc.add_table(rows=len(table), cols=len(table[0]))
        t.style = "Table Grid"
        for i, row in enumerate(table):
            for j, cell in enumerate(row):
                t.cell(i, j).text = cell
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def foreign_form() -> bytes:
    """A valid DOCX that is not one of our forms: a conference sign-up sheet."""
    return _docx(["2026年学术年会参会报名表", "请于会前一周将报名表发送至会务组邮箱。"],
                 [["姓名", "单位", "职称", "手机"], ["张三", "某某大学", "教授", "13800000000"],
                  ["报告题目", "", "是否住宿", "是 / 否"]])


def licence_image(name: str, code: str) -> bytes:
    import io

    from PIL import Image, ImageDraw, ImageFont

    from haizhi.pipeline.simulate.stamps import fc_font

    im = Image.new("RGB", (900, 620), "white")
    d = ImageDraw.Draw(im)
    try:
        path, index = fc_font("Noto Serif CJK SC")  # the collection's SC face: Chinese glyph forms
        font = ImageFont.truetype(path, 34, index=index)
    except OSError:
        font = ImageFont.load_default()
    d.rectangle((20, 20, 880, 600), outline=(180, 30, 30), width=6)
    for i, line in enumerate(("营 业 执 照", f"统一社会信用代码 {code}", f"名称 {name}", "类型 有限责任公司",
                              "登记机关 深圳市市场监督管理局")):
        d.text((70, 60 + i * 100), line, fill="black", font=font)
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def _rec(path: str) -> Record:
    return load_record(FIXTURES / path)


def _render(rec: Record, cfg: YearConfig) -> bytes:
    from haizhi.pipeline.generate.forms import render_form

    return render_form(rec, rec.form, cfg)


def _scan(rec: Record, level: str, cfg: YearConfig, seed: int) -> bytes:
    from haizhi.pipeline.simulate import simulate_scan

    with tempfile.TemporaryDirectory(prefix="haizhi-demo-scan-") as tmp:
        res = simulate_scan(rec, level, Path(tmp), cfg, seed=seed)
        return res.pages[0].read_bytes()


def build_returns(inbox: Path, cfg: YearConfig, *, scans: int = 3, progress: bool = True) -> Returns:
    from tqdm import tqdm

    out = Returns(inbox)
    inbox.mkdir(parents=True, exist_ok=True)
    coop = [_rec("coop_example.json")] + [_rec(f"batch/{i:02d}.json") for i in range(1, 11)]
    by_name = {r.fields["name_cn"]: r for r in coop}
    scan_plan = {_rec(p).fields["name_cn"]: (lv, keep) for p, lv, keep in SCANS[:scans]}

    # defects
    missing = by_name["北京智汇海归科技服务有限公司"]
    fixed = copy.deepcopy(missing)
    missing.fields.update(contact_mobile=None, profile=None, legal_representative=None)
    out.notes.append("北京智汇海归科技服务有限公司：漏填联系人手机、法定代表人、机构简介（随后寄来补正版）")
    young = by_name["杭州未来科技城海创服务有限公司"]
    young.fields["registered_on"] = "2025-01-10"
    out.notes.append("杭州未来科技城海创服务有限公司：注册时间 2025-01-10，不足三年")
    out.notes.append("清华大学科学技术协会推荐 6 家，超过高校科协 5 家的名额")

    steps = len(coop) + scans + 1
    bar = tqdm(total=steps, desc="模拟回件", unit="份", disable=not progress, leave=False)
    for n, rec in enumerate(coop):
        name = rec.fields["name_cn"]
        folder = inbox / _safe(name)
        lv, keep = scan_plan.get(name, (None, True))
        if name == "日本中华科技协会":  # a flat inbox file
            _write(inbox / f"{_safe(name)}-信息表.docx", _render(rec, cfg), COOP_RECEIVED)
        elif name == "上海张江国际创新服务中心":  # one applicant's folder, zipped
            _zip_folder(inbox / f"{_safe(name)}.zip", {"合作机构信息表.docx": _render(rec, cfg),
                                                       "法人登记证书说明.docx": _docx([
                                                           "法人登记证书", f"{name} 事业单位法人证书（复印件说明）"])})
        elif keep:
            _write(folder / "合作机构信息表.docx", _render(rec, cfg), COOP_RECEIVED)
        if lv:
            _write(folder / f"合作机构信息表（盖章扫描件，{lv}）.pdf", _scan(rec, lv, cfg, seed=n), COOP_RECEIVED)
            out.notes.append(f"{name}：盖章扫描件（{ {'clean': '清晰', 'moderate': '一般', 'heavy': '较差'}[lv] }）"
                             + ("，另附可编辑版本" if keep else "，只有扫描件"))
            bar.update(1)
        bar.update(1)
        if name not in NO_LICENCE:
            _write(folder / ("营业执照.jpg" if not rec.fields.get("overseas") else "注册证书.jpg"),
                   licence_image(name, str(rec.fields.get("credit_code") or "")), COOP_RECEIVED)
    out.notes.append("德中创新合作中心：未附注册证明；日本中华科技协会：表格直接放在收件箱根目录")

    base = _rec("base_example.json")
    bf = inbox / _safe(base.fields["applicant"])
    _write(bf / "基地申报表.docx", _render(base, cfg), BASE_RECEIVED)
    _write(bf / "佛山市人民政府支持函.docx", _docx([
        "支持函", "佛山市人民政府关于支持中国科协海智工作基地（佛山市顺德区）建设的函",
        "佛山市人民政府同意并支持佛山市顺德区科学技术协会申报中国科协海智工作基地，在场地、经费和政策上给予保障。"]),
        BASE_RECEIVED)
    _write(bf / "海智计划基地建设方案.docx", _docx(["中国科协海智工作基地（佛山市顺德区）建设方案（2027-2029年）",
                                                   "一、建设基础", "二、建设目标", "三、工作计划"]), BASE_RECEIVED)
    _write(bf / "人员经费办公条件证明材料.docx", _docx(["证明材料", "专职人员、专项经费、办公条件及预算说明。"]),
           BASE_RECEIVED)
    bar.update(1)
    bar.close()

    # files that are not returns at all
    _write(inbox / "学术年会参会报名表.docx", foreign_form(), COOP_RECEIVED)
    _write(inbox / "损坏的扫描件.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog", COOP_RECEIVED)
    _zip_folder(inbox / "来历不明的压缩包.zip", {"../../etc/cron.d/evil": b"* * * * * root rm -rf /",
                                                "/etc/passwd": b"root:x:0:0", "说明.txt": b"hello"})
    out.notes.append("另有：一份别家协会的报名表、一个损坏的 PDF、一个含路径穿越条目的压缩包")
    out.correction = (inbox / f"{_safe(fixed.fields['name_cn'])}（补正）" / "合作机构信息表（补正）.docx",
                      _render(fixed, cfg))
    return out


def _zip_folder(dst: Path, members: dict[str, bytes]) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, COOP_RECEIVED.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    _touch(dst, COOP_RECEIVED)


def prepare_out(out: Path) -> None:
    """Start from an empty demo folder; refuse to wipe a folder the demo did not make."""
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise HaizhiError(f"{out} 已存在且不是演示输出目录，请用 --out 指定另一个目录")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("haizhi demo\n", encoding="utf-8")


def run_demo(out: Path, *, workers: int, scans: int = 3, pdf: bool = True, progress: bool = True,
             echo: Any = print) -> dict[str, Any]:
    from haizhi.pipeline.core.config import load_year
    from haizhi.pipeline.generate.package import generate_package
    from haizhi.pipeline.intake.db import default_url
    from haizhi.pipeline.intake.run import Options, run_intake

    cfg = load_year(2026)
    prepare_out(out)
    echo("第一步：生成 2026 年通知包 …")
    pkg = generate_package(cfg, out=out, programmes=("coop", "base"), province="广东", pdf=pdf,
                           progress=progress)
    echo("第二步：模拟申请单位寄回的一批回件 …")
    ret = build_returns(out / "收件箱", cfg, scans=scans, progress=progress)
    for n in ret.notes:
        echo(f"  - {n}")
    echo("第三步：收件、抽取、比对、初审、导出 …")
    opts = Options(inbox=ret.inbox, out=out, workers=workers, year=2026, pdf=pdf, progress=progress)
    first = run_intake(opts)
    echo(first.text())
    echo("第四步：北京智汇海归科技服务有限公司寄来补正版，再次收件（已登记的文件不会重复处理）…")
    assert ret.correction is not None
    _write(ret.correction[0], ret.correction[1], COOP_RECEIVED + dt.timedelta(days=2))
    second = run_intake(opts)
    echo(second.text())
    return {"package": pkg, "inbox": ret.inbox, "first": first, "second": second,
            "overview": overview(opts.db or default_url(out), cfg.year)}


def overview(url: str, year: int) -> list[str]:
    """One Chinese line per application: name, form, status, versions on file."""
    from sqlalchemy import func, select

    from haizhi.pipeline.intake.db import Application, RecordRow, open_db

    engine, Session = open_db(url)
    try:
        with Session() as s:
            lines = []
            for a in s.scalars(select(Application).where(Application.year == year).order_by(Application.id)):
                copies = dict(s.execute(select(RecordRow.copy, func.count()).where(RecordRow.application_id == a.id)
                                        .group_by(RecordRow.copy)).all())
                have = "，".join(f"{COPY_CN[k]} {v} 份" for k, v in sorted(copies.items()))
                lines.append(f"{a.name or a.key}（{SHORT.get(a.form, a.form)}）：{a.status or '未初审'}；"
                             f"已收表格：{have or '无'}")
            return lines
    finally:
        engine.dispose()
