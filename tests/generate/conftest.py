"""Helpers for the generate tests: seed texts and whitespace-free comparison."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

_WS = re.compile(r"\s+")


def norm(text: str) -> str:
    """Remove all whitespace: the seeds are text extractions, only wording counts."""
    return _WS.sub("", text)


def first_difference(got: str, want: str) -> str:
    i = next((k for k, (a, b) in enumerate(zip(got, want, strict=False)) if a != b), min(len(got), len(want)))
    return f"first difference at {i}:\n got  …{got[max(0, i - 40):i + 40]}…\n want …{want[max(0, i - 40):i + 40]}…"


@pytest.fixture(scope="session")
def seed(shared_dir: Path):
    def read(prefix: str) -> str:
        (path,) = (shared_dir / "seeds").glob(f"{prefix}_*.txt")
        return path.read_text(encoding="utf-8")
    return read
