"""A year's notice package: notices, blank forms and the outline as DOCX + PDF,
a manifest.json (name, bytes, SHA-256 of every file) and a .zip of the folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sys
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tqdm import tqdm

from haizhi.pipeline.core.config import YearConfig
from haizhi.pipeline.core.errors import HaizhiError
from haizhi.pipeline.core.fields import BASE, COOP
from haizhi.pipeline.generate.notices import (
    blank_form,
    forwarding_config,
    render_forwarding,
    render_notice,
    render_outline,
)

DEFAULT_OUT = Path("outputs")  # relative to where haizhi is run
MANIFEST = "manifest.json"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed entry times: the same files give the same zip


@dataclass(frozen=True)
class PackageFile:
    name: str
    bytes: int
    sha256: str


@dataclass
class Package:
    folder: Path
    manifest: Path
    zip: Path
    files: list[PackageFile] = field(default_factory=list)


def documents(cfg: YearConfig, programmes: Iterable[str], province: str | None = None
              ) -> list[tuple[str, Callable[[], bytes]]]:
    """(file stem, renderer) for every document of the package, in package order."""
    progs = list(programmes)
    bad = [p for p in progs if p not in ("coop", "base")]
    if bad or not progs:
        raise HaizhiError(f"未知的通知类型：{'、'.join(bad) or '（空）'}（应为 coop、base 或 all）")
    if province and "coop" not in progs:
        raise HaizhiError("转发通知转发的是合作机构通知，请同时生成 coop（--programme coop 或 all）")
    out: list[tuple[str, Callable[[], bytes]]] = []
    if province:
        forwarding_config(cfg, province)  # unknown province: fail before writing anything
    if "coop" in progs:
        out.append(("合作机构通知", lambda: render_notice(cfg, "coop")))
        if province:
            name = province.removesuffix("省")
            out.append((f"{name}转发通知", lambda: render_forwarding(cfg, province)))
        out.append(("合作机构信息表", lambda: blank_form(COOP)(cfg)))
    if "base" in progs:
        out.append(("基地通知", lambda: render_notice(cfg, "base")))
        out.append(("基地申报表", lambda: blank_form(BASE)(cfg)))
        out.append(("基地建设方案参考提纲", lambda: render_outline(cfg)))
    return out


def file_entry(path: Path) -> PackageFile:
    data = path.read_bytes()
    return PackageFile(path.name, len(data), hashlib.sha256(data).hexdigest())


def _prepare(folder: Path) -> None:
    """An empty package folder; a previous package there (it has a manifest) is replaced."""
    if folder.exists():
        if not folder.is_dir():
            raise HaizhiError(f"输出位置 {folder} 已存在且不是文件夹")
        if any(folder.iterdir()) and not (folder / MANIFEST).exists():
            raise HaizhiError(f"输出文件夹 {folder} 已有其他文件（不是 haizhi 生成的通知包），"
                              "为避免覆盖，请用 --out 指定别的目录或先清空它")
        shutil.rmtree(folder)
    folder.mkdir(parents=True)


def write_zip(folder: Path, dst: Path) -> Path:
    """Zip the folder (entries under the folder's name, fixed timestamps, sorted)."""
    tmp = dst.with_name(dst.name + ".part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(folder.iterdir()):
            info = zipfile.ZipInfo(f"{folder.name}/{p.name}", _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, p.read_bytes())
    tmp.replace(dst)
    return dst


def generate_package(cfg: YearConfig, out: Path | str | None = None, programmes: Iterable[str] = ("coop", "base"),
                     province: str | None = None, pdf: bool = True, progress: bool = True) -> Package:
    """Write <out>/<year>-通知包/ (DOCX, PDF, manifest.json) and <out>/<year>-通知包.zip."""
    docs = documents(cfg, programmes, province)
    base = Path(out) if out else DEFAULT_OUT
    folder = base / f"{cfg.year}-通知包"
    _prepare(folder)
    if pdf:
        from haizhi.pipeline.office.official import official_pdf
    steps = len(docs) * (2 if pdf else 1) + 1
    with tqdm(total=steps, desc=f"{cfg.year} 通知包", unit="步", file=sys.stderr, disable=not progress,
              leave=False) as bar:
        written: list[Path] = []
        for stem, render in docs:
            bar.set_postfix_str(f"{stem}.docx")
            docx_path = folder / f"{stem}.docx"
            docx_path.write_bytes(render())
            written.append(docx_path)
            bar.update()
            if pdf:
                bar.set_postfix_str(f"{stem}.pdf")
                written.append(official_pdf(docx_path, folder / f"{stem}.pdf"))
                bar.update()
        files = [file_entry(p) for p in written]
        manifest = folder / MANIFEST
        manifest.write_text(json.dumps({
            "year": cfg.year,
            "programmes": list(dict.fromkeys(programmes)),
            "province": province,
            "generated_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            "files": [asdict(f) for f in files],
        }, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        bar.set_postfix_str("zip")
        zpath = write_zip(folder, base / f"{folder.name}.zip")
        bar.update()
    return Package(folder, manifest, zpath, files)
