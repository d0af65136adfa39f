"""Render the year's notices from the year config.

The templates (templates/notice_*.docx, forwarding_notice.docx) hold the
wording; this module derives the few values the wording needs from `cfg`
(title line breaks, lists of recommender kinds, section numbers, the support
letter sentence) and appends the attachments — the blank forms rendered by
generate.forms and the 基地建设方案参考提纲 — with docxcompose, so a notice
never copies a form's text.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Emu, Pt
from docx.text.paragraph import Paragraph
from docxcompose.composer import Composer

from haizhi.pipeline.core.config import RECOMMENDER_KIND_CN, Forwarding, YearConfig
from haizhi.pipeline.core.errors import HaizhiError
from haizhi.pipeline.core.fields import BASE_FORM, COOP_FORM
from haizhi.pipeline.generate.render import render_docx

Programme = Literal["coop", "base"]
PROGRAMMES: dict[str, str] = {"coop": "合作机构", "base": "基地"}

# the four base types of the 管理办法, in the order the notice lists them: full name → short name
BASE_TYPES: dict[str, str] = {
    "中国科协海智工作基地": "工作基地",
    "国家海外人才离岸创新创业基地": "离岸基地",
    "中国科协海外创新创业基地": "海外基地",
    "海智国际研发社区": "研发社区",
}
SUPPORT_LETTER_CN = {"city": "地市政府", "provincial": "省政府"}
OUTLINE_TITLE = "中国科协海智计划基地建设方案\n参考提纲"
_CN_ORD = "一二三四五六七八九十"
TITLE_WIDTH = 20  # 二号 characters per line in the 156 mm type area


@dataclass(frozen=True)
class Attachment:
    title: str  # as listed in the 附件说明
    label: str  # 附件标识 on the attachment's first page
    render: Callable[[YearConfig], bytes]


# --- derivations -------------------------------------------------------------------

def text_width(s: str) -> float:
    """Width in full-width characters: ASCII (digits, Latin) counts half."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in s)


def split_title(title: str, width: float = TITLE_WIDTH) -> list[str]:
    """Break a 标题 into lines no wider than `width`, at a word boundary, first line the longer
    (GB/T 9704 7.3.1: 回行时要做到词意完整，排列对称).
    """
    if text_width(title) <= width:
        return [title]
    ends = ("年", "协", "部", "于", "的", "和", "展")  # a break after these keeps words whole
    best: tuple[float, int] | None = None
    for i in range(1, len(title)):
        head, tail = title[:i], title[i:]
        if text_width(head) > width or title[i - 1] not in ends or title[i - 1:i + 1] == "协会":
            continue
        if title[i - 1] == "年" and not title[i - 2].isdigit():
            continue
        score = abs(text_width(head) - text_width(tail)) + (0 if text_width(head) >= text_width(tail) else 0.5)
        if best is None or score <= best[0]:
            best = (score, i)
    i = best[1] if best else int(width)
    return [title[:i], *split_title(title[i:], width)]


def _kinds_cn(kinds: tuple[str, ...]) -> str:
    return "、".join(RECOMMENDER_KIND_CN[k] for k in kinds)


def _base_types(cfg: YearConfig) -> tuple[list[str], list[str]]:
    unknown = [t for t in (*cfg.base.accepted_types, *cfg.base.paused_types) if t not in BASE_TYPES]
    if unknown:
        raise HaizhiError(f"年度配置 base.accepted_types / paused_types 含有不认识的基地类型：{'、'.join(unknown)}"
                          f"（应为：{'、'.join(BASE_TYPES)}）")
    listed = [t for t in BASE_TYPES if t in cfg.base.accepted_types or t in cfg.base.paused_types]
    return listed, [t for t in listed if t in cfg.base.paused_types]


def _named(types: list[str]) -> str:
    """中国科协海智工作基地（简称“工作基地”）、…和海智国际研发社区（简称“研发社区”）."""
    parts = [f"{t}（简称“{BASE_TYPES[t]}”）" for t in types]
    return parts[0] if len(parts) == 1 else "、".join(parts[:-1]) + "和" + parts[-1]


def support_letters(cfg: YearConfig) -> str:
    """申请工作基地、研发社区须提供地市政府支持函，申请离岸基地须提供省政府支持函."""
    groups: dict[str, list[str]] = {}
    for t in cfg.base.accepted_types:
        th = cfg.base.thresholds.get(BASE_TYPES[t])  # type: ignore[call-overload]
        if th is not None:
            groups.setdefault(th.support_letter, []).append(BASE_TYPES[t])
    return "，".join(f"申请{'、'.join(groups[k])}须提供{SUPPORT_LETTER_CN[k]}支持函"
                    for k in SUPPORT_LETTER_CN if k in groups)


def _attachment_lines(atts: list[Attachment]) -> list[str]:
    if not atts:
        return []
    if len(atts) == 1:
        return [f"附件：{atts[0].title}"]
    return [("附件：" if i == 0 else "") + f"{i + 1}.{a.title}" for i, a in enumerate(atts)]


def outline_context(cfg: YearConfig) -> dict[str, Any]:
    return {"cfg": cfg, "outline_title": OUTLINE_TITLE}


def render_outline(cfg: YearConfig) -> bytes:
    """The 基地建设方案参考提纲 as DOCX bytes."""
    return render_docx("base_plan_outline.docx", outline_context(cfg))


def blank_form(form_id: str) -> Callable[[YearConfig], bytes]:
    """A renderer of the blank form (generate.forms.render_form with no record)."""
    def render(cfg: YearConfig) -> bytes:
        from haizhi.pipeline.generate.forms import render_form  # the forms module is optional until it exists

        return render_form(None, form_id, cfg)
    return render


def attachments(programme: Programme) -> list[Attachment]:
    """The notice's attachments, in order. The outline is the base form's own 附件."""
    if programme == "coop":
        return [Attachment(f"{COOP_FORM.title}（样表）", "附件", blank_form(COOP_FORM.id))]
    return [Attachment(BASE_FORM.title, "附件", blank_form(BASE_FORM.id))]


def trailing_attachments(programme: Programme) -> list[Attachment]:
    """Appended after the listed ones but not listed in the 附件说明 (the outline hangs off the form)."""
    return [Attachment("中国科协海智计划基地建设方案参考提纲", "附件", render_outline)] if programme == "base" else []


def notice_context(cfg: YearConfig, programme: Programme) -> dict[str, Any]:
    ctx: dict[str, Any] = {
        "cfg": cfg,
        "form_titles": {"coop_institution": COOP_FORM.title, "base_application": BASE_FORM.title},
        "attachment_lines": _attachment_lines(attachments(programme)),
    }
    if programme == "coop":
        ctx |= {"title": "\n".join(split_title(cfg.coop.title)),
                "major_kinds": _kinds_cn(cfg.coop.major_kinds), "minor_kinds": _kinds_cn(cfg.coop.minor_kinds)}
    elif programme == "base":
        listed, paused = _base_types(cfg)
        accepted = [t for t in listed if t not in paused]
        missing = [BASE_TYPES[t] for t in accepted if BASE_TYPES[t] not in cfg.base.thresholds]
        if missing:
            raise HaizhiError(f"年度配置 base.thresholds 缺少接受申报的基地类型：{'、'.join(missing)}")
        work = cfg.base.thresholds.get("工作基地")
        staff = work.staff_fulltime if work else None
        ctx |= {
            "title": "\n".join(split_title(cfg.base.title)),
            "all_types": _named(listed), "n_types": len(listed),
            "paused_types": _named(paused) if paused else "",
            "sec": {BASE_TYPES[t]: _CN_ORD[i] for i, t in enumerate(accepted)},
            "work_staff": f"{staff}名以上" if staff and staff > 1 else "",
            "support_letters": support_letters(cfg),
        }
    else:
        raise HaizhiError(f"未知的通知类型：{programme!r}（应为 coop 或 base）")
    return ctx


# --- composition -------------------------------------------------------------------

def _page_break_before(doc: Any) -> None:
    """Make the document's first paragraph start a new page."""
    first = doc.element.body.find(qn("w:p"))
    if first is None:
        return
    Paragraph(first, doc._body).paragraph_format.page_break_before = True


def align_signature(doc: Any) -> None:
    """GB/T 9704 7.3.5.2 (unsealed): 署名右空二字, 成文日期首字比署名首字右移二字;
    when the date is the longer, the date keeps 右空二字 and the 署名 moves left."""
    pars = doc.paragraphs
    for sig, date in zip(pars, pars[1:], strict=False):
        if sig.style.name != "GB署名" or date.style.name != "GB成文日期" or not sig.text or not date.text:
            continue
        sw, dw = text_width(sig.text), text_width(date.text)
        sig_r, date_r = (2.0, sw - dw) if sw - dw >= 2 else (dw + 4 - sw, 2.0)
        em = sig.style.font.size or Pt(16)
        sig.paragraph_format.right_indent = Emu(int(sig_r * em))
        date.paragraph_format.right_indent = Emu(int(date_r * em))


def _finish(data: bytes) -> bytes:
    doc = Document(io.BytesIO(data))
    align_signature(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _label(composer: Composer, label: str) -> None:
    par = composer.doc.add_paragraph(label, style="GB附件标识")
    par.paragraph_format.page_break_before = True


def compose(master: bytes, parts: list[tuple[str | None, bytes]]) -> bytes:
    """Append documents to `master`, each on a new page, after its 附件标识 when given."""
    master_doc = Document(io.BytesIO(master))
    align_signature(master_doc)
    composer = Composer(master_doc)
    for label, data in parts:
        sub = Document(io.BytesIO(data))
        if label:
            _label(composer, label)
        else:
            _page_break_before(sub)
        composer.append(sub)
    buf = io.BytesIO()
    composer.save(buf)
    return buf.getvalue()


def render_notice(cfg: YearConfig, programme: Programme, with_attachments: bool = True) -> bytes:
    """The national notice (合作机构 or 基地) as DOCX bytes, its attachments appended."""
    if programme not in PROGRAMMES:
        raise HaizhiError(f"未知的通知类型：{programme!r}（应为 coop 或 base）")
    body = render_docx(f"notice_{programme}.docx", notice_context(cfg, programme))
    if not with_attachments:
        return _finish(body)
    listed = attachments(programme)
    # 附件标识: "附件" for a single attachment, "附件1", "附件2"… when the 附件说明 numbers them
    labels = [a.label if len(listed) == 1 else f"{a.label}{i + 1}" for i, a in enumerate(listed)]
    parts = [(lab, a.render(cfg)) for lab, a in zip(labels, listed, strict=True)]
    parts += [(a.label, a.render(cfg)) for a in trailing_attachments(programme)]
    return compose(body, parts)


def forwarding_config(cfg: YearConfig, province: str) -> Forwarding:
    """The year's forwarding settings for a province (广东 or 广东省)."""
    fwd = cfg.forwarding.get(province) or cfg.forwarding.get(province.removesuffix("省"))
    if fwd is None:
        have = "、".join(cfg.forwarding) or "无"
        raise HaizhiError(f"{cfg.year} 年度配置中没有“{province}”的转发通知设置（已配置的省份：{have}）。"
                          f"请在年度配置的 forwarding 下添加该省。")
    return fwd


def forwarding_context(cfg: YearConfig, province: str) -> dict[str, Any]:
    return {
        "cfg": cfg, "fwd": forwarding_config(cfg, province),
        "title": "\n".join(split_title("转发" + cfg.coop.title)),
        "form_titles": {"coop_institution": COOP_FORM.title, "base_application": BASE_FORM.title},
    }


def render_forwarding(cfg: YearConfig, province: str) -> bytes:
    """A province's forwarding notice followed by the national 合作机构 notice and its form."""
    head = render_docx("forwarding_notice.docx", forwarding_context(cfg, province))
    return compose(head, [(None, render_notice(cfg, "coop"))])
