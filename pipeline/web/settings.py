"""Where the app finds its ledger, store and signing key.

Every uvicorn worker builds its own app from the environment (HAIZHI_WEB_*), so
several workers share one configuration and no state lives in a process: the
ledger holds the data, the signed cookie holds the session.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

ENV_DB = "HAIZHI_WEB_DB"
ENV_STORE = "HAIZHI_WEB_STORE"
ENV_SECRET = "HAIZHI_WEB_SECRET"
ENV_YEAR = "HAIZHI_WEB_YEAR"
ENV_BACKGROUND = "HAIZHI_WEB_BACKGROUND"


@dataclass
class Settings:
    db_url: str
    store: Path
    secret: str
    year: int | None = None
    background: bool = True  # run the upload worker thread

    @property
    def out(self) -> Path:
        """The intake output folder: the store's parent (intake keeps originals in OUT/store)."""
        return self.store.parent

    @property
    def cache(self) -> Path:
        return self.out / "web-cache"

    @property
    def uploads(self) -> Path:
        return self.out / "上传收件箱"

    def to_env(self) -> dict[str, str]:
        env = {ENV_DB: self.db_url, ENV_STORE: str(self.store), ENV_SECRET: self.secret,
               ENV_BACKGROUND: "1" if self.background else "0"}
        if self.year:
            env[ENV_YEAR] = str(self.year)
        return env

    @classmethod
    def from_env(cls) -> Settings:
        year = os.environ.get(ENV_YEAR)
        return cls(db_url=os.environ[ENV_DB], store=Path(os.environ[ENV_STORE]), secret=os.environ[ENV_SECRET],
                   year=int(year) if year else None, background=os.environ.get(ENV_BACKGROUND, "1") == "1")


def load_secret(out: Path) -> str:
    """The cookie-signing key: $HAIZHI_WEB_SECRET, else OUT/web-secret.key (created once, mode 0600)."""
    env = os.environ.get(ENV_SECRET)
    if env:
        return env
    path = out / "web-secret.key"
    if path.is_file():
        return path.read_text(encoding="ascii").strip()
    out.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key + "\n")
    return key
