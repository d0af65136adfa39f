"""Notice text: the 2023 config reproduces the seeds; other years change only config values."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any

import pytest

from haizhi.pipeline.core.config import RECOMMENDER_KIND_CN, YearConfig, available_years, load_year
from haizhi.pipeline.core.errors import HaizhiError
from haizhi.pipeline.generate.notices import (
    notice_context,
    render_forwarding,
    render_notice,
    render_outline,
    split_title,
    support_letters,
    text_width,
)
from haizhi.pipeline.generate.render import FILTERS
from tests.docx_text import docx_text
from tests.generate.conftest import first_difference, norm


@pytest.fixture(scope="module")
def texts2023(cfg2023: YearConfig) -> dict[str, str]:
    return {"fwd": docx_text(render_forwarding(cfg2023, "广东")), "base": docx_text(render_notice(cfg2023, "base"))}


@pytest.fixture(scope="module")
def texts2026(cfg2026: YearConfig) -> dict[str, str]:
    return {"fwd": docx_text(render_forwarding(cfg2026, "广东")), "base": docx_text(render_notice(cfg2026, "base"))}


def test_coop_package_text_equals_seed_000(texts2023: dict[str, str], seed) -> None:
    """Forwarding notice + national 合作机构 notice + blank 信息表, word for word."""
    got, want = norm(texts2023["fwd"]), norm(seed("000"))
    assert got == want, first_difference(got, want)


def test_base_notice_text_equals_seed_001(texts2023: dict[str, str], seed) -> None:
    """基地 notice + blank 申报表 (cover, 填表说明, form) + 建设方案参考提纲, word for word."""
    got, want = norm(texts2023["base"]), norm(seed("001"))
    assert got == want, first_difference(got, want)


def test_notice_parts_in_order(texts2023: dict[str, str]) -> None:
    fwd = texts2023["fwd"]
    order = ["粤科协办发〔2023〕30号", "广东省科协办公室", "中国科协部门发文", "科协外函〔2023〕32号", "特此通知。",
             "附件：推荐中国科协海智计划合作机构信息表（样表）", "2023年7月24日", "附件\n推荐中国科协海智计划合作机构信息表"]
    pos = [fwd.find(s) for s in order]
    assert -1 not in pos and pos == sorted(pos), dict(zip(order, pos, strict=True))


def test_base_2023_has_no_signature_block(texts2023: dict[str, str], texts2026: dict[str, str],
                                          cfg2026: YearConfig) -> None:
    notice_2023 = texts2023["base"].split("附件：")[1].split("附件\n")[0]
    assert "中国科协国际合作部" not in notice_2023  # issued_on null: no 署名/成文日期
    notice_2026 = texts2026["base"].split("附件：")[1].split("附件\n")[0]
    assert "中国科协国际合作部\n2026年6月30日" in notice_2026
    assert cfg2026.base.issued_on == dt.date(2026, 6, 30)


# --- 2026: only config-driven values change ------------------------------------------

def _formatted(v: Any) -> set[str]:
    """Every way a notice or form writes a config value."""
    out: set[str] = set()
    if isinstance(v, bool) or v is None:
        return out
    if isinstance(v, dt.date):
        out |= {FILTERS["cn_date"](v), FILTERS["md"](v), str(v.year)}
    elif isinstance(v, int):
        out |= {str(v), FILTERS["cn_count"](v)}
    elif isinstance(v, float):
        out |= {FILTERS["num"](v), FILTERS["pct"](v) if v <= 1 else ""}
    elif isinstance(v, str):
        out |= {v, RECOMMENDER_KIND_CN.get(v, v)}
    elif isinstance(v, dict):
        for x in v.values():
            out |= _formatted(x)
    elif isinstance(v, (list, tuple)):
        for x in v:
            out |= _formatted(x)
        if all(isinstance(x, int) for x in v):
            out.add("-".join(map(str, v)))
    elif hasattr(v, "model_dump"):
        for name in type(v).model_fields:
            out |= _formatted(getattr(v, name))
    return out - {""}


_TOKEN = re.compile(r"[0-9A-Za-z.%@_-]")


def _expand(s: str, i: int, j: int) -> tuple[int, int]:
    """Widen a diff span to whole numbers/words (so 2023→2026 compares '2023' with '2026')."""
    while i > 0 and _TOKEN.match(s[i - 1]):
        i -= 1
    while j < len(s) and _TOKEN.match(s[j]):
        j += 1
    return i, j


def _config_driven(span: str, values: set[str]) -> bool:
    """The span lies inside one config value, or is made up entirely of config values."""
    if not span:
        return True
    if re.fullmatch(r"[0-9.%]+", span):  # a number must be a whole number of some value, not a digit of one
        return any(re.search(rf"(?<![0-9.]){re.escape(span)}(?![0-9.])", v) for v in values)
    if any(span in v for v in values):
        return True
    rest = span
    for v in sorted(values, key=len, reverse=True):
        if len(v) >= 2 or not v.isdigit():
            rest = rest.replace(v, "")
    return rest == ""


@pytest.mark.parametrize("part", ["fwd", "base"])
def test_2026_changes_only_config_values(part: str, texts2023: dict[str, str], texts2026: dict[str, str],
                                         cfg2023: YearConfig, cfg2026: YearConfig) -> None:
    a, b = norm(texts2023[part]), norm(texts2026[part])
    va, vb = _formatted(cfg2023), _formatted(cfg2026)
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    changed: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        i1, i2 = _expand(a, i1, i2)
        j1, j2 = _expand(b, j1, j2)
        old, new = a[i1:i2], b[j1:j2]
        changed.append((old, new))
        assert _config_driven(old, va), f"2023 text changed outside config values: {old!r} → {new!r}"
        assert _config_driven(new, vb), f"2026 text changed outside config values: {old!r} → {new!r}"
    assert sm.ratio() > 0.97  # everything else is identical
    assert changed, "2026 text should differ from 2023"


def test_2026_values_in_text(texts2026: dict[str, str], cfg2026: YearConfig) -> None:
    fwd, base = norm(texts2026["fwd"]), norm(texts2026["base"])
    for s in ["粤科协办发〔2026〕21号", "于8月10日之前填报", "2026年7月10日", "科协外函〔2026〕18号",
              "依法成立三年以上（含三年）", "原则上不超过8个", "原则上不超过5个", "境外机构应不少于60%",
              "此项工作于8月31日前完成", "2026年6月30日", "开展2026年度中国科协海智计划合作机构征选工作"]:
        assert s in fwd, s
    for s in ["科协外函〔2026〕17号", "拥有服务场地300平方米以上", "应达到30人以上", "入驻企业60家以上",
              "长期联系服务的海外科技人才600人以上", "不低于人民币150万元/年", "公示时间不少于5天",
              "请各省级科协于2026年9月18日前", "基地建设方案（2027-2029年）"]:
        assert s in base, s
    assert "2023" not in fwd + base
    assert "科协外函〔2023〕" not in fwd + base


@pytest.mark.parametrize("year", available_years())
def test_every_bundled_year_renders(year: int) -> None:
    cfg = load_year(year)
    for data in (render_notice(cfg, "coop"), render_notice(cfg, "base"), render_outline(cfg),
                 *(render_forwarding(cfg, p) for p in cfg.forwarding)):
        text = docx_text(data)
        assert "{{" not in text and "{%" not in text and "}}" not in text
        assert cfg.coop.doc_number in text or cfg.base.doc_number in text or "参考提纲" in text


# --- derivations ---------------------------------------------------------------------

def test_split_title_keeps_words_whole(cfg2023: YearConfig) -> None:
    lines = split_title(cfg2023.coop.title)
    assert lines == ["中国科协国际合作部关于开展2023年", "中国科协海智计划合作机构征选工作的通知"]
    assert split_title("转发" + cfg2023.coop.title)[0] == "转发中国科协国际合作部关于开展2023年"
    assert split_title("短标题") == ["短标题"]
    long = "关于" + "中国科协海智计划合作机构" * 4 + "的通知"
    assert all(text_width(x) <= 20 for x in split_title(long)) and "".join(split_title(long)) == long


def test_paused_types_and_numbering_follow_config(cfg2023: YearConfig) -> None:
    base = cfg2023.base
    cfg = cfg2023.model_copy(update={"base": base.model_copy(update={
        "accepted_types": ("中国科协海智工作基地", "海智国际研发社区"),
        "paused_types": ("国家海外人才离岸创新创业基地", "中国科协海外创新创业基地")})})
    text = norm(docx_text(render_notice(cfg, "base", with_attachments=False)))
    assert "国家海外人才离岸创新创业基地（简称“离岸基地”）和中国科协海外创新创业基地（简称“海外基地”）暂不接受申报" in text
    assert "其它两种类型基地申报要求如下" in text
    assert "（一）工作基地" in text and "（二）研发社区" in text and "离岸基地1.申报对象" not in text
    assert support_letters(cfg) == "申请工作基地、研发社区须提供地市政府支持函"
    none_paused = cfg2023.model_copy(update={"base": base.model_copy(update={"paused_types": ()})})
    ctx = notice_context(none_paused, "base")
    assert ctx["paused_types"] == "" and ctx["n_types"] == 3
    assert "各类型基地申报要求如下" in norm(docx_text(render_notice(none_paused, "base", with_attachments=False)))


def test_support_letters_2023(cfg2023: YearConfig) -> None:
    assert support_letters(cfg2023) == "申请工作基地、研发社区须提供地市政府支持函，申请离岸基地须提供省政府支持函"


def test_unknown_base_type_is_reported(cfg2023: YearConfig) -> None:
    cfg = cfg2023.model_copy(update={"base": cfg2023.base.model_copy(update={"accepted_types": ("海智驿站",)})})
    with pytest.raises(HaizhiError, match="海智驿站"):
        render_notice(cfg, "base")


def test_unknown_province_lists_known_ones(cfg2023: YearConfig) -> None:
    with pytest.raises(HaizhiError) as e:
        render_forwarding(cfg2023, "浙江")
    assert "浙江" in str(e.value) and "广东" in str(e.value)
    assert "粤科协办发〔2023〕30号" in docx_text(render_forwarding(cfg2023, "广东省"))  # 省 suffix accepted


def test_unknown_programme(cfg2023: YearConfig) -> None:
    with pytest.raises(HaizhiError, match="coop 或 base"):
        render_notice(cfg2023, "talent")  # type: ignore[arg-type]


def test_config_values_are_not_evaluated_as_templates(cfg2023: YearConfig) -> None:
    evil = cfg2023.model_copy(update={"coop": cfg2023.coop.model_copy(update={"email": "{{ cfg.year }}<x>&"})})
    text = docx_text(render_notice(evil, "coop", with_attachments=False))
    assert "邮  箱：{{ cfg.year }}<x>&" in text


def test_attachment_note_numbers_several() -> None:
    from haizhi.pipeline.generate.notices import Attachment, _attachment_lines

    one = Attachment("甲表", "附件", lambda cfg: b"")
    two = Attachment("乙表", "附件", lambda cfg: b"")
    assert _attachment_lines([one]) == ["附件：甲表"]
    assert _attachment_lines([one, two]) == ["附件：1.甲表", "2.乙表"]
    assert _attachment_lines([]) == []
