"""Check DOCX templates after office staff edited them (haizhi templates check).

Reads each paragraph's text as Word shows it (runs joined), finds the Jinja
tags, and reports in Chinese, with the surrounding text:
- broken tags: a `{{` without `}}`, a stray `%}`, a tag cut across paragraphs,
  a syntax error inside a tag;
- unbalanced blocks: `{% for %}` without `{% endfor %}`, a stray `{% endif %}`;
- names that do not exist: unknown variables, `r.xxx` that is not a field of
  the form, `cfg.a.b` that the year config does not have, unknown filters.
Names are checked against a sample context of the template (the same
functions that render it build it), so the check knows what rendering will see.
"""

from __future__ import annotations

import difflib
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, nodes
from lxml import etree
from pydantic import BaseModel

from haizhi.pipeline.core.config import YearConfig, available_years, load_year
from haizhi.pipeline.core.fields import FORMS
from haizhi.pipeline.generate.render import FILTERS, TEMPLATES_DIR, jinja_env
from haizhi.pipeline.generate.template_samples import sample_context

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
UNKNOWN: Any = object()  # a value the check cannot follow further
_DELIM = re.compile(r"\{\{|\{%|\{#|\}\}|%\}|#\}")
_CLOSE = {"{{": "}}", "{%": "%}", "{#": "#}"}
_PREFIX = re.compile(r"^(tr|tc|p|r)\s")
_BLOCKS = {"for": "endfor", "if": "endif"}
_SMART = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
_PART_CN = {"document": "正文", "header": "页眉", "footer": "页脚", "footnotes": "脚注"}


@dataclass
class Problem:
    file: str
    where: str
    message: str
    context: str = ""
    row: str = ""  # the table row's text, for a problem in a cell

    def __str__(self) -> str:
        s = f"{self.file}：{self.where}：{self.message}"
        s += f"\n    附近文字：“{self.context}”" if self.context else ""
        return s + (f"\n    所在行：“{self.row}”" if self.row else "")


@dataclass
class Tag:
    kind: str  # "{{" "{%" "{#"
    inner: str
    where: str
    context: str
    row: str = ""


@dataclass
class _Scope:
    ctx: dict[str, Any] | None  # None: unknown template, top-level names not checked
    stack: list[dict[str, Any]] = field(default_factory=list)


# --- reading tags from the document ----------------------------------------------

def _par_text(p: etree._Element) -> str:
    out = []
    for el in p.iter(f"{W}t", f"{W}tab"):
        if next(el.iterancestors(f"{W}p")) is p:
            out.append(el.text or "" if el.tag == f"{W}t" else "\t")
    return "".join(out)


def _cell_pos(tc: etree._Element) -> tuple[etree._Element, int, int]:
    tr = tc.getparent()
    tbl = tr.getparent()
    row = tbl.findall(f"{W}tr").index(tr)
    col = 0
    for other in tr.findall(f"{W}tc"):
        if other is tc:
            break
        span = other.find(f"{W}tcPr/{W}gridSpan")
        col += int(span.get(f"{W}val")) if span is not None else 1
    return tbl, row, col


def _paragraphs(root: etree._Element, part: str) -> list[tuple[str, str, str]]:
    """(text, where, context) for every paragraph in order."""
    tables: dict[etree._Element, int] = {}
    out = []
    n = 0
    for p in root.iter(f"{W}p"):
        n += 1
        text = _par_text(p)
        tc = next(p.iterancestors(f"{W}tc"), None)
        if tc is None:
            out.append((text, f"{_PART_CN.get(part, part)}第{n}段", text))
            continue
        tbl, row, col = _cell_pos(tc)
        t = tables.setdefault(tbl, len(tables) + 1)
        cells = ["".join(_par_text(q) for q in c.iter(f"{W}p")) for c in tc.getparent().findall(f"{W}tc")]
        row_text = " | ".join(c for c in cells if c.strip())
        out.append((text, f"{_PART_CN.get(part, part)}表格{t}第{row + 1}行第{col + 1}列", row_text))
    return out


def _near(text: str, start: int, end: int, width: int = 30) -> str:
    a, b = max(0, start - width), min(len(text), end + width)
    return ("…" if a else "") + text[a:b] + ("…" if b < len(text) else "")


def scan_tags(paragraphs: list[tuple[str, str, str]], file: str) -> tuple[list[Tag], list[Problem]]:
    tags: list[Tag] = []
    problems: list[Problem] = []
    for text, where, ctx in paragraphs:
        row = ctx[:100] if ctx != text else ""
        open_tok: re.Match[str] | None = None
        for m in _DELIM.finditer(text):
            tok = m.group()
            if tok in _CLOSE:
                if open_tok is not None:
                    problems.append(Problem(file, where, f"标签“{open_tok.group()}”没有闭合（缺少“{_CLOSE[open_tok.group()]}”）",
                                            _near(text, open_tok.start(), m.start()), row))
                open_tok = m
                continue
            if open_tok is None:
                opener = next(k for k, v in _CLOSE.items() if v == tok)
                problems.append(Problem(file, where, f"多余的“{tok}”（前面缺少“{opener}”）", _near(text, m.start(), m.end()), row))
                continue
            want = _CLOSE[open_tok.group()]
            if tok != want:
                problems.append(Problem(file, where, f"标签以“{open_tok.group()}”开始却以“{tok}”结束（应为“{want}”）",
                                        _near(text, open_tok.start(), m.end()), row))
            else:
                near = _near(text, open_tok.start(), m.end())
                tags.append(Tag(open_tok.group(), text[open_tok.end():m.start()], where, near, row))
            open_tok = None
        if open_tok is not None:
            problems.append(Problem(
                file, where, f"标签“{open_tok.group()}”没有在同一段内闭合（缺少“{_CLOSE[open_tok.group()]}”，"
                             f"或标签被回车拆成了两段）", _near(text, open_tok.start(), len(text)), row))
    return tags, problems


# --- checking names ------------------------------------------------------------------

def _dotted(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_dotted(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f"{_dotted(node.node)}[{node.arg.value!r}]"
    return "…"


class _Checker:
    def __init__(self, file: str, scope: _Scope, cfg: YearConfig) -> None:
        self.file, self.scope, self.cfg = file, scope, cfg
        self.env = jinja_env()
        self.problems: list[Problem] = []
        self.tag: Tag | None = None
        self.roots = {"cfg": cfg, "r": dict.fromkeys(k for f in FORMS.values() for k in f.keys)}

    def report(self, msg: str) -> None:
        assert self.tag is not None
        raw = self.tag.kind + self.tag.inner + _CLOSE[self.tag.kind]
        self.problems.append(Problem(self.file, self.tag.where, f"{raw.strip()}：{msg}", self.tag.context,
                                     self.tag.row))

    def lookup(self, name: str) -> Any:
        for frame in reversed(self.scope.stack):
            if name in frame:
                return frame[name]
        ctx = self.scope.ctx
        if ctx is None:
            return self.roots.get(name, UNKNOWN)
        if name in ctx:
            return ctx[name]
        if name in self.env.globals:
            return UNKNOWN
        hint = difflib.get_close_matches(name, list(ctx), n=1)
        self.report(f"变量“{name}”不存在" + (f"（是否应为“{hint[0]}”？）" if hint else "")
                    + f"；此模板可用的变量：{'、'.join(sorted(ctx))}")
        return UNKNOWN

    def member(self, base: Any, key: Any, node: nodes.Node) -> Any:
        if base is UNKNOWN or base is None:
            return UNKNOWN
        path = _dotted(node)
        if isinstance(base, dict):
            if key in base:
                return base[key]
            hint = difflib.get_close_matches(str(key), [str(k) for k in base], n=1)
            what = "表单没有这个字段（字段见 pipeline/core/fields.py）" if path.startswith("r.") else "没有这一项"
            self.report(f"“{path}”：{what}" + (f"（是否应为“{path.rsplit('.', 1)[0]}.{hint[0]}”？）" if hint else ""))
            return UNKNOWN
        if isinstance(base, list | tuple):
            return base[key] if isinstance(key, int) and -len(base) <= key < len(base) else UNKNOWN
        if isinstance(base, BaseModel):
            names = list(type(base).model_fields)
            if isinstance(key, str) and (key in names or hasattr(type(base), key)):
                return getattr(base, key)
            hint = difflib.get_close_matches(str(key), names, n=1)
            where = "年度配置" if path.startswith("cfg") else "对象"
            self.report(f"{where}没有“{path}”" + (f"（是否应为“{path.rsplit('.', 1)[0]}.{hint[0]}”？）" if hint else "")
                        + f"；可用：{'、'.join(names)}")
            return UNKNOWN
        if isinstance(key, str) and hasattr(base, key):
            return getattr(base, key)
        self.report(f"“{path}”不存在")
        return UNKNOWN

    def value(self, node: nodes.Node) -> Any:
        if isinstance(node, nodes.Name):
            return self.lookup(node.name)
        if isinstance(node, nodes.Getattr):
            return self.member(self.value(node.node), node.attr, node)
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            return self.member(self.value(node.node), node.arg.value, node)
        if isinstance(node, nodes.Const):
            return node.value
        if isinstance(node, nodes.Filter) and node.name not in self.env.filters:
            hint = difflib.get_close_matches(node.name, list(FILTERS), n=1)
            self.report(f"过滤器“{node.name}”不存在" + (f"（是否应为“{hint[0]}”？）" if hint else "")
                        + f"；可用的过滤器：{'、'.join(FILTERS)}")
        if isinstance(node, nodes.Test) and node.name not in self.env.tests:
            self.report(f"判断“is {node.name}”不存在")
        for child in node.iter_child_nodes():
            self.value(child)
        return UNKNOWN

    def bind(self, target: nodes.Node, it: Any) -> dict[str, Any]:
        names = [n.name for n in target.find_all(nodes.Name)] if not isinstance(target, nodes.Name) else [target.name]
        first = it[0] if isinstance(target, nodes.Name) and isinstance(it, list | tuple) and it else UNKNOWN
        frame = dict.fromkeys(names, UNKNOWN)
        if isinstance(target, nodes.Name):
            frame[target.name] = first
        frame["loop"] = UNKNOWN
        return frame


def check_tags(tags: list[Tag], file: str, ctx: dict[str, Any] | None, cfg: YearConfig) -> list[Problem]:
    ck = _Checker(file, _Scope(ctx), cfg)
    stack: list[tuple[str, Tag]] = []
    for tag in tags:
        ck.tag = tag
        inner = _PREFIX.sub("", tag.inner.lstrip(" ")) if tag.kind != "{#" else ""
        inner = inner.translate(_SMART)  # Word's smart quotes: docxtpl turns them back too
        try:
            if tag.kind == "{{":
                tpl = ck.env.parse("{{ " + inner + " }}")
                for out in tpl.find_all(nodes.Output):
                    for n in out.nodes:
                        ck.value(n)
            elif tag.kind == "{%":
                word, _, rest = inner.strip().partition(" ")
                if word in _BLOCKS:
                    src = f"{{% {word} {rest} %}}{{% {_BLOCKS[word]} %}}"
                    node = ck.env.parse(src).body[0]
                    if word == "for":
                        ck.scope.stack.append(ck.bind(node.target, ck.value(node.iter)))
                    else:
                        ck.value(node.test)
                    stack.append((word, tag))
                elif word in ("elif", "else"):
                    if not stack or stack[-1][0] != "if":
                        ck.report(f"“{word}”前面没有对应的 {{% if %}}")
                    elif word == "elif":
                        ck.value(ck.env.parse(f"{{% if 1 %}}{{% elif {rest} %}}{{% endif %}}").body[0].elif_[0].test)
                elif word in ("endfor", "endif"):
                    opener = "for" if word == "endfor" else "if"
                    if not stack or stack[-1][0] != opener:
                        open_now = f"（当前未结束的是 {stack[-1][1].where} 的 {{% {stack[-1][0]} %}}）" if stack else ""
                        ck.report(f"多余的 {{% {word} %}}，前面没有对应的 {{% {opener} %}}{open_now}")
                        continue
                    stack.pop()
                    if opener == "for" and ck.scope.stack:
                        ck.scope.stack.pop()
                elif word == "set":
                    ck.value(ck.env.parse(f"{{% set {rest} %}}").body[0].node)
                elif word in ("colspan", "cellbg"):
                    ck.value(ck.env.parse("{{ " + rest + " }}").body[0].nodes[0])
                elif word not in ("vm", "hm"):
                    ck.report(f"不认识的标签“{word}”（可用：for/endfor、if/elif/else/endif）")
        except TemplateSyntaxError as e:
            ck.report(f"标签语法错误（{e.message}）")
    for word, tag in stack:
        ck.tag = tag
        ck.report(f"缺少对应的 {{% {_BLOCKS[word]} %}}")
    return ck.problems


# --- whole files ----------------------------------------------------------------------

def _parts(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if re.fullmatch(r"word/(document|header\d*|footer\d*|footnotes)\.xml", n)]
        return [(re.sub(r"\d+$", "", Path(n).stem), z.read(n)) for n in sorted(names)]


def _docxtpl_parse(path: Path, env: Any) -> tuple[str, str] | None:
    """Last check: what docxtpl itself makes of the body → (error, the failing paragraph's text)."""
    tpl = DocxTemplate(str(path))
    tpl.render_init()
    xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(tpl.get_xml()))
    try:
        env.parse(xml)
    except TemplateSyntaxError as e:
        line = xml.splitlines()[e.lineno - 1] if e.lineno else ""
        return e.message or str(e), re.sub(r"<[^>]+>", "", line)[:80]
    return None


def check_template(path: Path, cfg: YearConfig | None = None) -> list[Problem]:
    path = Path(path)
    cfg = cfg or load_year(available_years()[-1])
    if not path.exists():
        return [Problem(path.name, "文件", "找不到文件")]
    try:
        parts = _parts(path)
    except zipfile.BadZipFile:
        return [Problem(path.name, "文件", "不是有效的 DOCX 文件（可能是 .doc 或已损坏），请用 Word/WPS 另存为 .docx")]
    ctx = sample_context(path.name, cfg)
    problems: list[Problem] = []
    for part, data in parts:
        try:
            root = etree.fromstring(data)
        except etree.XMLSyntaxError as e:
            problems.append(Problem(path.name, _PART_CN.get(part, part), f"XML 已损坏：{e}"))
            continue
        tags, found = scan_tags(_paragraphs(root, part), path.name)
        problems += found
        problems += check_tags(tags, path.name, ctx, cfg)
    problems += font_problems(path)
    if not problems:
        err = _docxtpl_parse(path, jinja_env())
        if err:
            msg, text = err
            problems.append(Problem(path.name, "正文", f"模板无法解析（{msg}）", text))
    return problems


# Faces LibreOffice prints with Japanese glyph forms: every face of the Noto/Source Han CJK collections
# (they share one Japanese-named outline table, see pipeline/office/sc_fonts.py) and the faces made for
# Japanese, Korean or Traditional Chinese. The official names (宋体, 仿宋, 黑体…) are mapped to
# Simplified Chinese faces by pipeline/office/fonts.conf.
_COLLECTION_FACE = re.compile(r"^(Noto|Source Han) ?(Serif|Sans)( Mono)? ?CJK", re.I)


def font_problems(path: Path) -> list[Problem]:
    """Fonts named in the template that would print Chinese in other glyph forms."""
    from haizhi.pipeline.office.pdfcheck import is_foreign_face

    names: dict[str, str] = {}
    with zipfile.ZipFile(path) as z:
        for n in sorted(z.namelist()):
            if not re.fullmatch(r"word/(document|styles|header\d*|footer\d*|footnotes|numbering)\.xml", n):
                continue
            try:
                root = etree.fromstring(z.read(n), etree.XMLParser(resolve_entities=False, no_network=True))
            except etree.XMLSyntaxError:
                continue  # reported with the part's tags
            part = re.sub(r"\d+$", "", Path(n).stem)
            for el in root.iter(f"{W}rFonts"):
                for attr in ("eastAsia", "ascii", "hAnsi"):
                    v = el.get(f"{W}{attr}")
                    if v and (is_foreign_face(v) or _COLLECTION_FACE.match(v)):
                        names.setdefault(v, {"styles": "样式"}.get(part, _PART_CN.get(part, part)))
    return [Problem(path.name, where, f"字体“{name}”在生成 PDF 时会按日文字形印出（如“海”少一点）：请改用公文字体名"
                    "（宋体、仿宋、黑体、楷体、方正小标宋简体），生成时会自动换成简体中文字体") for name, where in names.items()]


def default_templates() -> list[Path]:
    return sorted(p for p in TEMPLATES_DIR.glob("*.docx") if not p.name.startswith("~$"))


def check_all(files: list[Path] | None = None, cfg: YearConfig | None = None) -> list[Problem]:
    files = files or default_templates()
    return [p for f in files for p in check_template(f, cfg)]
