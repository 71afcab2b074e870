"""Text normalisation shared by matching code (never applied to printed values we show)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACE = re.compile(r"\s+")

# Some PDF fonts map a glyph to a radical code point instead of the ideograph it shows ("⻔" for 门,
# "⽀" for 支): Kangxi radicals and compatibility ideographs have an NFKC form; the simplified
# radical supplements that stand alone as characters do not, so they are listed here.
_SUPPLEMENT = dict(zip("⺟⺠⻄⻅⻆⻉⻋⻓⻔⻘⻙⻚⻛⻜⻝⻢⻣⻤⻡⻥⻦⻧⻨⻩⻬⻮⻰⻳⻁",
                       "母民西见角贝车长门青韦页风飞食马骨鬼首鱼鸟卤麦黄齐齿龙龟虎"))
_IDEOGRAPHS = {cp: unicodedata.normalize("NFKC", chr(cp))
               for cp in [*range(0x2F00, 0x2FD6), *range(0xF900, 0xFADA)]} | {ord(k): v for k, v in _SUPPLEMENT.items()}
_QUOTES = re.compile(r"[“”\"'‘’「」『』]")


@lru_cache(maxsize=1 << 16)  # labels, titles and column paths are normalised for every question
def normalize(text: str) -> str:
    """Full-width -> half-width (NFKC), no whitespace, no quotes: '“三公” 经费（支出）' -> '三公经费(支出)';
    "收、支总计" as "收支总计" (the two totals named at once)."""
    text = _QUOTES.sub("", _SPACE.sub("", unicodedata.normalize("NFKC", unify_ideographs(text or ""))))
    return text.replace("收、支", "收支")


def unify_ideographs(text: str) -> str:
    """Radical code points read from a PDF's font -> the ideographs printed: '部⻔⽀出' -> '部门支出'."""
    return text.translate(_IDEOGRAPHS)


def without_names(text: str, names: list[str], gap: str = "") -> str:
    """The text with each of the names taken out (longest first when the caller sorts them so)."""
    for name in names:
        text = text.replace(name, gap)
    return text


def in_order(word: str, text: str) -> bool:
    """The word's characters occur in the text in the same order ("港航中心" in 港航事业发展中心)."""
    rest = iter(text)
    return all(char in rest for char in word)


def bigrams(text: str) -> set[str]:
    text = normalize(text)
    return {text[i:i + 2] for i in range(len(text) - 1)} or ({text} if text else set())
