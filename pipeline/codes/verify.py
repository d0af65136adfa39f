"""The per-installation secret and the keyed signature each printed code carries.

A code reads  HZ1:<form>:<issue id>:<page>/<pages>:<signature>  (QR alphanumeric
mode). The signature is HMAC-SHA256 over everything before it, truncated to 80
bits, keyed with a secret kept outside the database: $HAIZHI_SECRET_FILE, else
<config dir>/haizhi/secret, created 0600 on first use.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from haizhi.pipeline.core.errors import HaizhiError
from haizhi.pipeline.core.fields import BASE, COOP

PREFIX = "HZ1"
FORM_CODES = {COOP: "C", BASE: "B"}
CODE_FORMS = {v: k for k, v in FORM_CODES.items()}
SIG_BYTES = 10
_CODE = re.compile(r"^HZ1:([A-Z]):([A-Z2-7]{8,26}):(\d{1,3})/(\d{1,3}):([A-Z2-7]{16})$")


def secret_path() -> Path:
    env = os.environ.get("HAIZHI_SECRET_FILE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "haizhi" / "secret"


def load_secret(create: bool = True) -> bytes | None:
    """The installation's secret; created (0600) on first use when create, else None when absent."""
    p = secret_path()
    try:
        data = p.read_bytes().strip()
    except FileNotFoundError:
        if not create:
            return None
        p.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            return load_secret(create=False)
        with os.fdopen(fd, "wb") as fh:
            fh.write(secrets.token_hex(32).encode())
        return p.read_bytes().strip()
    except OSError as e:
        raise HaizhiError(f"无法读取二维码密钥文件 {p}：{e}") from None
    if len(data) < 16:
        raise HaizhiError(f"二维码密钥文件 {p} 内容过短（至少 16 个字符）")
    return data


def _b32(b: bytes) -> str:
    return base64.b32encode(b).decode().rstrip("=")


def new_issue_id() -> str:
    return _b32(secrets.token_bytes(7))[:10]  # 50 random bits, A-Z2-7


def sign(body: str, key: bytes) -> str:
    return _b32(hmac.new(key, body.encode(), hashlib.sha256).digest()[:SIG_BYTES])


def make_code(form_id: str, issue_id: str, page: int, pages: int, key: bytes) -> str:
    body = f"{PREFIX}:{FORM_CODES[form_id]}:{issue_id}:{page}/{pages}"
    return f"{body}:{sign(body, key)}"


@dataclass(frozen=True)
class Code:
    """A decoded code: what it says, and whether this installation's secret signed it."""

    text: str
    form: str | None
    issue_id: str
    page: int
    pages: int
    verified: bool


def is_ours(text: str) -> bool:
    return text.startswith(PREFIX + ":")


def parse_code(text: str, key: bytes | None) -> Code | None:
    """A Code for a haizhi code (verified or not), None for anything else (or malformed)."""
    m = _CODE.match(text.strip())
    if not m:
        return None
    fcode, issue_id, page, pages, sig = m.groups()
    body = text.strip().rsplit(":", 1)[0]
    ok = key is not None and hmac.compare_digest(sign(body, key), sig)
    p, n = int(page), int(pages)
    ok = ok and fcode in CODE_FORMS and 1 <= p <= n
    return Code(text.strip(), CODE_FORMS.get(fcode), issue_id, p, n, ok)
