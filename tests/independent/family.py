"""Build the independent family: truth records, their DOCX, .doc and text PDFs.

    build_family(out_dir, seed=TUNE_SEED, n=8) -> list[Sample]

Sample i has its own seed (``seed * 1000 + i``); the form alternates (coop, base) and the
layout family cycles over sample / wps / sdt / doc (doc = a sample-like or WPS-style return
saved as a legacy .doc by LibreOffice; its PDF is made from the .doc). Seeds below
HOLDOUT_SEED are TUNE (readers may be tuned on them); seeds from HOLDOUT_SEED on are HOLDOUT
(only measured).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from haizhi.pipeline.core.fields import BASE, COOP
from haizhi.pipeline.core.record import Record

from . import base, coop
from .values import gen_base, gen_coop

FAMILIES = ("sample", "wps", "sdt", "doc")
FORMS = (COOP, BASE)
TUNE_SEED = 1
HOLDOUT_SEED = 1000


def split_of(seed: int) -> str:
    return "holdout" if seed >= HOLDOUT_SEED else "tune"


@dataclass
class Sample:
    truth: Record
    family: str
    docx: Path
    doc: Path | None
    pdf: Path | None
    seed: int
    split: str
    written: dict[str, str]

    @property
    def name(self) -> str:
        return self.docx.stem


def make_docx(form: str, family: str, seed: int, path: Path, *, truth: dict[str, Any] | None = None,
              **options: Any) -> tuple[Record, dict[str, str]]:
    """One return; ``truth`` overrides generated values; ``options`` go to the layout's build()."""
    rng = random.Random(f"{form}:{family}:{seed}")
    t, w = (gen_coop if form == COOP else gen_base)(rng)
    for k, v in (truth or {}).items():
        t[k] = v
        w[k] = v if isinstance(v, str) else ""
    fam = rng.choice(["sample", "wps"]) if family == "doc" else family
    doc = (coop.build if form == COOP else base.build)(t, w, rng, fam, **options)
    doc.add_paragraph("")  # Word always ends a body with a paragraph (a table last is lost in .doc)
    doc.save(str(path))
    return Record(form=form, fields=t), w


def build_family(out_dir: str | Path, *, seed: int = TUNE_SEED, n: int = 8, pdf: bool = True,
                 forms: tuple[str, ...] = FORMS, families: tuple[str, ...] = FAMILIES,
                 all_doc: bool = False) -> list[Sample]:
    """``all_doc``: also save every other family's return as .doc (more .doc input for a bench)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    conv = None
    if pdf or all_doc or "doc" in families:
        from haizhi.pipeline.office.convert import shared_converter
        conv = shared_converter()
    samples: list[Sample] = []
    combos = [(f, fam) for fam in families for f in forms]
    for i in range(n):
        form, fam = combos[i % len(combos)]
        s = seed * 1000 + i
        stem = f"{'coop' if form == COOP else 'base'}_{fam}_{s}"
        dx = out / f"{stem}.docx"
        truth, written = make_docx(form, fam, s, dx)
        dc = pf = None
        if fam == "doc" and conv is not None:
            dc = conv.convert(dx, out / f"{stem}.doc")
        if pdf and conv is not None:
            pf = conv.convert(dc or dx, out / f"{stem}.pdf")
        if all_doc and dc is None and conv is not None:
            dc = conv.convert(dx, out / f"{stem}.doc")
        samples.append(Sample(truth, fam, dx, dc, pf, s, split_of(seed), written))
    return samples
