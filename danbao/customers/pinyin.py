"""Pinyin of Chinese names for search: ``initials("山东农担") == "sdnd"``, ``full("山东农担") == "shandongnongdan"``.

Uses pypinyin (its phrase dictionary picks the reading of polyphones in context: 重庆 → chongqing,
银行 → yinhang). Latin letters and digits are kept (lower-cased); punctuation, spaces and other
symbols are dropped. Full-width letters and digits are folded to ASCII first.
"""

from __future__ import annotations

import unicodedata

from pypinyin import Style, lazy_pinyin

__all__ = ["full", "initials", "search_key"]


def _syllables(name: str | None) -> list[str]:
    text = unicodedata.normalize("NFKC", name or "")
    out: list[str] = []
    # errors=…: keep runs of non-Chinese characters as they are, split below into Latin words.
    for part in lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: [chars]):
        word = "".join(ch for ch in part.lower() if ch.isascii() and ch.isalnum())
        if word:
            out.append(word)
    return out


def _chunks(name: str | None) -> list[tuple[str, bool]]:
    """(syllable or Latin/digit run, is_chinese) in order."""
    text = unicodedata.normalize("NFKC", name or "")
    out: list[tuple[str, bool]] = []
    buf = ""
    for ch in text:
        if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff":
            if buf:
                out.append((buf, False))
                buf = ""
            out.append((ch, True))
        elif ch.isascii() and ch.isalnum():
            buf += ch.lower()
        elif buf:
            out.append((buf, False))
            buf = ""
    if buf:
        out.append((buf, False))
    return out


def _pinyin_of_chinese(text: str) -> list[str]:
    return [p for p in lazy_pinyin(text, style=Style.NORMAL, errors="ignore") if p]


def initials(name: str | None) -> str:
    """First letter of each Chinese character's pinyin; Latin words and digit runs are kept whole
    ("ABC科技" → "abckj", "第1车间" → "d1cj")."""
    result: list[str] = []
    run = ""
    for chunk, is_chinese in _chunks(name) + [("", False)]:
        if is_chinese:
            run += chunk
            continue
        if run:
            result.extend(p[0] for p in _pinyin_of_chinese(run))
            run = ""
        result.append(chunk)
    return "".join(result)


def full(name: str | None) -> str:
    """Full pinyin without tones or separators ("重庆农担" → "chongqingnongdan")."""
    return "".join(_syllables(name))


def search_key(name: str | None) -> str:
    """Text to store beside a name for search: initials and full pinyin, space-separated."""
    return f"{initials(name)} {full(name)}".strip()
