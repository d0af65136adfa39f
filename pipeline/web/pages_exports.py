"""Exports with reviewed values, and the 补正通知 of an application, as downloads.

Export files are offered by an id (a hash of their name under the export folder),
never by a path from the request; a download looks the id up in a fresh listing.
"""

from __future__ import annotations

import fcntl
import hashlib
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from haizhi.pipeline.review import notice
from haizhi.pipeline.review.errors import NotFound
from haizhi.pipeline.review.models import User
from haizhi.pipeline.web.pages import render
from haizhi.pipeline.web.security import check_csrf, current_user, db, needs

router = APIRouter(include_in_schema=False)
EXPORTS = "复核导出"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def export_dir(request: Request) -> Path:
    return Path(request.app.state.settings.out) / EXPORTS


def file_id(rel: str) -> str:
    return hashlib.sha256(rel.encode("utf-8")).hexdigest()[:24]


def listing(root: Path) -> list[dict[str, Any]]:
    if not root.is_dir():
        return []
    out = []
    for p in sorted(root.rglob("*")):
        if p.is_file() and not p.is_symlink() and not p.name.startswith("."):
            rel = p.relative_to(root).as_posix()
            out.append({"id": file_id(rel), "rel": rel, "size": p.stat().st_size, "path": p})
    return out


@router.get("/exports", response_class=HTMLResponse)
def exports_page(request: Request, user: User = Depends(needs("export"))) -> Response:
    files = listing(export_dir(request))
    return render(request, "exports.html", {"user": user, "files": files})


def _write(s: Session, out: Path, pdf: bool) -> dict[str, Path]:
    from haizhi.pipeline.review.exports import write_reviewed_exports

    out.mkdir(parents=True, exist_ok=True)
    with (out.parent / ".web-exports.lock").open("w") as lk:
        fcntl.flock(lk, fcntl.LOCK_EX)  # one export at a time, across workers
        return write_reviewed_exports(s, out, year=None, pdf=pdf)


@router.post("/exports", dependencies=[Depends(check_csrf)])
async def make_exports(request: Request, user: User = Depends(needs("export")), s: Session = Depends(db)) -> Response:
    form = await request.form()
    await run_in_threadpool(_write, s, export_dir(request), form.get("pdf") == "1")
    return RedirectResponse("/exports?done=1", status_code=303)


@router.get("/exports/files/{fid}")
def export_file(request: Request, fid: str = PathParam(pattern=r"^[0-9a-f]{24}$"),
                user: User = Depends(needs("export"))) -> Response:
    hit = next((f for f in listing(export_dir(request)) if f["id"] == fid), None)
    if hit is None:
        raise NotFound("找不到该导出文件")
    return FileResponse(hit["path"], filename=Path(hit["rel"]).name, content_disposition_type="attachment",
                        media_type="application/octet-stream")


def _attachment(data: bytes, name: str, mtype: str) -> Response:
    return Response(data, media_type=mtype,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


@router.get("/applications/{app_id}/notice.docx")
def notice_docx(app_id: int, user: User = Depends(current_user), s: Session = Depends(db)) -> Response:
    return _attachment(notice.correction_notice(s, app_id), f"补正通知-{app_id}.docx", DOCX)


@router.get("/applications/{app_id}/notice.pdf")
def notice_pdf(app_id: int, user: User = Depends(current_user), s: Session = Depends(db)) -> Response:
    return _attachment(notice.correction_notice_pdf(s, app_id), f"补正通知-{app_id}.pdf", "application/pdf")
