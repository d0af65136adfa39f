"""Local accounts: argon2id password hashes (argon2-cffi), roles and what each role may do."""

from __future__ import annotations

import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from haizhi.pipeline.review.errors import Conflict, Invalid, NotFound, PermissionDenied
from haizhi.pipeline.review.models import ROLE_CN, ROLES, User

HASHER = PasswordHasher()
MIN_PASSWORD = 8
MAX_PASSWORD = 1024
# what each role may do; the web app checks the same table on the server
PERMISSIONS: dict[str, frozenset[str]] = {
    "clerk": frozenset({"view", "correct", "verify", "upload"}),
    "reviewer": frozenset({"view", "correct", "verify", "upload", "decide", "export"}),
    "admin": frozenset({"view", "correct", "verify", "upload", "decide", "export", "users"}),
}
ACTION_CN = {"view": "查看", "correct": "更正字段", "verify": "核对字段", "upload": "上传文件",
             "decide": "作出审核决定", "export": "导出", "users": "管理账户"}
_DUMMY_HASH = HASHER.hash("haizhi-no-such-user")


def _check_name(name: str) -> str:
    name = unicodedata.normalize("NFC", (name or "").strip())
    if not name:
        raise Invalid("用户名不能为空")
    if len(name) > 64:
        raise Invalid("用户名不能超过 64 个字符")
    if any(unicodedata.category(ch)[0] in "CZ" and ch != " " for ch in name) or " " in name:
        raise Invalid(f"用户名不能含空白或控制字符：{name!r}")
    return name


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise Invalid(f"角色无效：{role!r}（应为 {' / '.join(f'{r}（{ROLE_CN[r]}）' for r in ROLES)}）")
    return role


def _check_password(password: str) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise Invalid(f"密码至少需要 {MIN_PASSWORD} 个字符")
    if len(password) > MAX_PASSWORD:
        raise Invalid(f"密码不能超过 {MAX_PASSWORD} 个字符")
    return password


def add_user(session: Session, name: str, role: str, password: str) -> User:
    """A new active account. Commits. Invalid for a bad name/role/password, Conflict if the name is taken."""
    name, role = _check_name(name), _check_role(role)
    _check_password(password)
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise Conflict(f"用户 {name} 已存在")
    user = User(name=name, role=role, password_hash=HASHER.hash(password), active=True)
    session.add(user)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(f"用户 {name} 已存在") from None
    return user


def verify_password(session: Session, name: str, password: str) -> User | None:
    """The active user with this name and password, else None.

    The same argon2 work is done for an unknown name (no timing hint that a name exists);
    a hash made with older parameters is replaced on a successful login (commits).
    """
    try:
        name = _check_name(name)
    except Invalid:
        name = ""
    user = session.scalar(select(User).where(User.name == name)) if name else None
    if not isinstance(password, str) or len(password) > MAX_PASSWORD:
        password = ""
    try:
        HASHER.verify(user.password_hash if user is not None else _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = HASHER.hash(password)
        session.commit()
    return user


def get_user(session: Session, ref: User | int | str) -> User:
    """A user by object, id or name; NotFound otherwise."""
    if isinstance(ref, User):
        return ref
    if isinstance(ref, int) and not isinstance(ref, bool):
        user = session.get(User, ref)
    else:
        user = session.scalar(select(User).where(User.name == str(ref)))
    if user is None:
        raise NotFound(f"没有这个用户：{ref}")
    return user


def set_password(session: Session, name: str, password: str) -> User:
    user = get_user(session, name)
    user.password_hash = HASHER.hash(_check_password(password))
    session.commit()
    return user


def set_active(session: Session, name: str, active: bool) -> User:
    """Disable (or re-enable) an account; a disabled account cannot log in. Commits."""
    user = get_user(session, name)
    user.active = bool(active)
    session.commit()
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))


def can(user: User | None, action: str) -> bool:
    return user is not None and bool(user.active) and action in PERMISSIONS.get(user.role, frozenset())


def require(user: User | None, action: str) -> User:
    """The user, if the role allows the action; PermissionDenied otherwise."""
    if user is None or not user.active:
        raise PermissionDenied("请先登录")
    if not can(user, action):
        raise PermissionDenied(f"{ROLE_CN.get(user.role, user.role)}（{user.name}）无权{ACTION_CN.get(action, action)}")
    return user
