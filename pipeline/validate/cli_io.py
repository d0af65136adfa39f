"""Shared by validate/export: read record JSON or form files, print Chinese tables."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import click

from haizhi.pipeline.core.errors import HaizhiError
from haizhi.pipeline.core.record import Finding, Record, load_records


@dataclass
class Loaded:
    """Records read from the command line, with where each came from."""

    records: list[Record] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)  # input path per record
    file_findings: list[tuple[str, list[Finding]]] = field(default_factory=list)  # files with no records
    unreadable: list[str] = field(default_factory=list)


def load_inputs(paths: list[str], *, allow_forms: bool = True) -> Loaded:
    """Record JSON (one object or a list) or, if allow_forms, any file `haizhi extract` reads."""
    out = Loaded()
    for p in paths:
        path = Path(p)
        if path.suffix.lower() == ".json" or not allow_forms:
            try:
                recs = load_records(path)
            except HaizhiError as e:
                click.echo(f"错误：{e}", err=True)
                out.unreadable.append(p)
                continue
            out.records += recs
            out.origins += [p] * len(recs)
            continue
        if not path.is_file():
            why = "是目录（整批收件请用 haizhi intake）" if path.is_dir() else "找不到文件"
            click.echo(f"错误：{p} {why}", err=True)
            out.unreadable.append(p)
            continue
        from haizhi.extractors import extract_file

        res = extract_file(path)  # an untrusted file: parsed in a limited child process
        if not res.readable:
            why = "；".join(f.message for f in res.findings) or f"无法读取 {p}"
            click.echo(f"错误：{why}", err=True)
            out.unreadable.append(p)
            continue
        if not res.records:
            out.file_findings.append((p, list(res.findings)))
        for r in res.records:
            out.records.append(r)
            out.origins.append(p)
    return out


def width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _wrap(s: str, w: int) -> list[str]:
    lines: list[str] = []
    for part in s.split("\n"):
        cur, cw = "", 0
        for ch in part:
            cwid = width(ch)
            if cw + cwid > w and cur:
                lines.append(cur)
                cur, cw = "", 0
            cur += ch
            cw += cwid
        lines.append(cur)
    return lines or [""]


def table(headers: list[str], rows: list[list[str]], max_widths: list[int]) -> str:
    """A plain-text table aligned for CJK (double-width) characters; long cells wrap."""
    widths = [min(max([width(h)] + [width(line) for r in rows for line in str(r[i]).split("\n")]), max_widths[i])
              for i, h in enumerate(headers)]

    def fmt(cells: list[str]) -> list[str]:
        wrapped = [_wrap(str(c), widths[i]) for i, c in enumerate(cells)]
        height = max(len(w) for w in wrapped)
        out = []
        for k in range(height):
            parts = []
            for i, w in enumerate(wrapped):
                s = w[k] if k < len(w) else ""
                parts.append(s + " " * (widths[i] - width(s)))
            out.append("  ".join(parts).rstrip())
        return out

    lines = fmt(headers)
    lines.append("  ".join("-" * w for w in widths))
    for r in rows:
        lines += fmt(r)
    return "\n".join(lines)
