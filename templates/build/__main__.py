"""Rebuild every DOCX template: python -m haizhi.templates.build [OUT_DIR]."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent

# builder modules, each with build(out_dir) -> list[Path]; forms/sheets belong to the forms work
MODULES = ("haizhi.templates.build.notices", "haizhi.templates.build.forms", "haizhi.templates.build.review_docs",
           "haizhi.templates.build.correction_notice")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else TEMPLATES
    built: list[Path] = []
    for name in MODULES:
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name == name:
                print(f"跳过 {name}（尚未提供）", file=sys.stderr)
                continue
            raise
        built.extend(Path(p) for p in mod.build(out) or [])
    for p in built:
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
