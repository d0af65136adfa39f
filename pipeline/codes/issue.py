"""Issuing a pre-filled form: record it in the ledger, print a signed code on every page.

    issue_form(record, cfg, db_url, pdf=True) -> Issued   (DOCX bytes, PDF bytes with codes, issue id)
    values_hash(form, fields) -> hex                      (the same for a record read back from a DOCX)
    find_issue(db_url, issue_id) / find_by_hash(db_url, hash)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from haizhi.pipeline.codes.models import IssuedForm
from haizhi.pipeline.codes.verify import load_secret, make_code, new_issue_id
from haizhi.pipeline.core.config import YearConfig
from haizhi.pipeline.core.errors import HaizhiError
from haizhi.pipeline.core.fields import FORMS
from haizhi.pipeline.core.record import Record

DB_ENV = "HAIZHI_DB"


def default_db_url() -> str:
    """The intake's default ledger (outputs/haizhi.db under the working directory)."""
    from haizhi.pipeline.intake.db import default_url

    return default_url("outputs")


def read_db_url() -> str | None:
    """The ledger to look codes up in when reading: $HAIZHI_DB, else the default ledger if it exists."""
    env = os.environ.get(DB_ENV)
    if env:
        return env
    url = default_db_url()
    return url if Path(url.removeprefix("sqlite:///")).is_file() else None


def _jsonable(v: Any) -> Any:
    if isinstance(v, frozenset | set):
        return sorted(_jsonable(x) for x in v)
    if isinstance(v, tuple | list):
        return [_jsonable(x) for x in v]
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def canonical(form: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Field values in the comparable form the editable/scan cross-check uses; empty fields left out."""
    from haizhi.pipeline.validate.compare import _canon

    out = {}
    for spec in FORMS[form].fields:
        c = _canon(spec, fields.get(spec.key))
        if c is not None:
            out[spec.key] = _jsonable(c)
    return out


def values_hash(form: str, fields: dict[str, Any]) -> str:
    data = json.dumps([form, canonical(form, fields)], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(data.encode()).hexdigest()


@dataclass
class Issued:
    issue_id: str
    form: str
    docx: bytes
    pdf: bytes | None
    pages: int | None
    values_hash: str


def _to_pdf(docx: bytes) -> bytes:
    from haizhi.pipeline.office.official import official_pdf

    with tempfile.TemporaryDirectory(prefix="haizhi-issue-") as td:
        src = Path(td) / "form.docx"
        src.write_bytes(docx)
        return official_pdf(src, Path(td) / "form.pdf").read_bytes()


def _page_count(pdf: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def issue_form(record: Record, cfg: YearConfig, db_url: str, pdf: bool = True,
               source_pdf: bytes | None = None) -> Issued:
    """Render the pre-filled form, stamp a code on each PDF page, and record the issue in the ledger.

    source_pdf: the converted form if the caller already has it (it must be render_form's output).
    The DOCX is returned as rendered (a DOCX has no fixed pages to put a page code on).
    """
    from haizhi.pipeline.codes.qr import stamp_pdf
    from haizhi.pipeline.generate.forms import render_form
    from haizhi.pipeline.intake.db import open_db

    docx = render_form(record, record.form, cfg)
    key = load_secret(create=True)
    assert key is not None
    issue_id = new_issue_id()
    stamped = pages = None
    if pdf or source_pdf is not None:
        plain = source_pdf if source_pdf is not None else _to_pdf(docx)
        stamped = stamp_pdf(plain, lambda p, n: make_code(record.form, issue_id, p, n, key))
        pages = _page_count(stamped)
    h = values_hash(record.form, record.fields)
    engine, Session = open_db(db_url)
    try:
        with Session() as s:
            s.add(IssuedForm(issue_id=issue_id, form=record.form, year=cfg.year, values_hash=h,
                             values=dict(record.fields), pages=pages,
                             name=str(record.fields.get("name_cn") or record.fields.get("applicant") or "") or None))
            s.commit()
    except Exception as e:
        raise HaizhiError(f"无法在台账中登记打印的表格：{type(e).__name__}: {e}") from None
    finally:
        engine.dispose()
    return Issued(issue_id, record.form, docx, stamped, pages, h)


def _lookup(db_url: str, **where: str) -> IssuedForm | None:
    """Read-only lookup: a ledger without the table (or unreachable) finds nothing."""
    from sqlalchemy import create_engine, select
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.orm import Session

    try:
        engine = create_engine(db_url)
    except Exception:  # noqa: BLE001 - a bad URL: no ledger
        return None
    try:
        with Session(engine) as s:
            q = select(IssuedForm)
            for k, v in where.items():
                q = q.where(getattr(IssuedForm, k) == v)
            return s.scalars(q.order_by(IssuedForm.created_at.desc())).first()
    except SQLAlchemyError:
        return None
    finally:
        engine.dispose()


def find_issue(db_url: str | None, issue_id: str) -> IssuedForm | None:
    return _lookup(db_url, issue_id=issue_id) if db_url else None


def find_by_hash(db_url: str | None, form: str, h: str) -> IssuedForm | None:
    return _lookup(db_url, form=form, values_hash=h) if db_url else None
