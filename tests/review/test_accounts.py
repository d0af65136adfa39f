"""Accounts: argon2 hashes, login, roles, the users command."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner
from sqlalchemy import select

from haizhi.pipeline.cli import cli
from haizhi.pipeline.intake.db import default_url, open_db
from haizhi.pipeline.review.accounts import (
    add_user,
    can,
    list_users,
    require,
    set_active,
    set_password,
    verify_password,
)
from haizhi.pipeline.review.errors import Conflict, Invalid, PermissionDenied
from haizhi.pipeline.review.models import User


@pytest.fixture
def S(tmp_path):
    engine, S = open_db(default_url(tmp_path))
    yield S
    engine.dispose()


def test_add_and_verify(S):
    with S() as s:
        u = add_user(s, "小王", "clerk", "correct horse 1")
        assert u.password_hash.startswith("$argon2id$") and "correct horse" not in u.password_hash
        assert verify_password(s, "小王", "correct horse 1").id == u.id
        assert verify_password(s, "小王", "correct horse 2") is None
        assert verify_password(s, "nobody", "correct horse 1") is None
        assert verify_password(s, "", "") is None
        assert verify_password(s, "小王", None) is None  # type: ignore[arg-type]
        set_password(s, "小王", "new password 9")
        assert verify_password(s, "小王", "correct horse 1") is None
        assert verify_password(s, "小王", "new password 9") is not None
        set_active(s, "小王", False)
        assert verify_password(s, "小王", "new password 9") is None


def test_old_hash_is_replaced_on_login(S):
    with S() as s:
        u = add_user(s, "老李", "reviewer", "password-123")
        weak = PasswordHasher(time_cost=1, memory_cost=8192).hash("password-123")
        u.password_hash = weak
        s.commit()
        assert verify_password(s, "老李", "password-123") is not None
        again = s.scalar(select(User.password_hash).where(User.name == "老李"))
        assert again != weak and "m=65536" in again


@pytest.mark.parametrize("name,role,password,err", [
    ("", "clerk", "password-1", Invalid),
    ("a b", "clerk", "password-1", Invalid),
    ("小王", "boss", "password-1", Invalid),
    ("小王", "clerk", "short", Invalid),
])
def test_bad_accounts_refused(S, name, role, password, err):
    with S() as s, pytest.raises(err):
        add_user(s, name, role, password)


def test_duplicate_and_roles(S):
    with S() as s:
        clerk = add_user(s, "小王", "clerk", "password-1")
        admin = add_user(s, "admin", "admin", "password-2")
        with pytest.raises(Conflict, match="已存在"):
            add_user(s, "小王", "admin", "password-3")
        assert [u.name for u in list_users(s)] == ["admin", "小王"]
        assert can(clerk, "correct") and not can(clerk, "decide") and not can(clerk, "users")
        assert can(admin, "users") and can(admin, "decide")
        with pytest.raises(PermissionDenied, match="办事员（小王）无权管理账户"):
            require(clerk, "users")
        with pytest.raises(PermissionDenied, match="请先登录"):
            require(None, "view")


def test_users_command(tmp_path):
    r = CliRunner()
    out = ["--out", str(tmp_path)]
    res = r.invoke(cli, ["users", "add", "小王", "--role", "clerk", "--password-stdin", *out], input="pass-word-1\n")
    assert res.exit_code == 0, res.output
    assert "已添加用户 小王" in res.output
    res = r.invoke(cli, ["users", "add", "老李", "--role", "admin", *out], input="pass-word-2\npass-word-2\n")
    assert res.exit_code == 0, res.output
    res = r.invoke(cli, ["users", "list", *out])
    assert "小王\tclerk（办事员）" in res.output and "老李\tadmin（管理员）" in res.output
    res = r.invoke(cli, ["users", "add", "小王", "--role", "clerk", "--password-stdin", *out], input="pass-word-1\n")
    assert res.exit_code != 0 and "已存在" in str(res.exception)
    res = r.invoke(cli, ["users", "add", "x", "--role", "root", "--password-stdin", *out], input="pass-word-1\n")
    assert res.exit_code == 2
    engine, S = open_db(default_url(tmp_path))
    with S() as s:
        assert verify_password(s, "小王", "pass-word-1") is not None
        assert verify_password(s, "老李", "pass-word-2") is not None
    engine.dispose()
