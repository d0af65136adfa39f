"""The JSON API the pages use (documented at /docs, /openapi.json). Login required; every
change needs the X-CSRF-Token header of the session (GET /api/session gives it)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from haizhi.pipeline.review import decisions
from haizhi.pipeline.review import queries as review_queries
from haizhi.pipeline.review.models import ROLE_CN, User
from haizhi.pipeline.web import actions
from haizhi.pipeline.web.detail import page_context
from haizhi.pipeline.web.security import check_csrf, csrf_token, current_user, db, needs

router = APIRouter(prefix="/api", tags=["审核"])
SHA = r"^[0-9a-f]{64}$"


class Correction(BaseModel):
    field: str = Field(description="字段键，如 name_cn；签章如 institution_sealed")
    value: Any = Field(description="新值：文本、数字、是/否、日期 YYYY-MM-DD，多选用列表")
    reason: str | None = Field(None, description="更正理由")


class Verification(BaseModel):
    field: str
    reason: str | None = None


class DecisionIn(BaseModel):
    decision: str = Field(description="通过 / 需补正 / 不符合条件")
    items: list[Any] | None = Field(None, description="需补正的事项：文字，或 {field, text}")
    note: str | None = None


@router.get("/session", summary="当前用户与 CSRF 令牌")
def session_info(request: Request, user: User = Depends(current_user)) -> dict[str, Any]:
    return {"user": user.name, "role": user.role, "role_cn": ROLE_CN.get(user.role), "csrf_token": csrf_token(request)}


@router.get("/applications", summary="申请列表（仪表板）",
            description="按审核状态、表格、推荐单位、待核对筛选和搜索；附各推荐单位名额与境外占比、整批问题、处理进度。")
def list_applications(request: Request, form: str | None = None, recommender: str | None = None,
                      status: str | None = None, flagged: bool | None = None, q: str | None = None,
                      year: int | None = None, limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0),
                      user: User = Depends(current_user), s: Session = Depends(db)) -> dict[str, Any]:
    return review_queries.list_applications(s, year=year or request.app.state.settings.year, form=form,
                                            recommender=recommender, status=status, flagged=flagged, q=q,
                                            limit=limit, offset=offset)


@router.get("/applications/{app_id}", summary="一份申请：记录、字段、问题、框线、修改记录、决定",
            description="字段（待核对的在前）带机读值、复核值、修改记录和在原件上的位置；findings 为检查结果。")
def read_application(app_id: int, user: User = Depends(current_user), s: Session = Depends(db)) -> dict[str, Any]:
    return review_queries.application_detail(s, app_id)


@router.get("/applications/{app_id}/pages", summary="原件页面与框线（页面上叠加的 SVG 所用）",
            description="file 为文件的 SHA-256（默认：扫描件，否则表格文件）。每页给出图片地址、尺寸（点）和字段、签章、公章的框。")
def application_pages(request: Request, app_id: int, file: str | None = Query(None, pattern=SHA),
                      user: User = Depends(current_user), s: Session = Depends(db)) -> dict[str, Any]:
    ctx = page_context(request, s, app_id, file, user)
    return {"file": ctx["shown"], **ctx["pages"]}


@router.post("/applications/{app_id}/corrections", summary="更正一个字段", dependencies=[Depends(check_csrf)],
             description="新增一条修订（值、人、时间、理由），机读值和以前的修订都保留；随即重新初审，返回新的状态和问题。")
def post_correction(app_id: int, body: Correction, user: User = Depends(needs("correct")),
                    s: Session = Depends(db)) -> dict[str, Any]:
    return (actions.correct(s, app_id, body.field, body.value, user, body.reason)).to_dict()


@router.post("/applications/{app_id}/verifications", summary="标记字段核对无误", dependencies=[Depends(check_csrf)])
def post_verification(app_id: int, body: Verification, user: User = Depends(needs("verify")),
                      s: Session = Depends(db)) -> dict[str, Any]:
    return (actions.verify(s, app_id, body.field, user, body.reason)).to_dict()


@router.post("/applications/{app_id}/decisions", summary="作出审核决定", dependencies=[Depends(check_csrf)],
             description="通过 / 需补正（须列出补正事项，生成补正通知）/ 不符合条件；可再次决定，历史保留。需审核人或管理员。")
def post_decision(app_id: int, body: DecisionIn, user: User = Depends(needs("decide")),
                  s: Session = Depends(db)) -> dict[str, Any]:
    decisions.decide(s, app_id, body.decision, user, body.items, body.note)
    return {"decision": decisions.history(s, app_id)[-1], "history": decisions.history(s, app_id)}


@router.post("/uploads", summary="上传文件", dependencies=[Depends(check_csrf)],
             description="文件立即存档并登记为待处理，后台收件程序随后读取；带 application_id 时同时归入该申请。")
async def post_upload(request: Request, file: UploadFile = File(...), application_id: int | None = Form(None),
                      user: User = Depends(needs("upload")), s: Session = Depends(db)) -> dict[str, Any]:
    app = decisions.application(s, application_id) if application_id is not None else None
    f = await actions.upload(request, s, file, app)
    return {"file": {"id": f.id, "sha256": f.sha256, "name": f.name, "state": f.state, "size": f.size},
            "application_id": app.id if app else None}


@router.get("/processing", summary="处理进度")
def get_processing(user: User = Depends(current_user), s: Session = Depends(db)) -> dict[str, Any]:
    from haizhi.pipeline.web.pages import processing

    return processing(s)
