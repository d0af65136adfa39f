"""Entering a return in the browser: a form generated from the field dictionary, validated live,
saved as a draft and printed as the pre-filled form with codes. A clerk (or above) keys in a paper
return; an applicant can be sent a personal link (signed, expiring) that opens only that one draft."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from markupsafe import Markup
from sqlalchemy.orm import Session

from haizhi.pipeline.core.config import YearConfig, load_year
from haizhi.pipeline.core.fields import FORMS, FieldSpec, FormSpec
from haizhi.pipeline.core.record import Record
from haizhi.pipeline.review import accounts
from haizhi.pipeline.review.drafts import Draft, get_draft, mark_printed, save_draft
from haizhi.pipeline.review.errors import NotFound, PermissionDenied
from haizhi.pipeline.review.models import User
from haizhi.pipeline.validate import validate_record
from haizhi.pipeline.validate.common import COUNT_NOTE
from haizhi.pipeline.web.pages import render
from haizhi.pipeline.web.security import LoginRequired, check_csrf, csrf_token, db, optional_user

router = APIRouter(include_in_schema=False)
LINK_SALT = "haizhi-entry-link"
LINK_DAYS = 14
SCOPE = "entry_draft"  # session key of a personal link: the only draft that session may open
LINK_WHO = "个人链接"


# --- who may do what ------------------------------------------------------------------------
class Actor:
    def __init__(self, user: User | None, scope: int | None) -> None:
        self.user, self.scope = user, scope

    @property
    def name(self) -> str:
        return self.user.name if self.user else LINK_WHO

    def may_open(self, draft_id: int | None) -> bool:
        if self.user is not None:
            return True
        return draft_id is not None and draft_id == self.scope


def actor(request: Request, user: User | None = Depends(optional_user)) -> Actor:
    if user is not None:
        if not accounts.can(user, "correct"):
            accounts.require(user, "correct")
            raise PermissionDenied("无权操作")
        return Actor(user, None)
    scope = request.session.get(SCOPE)
    if isinstance(scope, int):
        return Actor(None, scope)
    raise LoginRequired()


def _open(s: Session, a: Actor, draft_id: int) -> Draft:
    if not a.may_open(draft_id):
        raise PermissionDenied("此链接只能打开它所属的那一份草稿")
    return get_draft(s, draft_id)


def _cfg(request: Request, year: int | None = None) -> YearConfig:
    return load_year(year or request.app.state.settings.year)


# --- values ------------------------------------------------------------------------------------
def _num(raw: str, as_int: bool) -> Any:
    try:
        v = float(raw)
    except ValueError:
        return raw  # kept as typed; validation says it is not a number
    return int(v) if as_int and v.is_integer() else v


def parse_fields(spec: FormSpec, form: Any) -> dict[str, Any]:
    """The posted form → record fields, by the dictionary's types (empty → None)."""
    out: dict[str, Any] = {}
    for f in spec.fields:
        if f.type == "choices":
            vals = [str(v) for v in form.getlist(f.key) if str(v) in f.options]
            out[f.key] = vals or None
            continue
        raw = str(form.get(f.key) or "").strip() if f.type != "text" else str(form.get(f.key) or "")
        if f.type == "text":
            raw = raw.replace("\r\n", "\n").strip()
        if raw == "":
            out[f.key] = None
        elif f.type == "bool":
            out[f.key] = {"1": True, "0": False}.get(raw)
        elif f.type in ("number", "int"):
            out[f.key] = _num(raw, f.type == "int")
        elif f.type == "choice":
            out[f.key] = raw if raw in f.options else None
        else:
            out[f.key] = raw
    return out


def findings_by_field(spec: FormSpec, fields: dict[str, Any], cfg: YearConfig) -> dict[str, list[str]]:
    by: dict[str, list[str]] = {}
    for fd in validate_record(Record(form=spec.id, fields=fields), cfg, files=None):
        key = fd.field if fd.field in spec.by_key else "_form"
        by.setdefault(key, []).append(fd.message)
    return by


def limit_of(f: FieldSpec, cfg: YearConfig) -> int | None:
    return cfg.text_limit(f.max_chars) if f.max_chars else None


def unit_of(f: FieldSpec) -> str:
    label = f.label
    if "（" in label and label.endswith("）") and f.type in ("number", "int"):
        return label[label.rindex("（") + 1:-1]
    return ""


# --- pages -------------------------------------------------------------------------------------
def _page(request: Request, a: Actor, spec: FormSpec, fields: dict[str, Any], draft: Draft | None,
          cfg: YearConfig, link: str | None = None) -> Response:
    return render(request, "entry.html", {
        "user": a.user, "actor": a, "spec": spec, "values": fields, "draft": draft, "cfg": cfg,
        "limit_of": lambda f: limit_of(f, cfg), "unit_of": unit_of, "count_note": COUNT_NOTE,
        "found": findings_by_field(spec, fields, cfg) if draft else {}, "link": link,
        "may_link": a.user is not None and accounts.can(a.user, "decide"),
    })


@router.get("/entry/new", response_class=HTMLResponse)
def entry_new(request: Request, form: str = "coop_institution", a: Actor = Depends(actor)) -> Response:
    if a.user is None:
        raise PermissionDenied("个人链接只能打开它所属的那一份草稿")
    if form not in FORMS:
        raise NotFound(f"未知的表单类型：{form}")
    return _page(request, a, FORMS[form], {}, None, _cfg(request))


@router.get("/entry/{draft_id:int}", response_class=HTMLResponse)
def entry_page(request: Request, draft_id: int, a: Actor = Depends(actor), s: Session = Depends(db)) -> Response:
    d = _open(s, a, draft_id)
    return _page(request, a, FORMS[d.form], d.fields, d, _cfg(request, d.year))


@router.post("/entry/check", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def entry_check(request: Request, a: Actor = Depends(actor)) -> Response:
    """Live validation: one out-of-band fragment per field (empty when the field is fine)."""
    form = await request.form()
    spec = FORMS.get(str(form.get("form_id") or ""))
    if spec is None:
        raise NotFound("未知的表单类型")
    fields = parse_fields(spec, form)
    found = findings_by_field(spec, fields, _cfg(request))
    parts = [Markup('<span id="summary">{}</span>').format(
        f"共 {sum(len(v) for v in found.values())} 条提示" if found else "全部通过")]
    for f in spec.fields:
        msgs = found.get(f.key, [])
        parts.append(Markup('<div class="errs" id="err-{}" hx-swap-oob="true">{}</div>').format(
            f.key, Markup("").join(Markup("<div>{}</div>").format(m) for m in msgs)))
    return HTMLResponse(str(Markup("").join(parts)))


@router.post("/entry/save", dependencies=[Depends(check_csrf)])
async def entry_save(request: Request, a: Actor = Depends(actor), s: Session = Depends(db)) -> Response:
    form = await request.form()
    spec = FORMS.get(str(form.get("form_id") or ""))
    if spec is None:
        raise NotFound("未知的表单类型")
    raw_id = str(form.get("draft_id") or "")
    draft_id = int(raw_id) if raw_id.isdigit() else None
    if draft_id is None and a.user is None:
        raise PermissionDenied("个人链接只能打开它所属的那一份草稿")
    if draft_id is not None:
        _open(s, a, draft_id)
    d = save_draft(s, draft_id, spec.id, request.app.state.settings.year, parse_fields(spec, form), a.name)
    return RedirectResponse(f"/entry/{d.id}", status_code=303)


def _issued_dir(request: Request) -> Path:
    p = Path(request.app.state.settings.store).parent / "entry-prints"
    p.mkdir(parents=True, exist_ok=True)
    return p


@router.post("/entry/{draft_id:int}/print", dependencies=[Depends(check_csrf)])
def entry_print(request: Request, draft_id: int, a: Actor = Depends(actor), s: Session = Depends(db)) -> Response:
    from haizhi.pipeline.codes.issue import issue_form

    d = _open(s, a, draft_id)
    rec = Record(form=d.form, fields=dict(d.fields))
    issued = issue_form(rec, _cfg(request, d.year), request.app.state.settings.db_url)
    out = _issued_dir(request)
    (out / f"{issued.issue_id}.docx").write_bytes(issued.docx)
    if issued.pdf is not None:
        (out / f"{issued.issue_id}.pdf").write_bytes(issued.pdf)
    mark_printed(s, d, issued.issue_id)
    return RedirectResponse(f"/entry/{d.id}", status_code=303)


@router.get("/entry/{draft_id:int}/form.{ext}")
def entry_download(request: Request, draft_id: int, ext: str, a: Actor = Depends(actor),
                   s: Session = Depends(db)) -> Response:
    d = _open(s, a, draft_id)
    if ext not in ("pdf", "docx") or not d.issue_id:
        raise NotFound("此草稿尚未打印")
    p = _issued_dir(request) / f"{d.issue_id}.{ext}"
    if not p.exists():
        raise NotFound("找不到打印件")
    mime = "application/pdf" if ext == "pdf" else \
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    name = f"{FORMS[d.form].title}_{d.issue_id}.{ext}"
    from urllib.parse import quote

    return Response(p.read_bytes(), media_type=mime,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


# --- personal links ------------------------------------------------------------------------------
def _signer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.settings.secret, salt=LINK_SALT)


def make_link_token(request: Request, draft_id: int) -> str:
    return _signer(request).dumps({"draft": draft_id})


@router.post("/entry/{draft_id:int}/link", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
def entry_link(request: Request, draft_id: int, a: Actor = Depends(actor), s: Session = Depends(db)) -> Response:
    if a.user is None or not accounts.can(a.user, "decide"):
        raise PermissionDenied("只有审核员或管理员可以生成个人链接")
    d = get_draft(s, draft_id)
    url = str(request.base_url).rstrip("/") + "/entry/link/" + make_link_token(request, d.id)
    until = (dt.datetime.now(dt.UTC) + dt.timedelta(days=LINK_DAYS)).strftime("%Y-%m-%d %H:%M UTC")
    return HTMLResponse(str(Markup('<p id="link">个人链接（{} 前有效，只能打开这一份草稿）：<code>{}</code></p>')
                            .format(until, url)))


@router.get("/entry/link/{token}")
def entry_link_open(request: Request, token: str, s: Session = Depends(db)) -> Response:
    try:
        data = _signer(request).loads(token, max_age=LINK_DAYS * 86400)
    except SignatureExpired:
        raise PermissionDenied("个人链接已过期，请联系工作人员重新发送") from None
    except BadSignature:
        raise PermissionDenied("个人链接无效") from None
    draft_id = data.get("draft") if isinstance(data, dict) else None
    if not isinstance(draft_id, int):
        raise PermissionDenied("个人链接无效")
    get_draft(s, draft_id)
    request.session.clear()  # the link's session holds no account: only this one draft
    request.session[SCOPE] = draft_id
    csrf_token(request)
    return RedirectResponse(f"/entry/{draft_id}", status_code=303)

