"""A secret file and a ledger of issued forms for the codes tests (never the user's own)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def codes_env(tmp_path_factory) -> Iterator[dict[str, str]]:
    """HAIZHI_SECRET_FILE and HAIZHI_DB pointing into a fresh folder, for one test module."""
    d = tmp_path_factory.mktemp("codes")
    env = {"HAIZHI_SECRET_FILE": str(d / "secret"), "HAIZHI_DB": f"sqlite:///{d / 'ledger.db'}"}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    yield {**env, "dir": str(d)}
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def other_installation(d: Path) -> bytes:
    """Another installation's secret: a different key."""
    p = d / "other-secret"
    p.write_text("f" * 64)
    return p.read_bytes()
