"""Our own documents (notices, forms, approval sheets, correction notices) to PDF, checked.

A PDF that goes out must embed every font, and every Chinese face must be a Simplified Chinese one:
a Japanese face draws 海, 为, 骨 in other glyph forms that nobody notices on screen but that do not
belong in an official document (GB/T 9704). The check reads the PDF's font list with pdffonts
(tens of milliseconds beside a conversion of about a second). A PDF that fails is removed and the
error names its faces: nothing half-right is left to be sent.
"""

from __future__ import annotations

from pathlib import Path

from haizhi.pipeline.core.errors import ConversionError
from haizhi.pipeline.office.pdfcheck import font_problems


def official_pdf(src: Path, dst: Path) -> Path:
    """Convert one of our DOCX files to PDF with the warm converter, then check its fonts; returns dst."""
    from haizhi.pipeline.office.convert import shared_converter

    out = Path(shared_converter().convert(Path(src), Path(dst)))
    problems = font_problems(out)
    if problems:
        out.unlink(missing_ok=True)
        raise ConversionError(f"{out.name} 未生成：{'；'.join(problems)}。公文须全部使用简体中文字体并嵌入，"
                              "请运行 scripts/setup.sh 安装 Noto CJK 字体，或在模板中改用简体中文字体后重试")
    return out
