"""Safe output file names built from institution names (which applicants write)."""

from __future__ import annotations

import unicodedata

# characters Windows refuses in names, and the path separators everywhere
FORBIDDEN = set('<>:"/\\|?*')
# device names Windows refuses, with or without an extension (CON, con.txt, COM1.docx …)
RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
            *(f"COM{i}" for i in "123456789¹²³"), *(f"LPT{i}" for i in "123456789¹²³")}
MAX_BYTES = 120  # UTF-8 bytes of the stem; leaves room for an extension and a suffix under 255


def safe_name(name: str, *, max_bytes: int = MAX_BYTES, default: str = "未命名") -> str:
    """A file-name stem: no separators, controls, <>:"|?*, leading/trailing dots or spaces,
    no reserved device name, at most max_bytes UTF-8 bytes. Never empty, never '.' or '..'."""
    s = unicodedata.normalize("NFC", str(name))
    s = " ".join(s.split())  # tabs, line breaks, runs of spaces → one space
    s = "".join("_" if ch in FORBIDDEN or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
                else ch for ch in s)
    s = s.strip(" ._")
    while len(s.encode("utf-8")) > max_bytes:
        s = s[:-1]
    s = s.rstrip(" .")
    if not s:
        return default
    if s.split(".", 1)[0].rstrip(" ").upper() in RESERVED:
        s = "_" + s
    return s


def unique_name(stem: str, used: set[str]) -> str:
    """stem, or stem（2）, stem（3）… not yet in used (compared case-insensitively); adds it to used."""
    candidate, n = stem, 1
    while candidate.casefold() in used:
        n += 1
        candidate = f"{stem}（{n}）"
    used.add(candidate.casefold())
    return candidate
