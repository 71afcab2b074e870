"""Text normalisation shared by matching code (never applied to printed values we show)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACE = re.compile(r"\s+")
_QUOTES = re.compile(r"[“”\"'‘’「」『』]")


@lru_cache(maxsize=1 << 16)  # labels, titles and column paths are normalised for every question
def normalize(text: str) -> str:
    """Full-width -> half-width (NFKC), no whitespace, no quotes: '“12345” 便民（服务）' -> '12345便民(服务)'."""
    return _QUOTES.sub("", _SPACE.sub("", unicodedata.normalize("NFKC", text or "")))


def bigrams(text: str) -> set[str]:
    text = normalize(text)
    return {text[i:i + 2] for i in range(len(text) - 1)} or ({text} if text else set())
