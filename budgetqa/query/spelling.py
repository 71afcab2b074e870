"""Budget words typed with a homophone, as a pinyin input method slips: '公务接代费' -> '公务接待费'."""
from __future__ import annotations

from functools import cache

from pypinyin import lazy_pinyin

from budgetqa.query import lexicon, thesaurus

_SHORTEST, _LONGEST = 3, 8  # two characters sound alike too often to be corrected


@cache
def _by_sound() -> dict[tuple[str, ...], tuple[str, ...]]:
    """The budget vocabulary (terms, labels, code names) by its toneless pinyin."""
    index: dict[tuple[str, ...], list[str]] = {}
    for word in thesaurus.jieba_words():
        if _SHORTEST <= len(word) <= _LONGEST and _ideographs(word):
            index.setdefault(_sound(word), []).append(word)
    return {sound: tuple(words) for sound, words in index.items()}


@cache
def _vocabulary() -> str:
    return "\n".join(thesaurus.jieba_words())


def respelled(text: str) -> str:
    """The text with each run of ideographs that is no budget word's, but sounds exactly like one
    budget word one character away, written as that word; everything else as typed."""
    out, i = [], 0
    cuts = _cuts(text)
    while i < len(text):
        for length in range(min(_LONGEST, len(text) - i), _SHORTEST - 1, -1):
            typed = text[i:i + length]
            meant = _meant(typed) if i in cuts and _ideographs(typed) else None
            if meant and not _crosses_a_word(text, i, i + length):
                out.append(meant)
                i += length
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _meant(typed: str) -> str | None:
    words = {w for w in _by_sound().get(_sound(typed), ()) if sum(a != b for a, b in zip(w, typed)) == 1}
    if len(words) != 1 or typed in _vocabulary():
        return None
    return words.pop()


def _cuts(text: str) -> set[int]:
    """Where the text's words begin (a slip begins a word: 变化了多少 holds no 花了多少)."""
    at, cuts = 0, {0}
    for word in lexicon.tokenizer().lcut(text):
        at += len(word)
        cuts.add(at)
    return cuts


def _crosses_a_word(text: str, start: int, end: int) -> bool:
    """A budget word of three characters or more written in the text across an end of the stretch
    ("住房公积金预算": 积金预算 is no slip for 基金预算)."""
    return any(text[k:k + n] in _words() for n in range(_SHORTEST, _LONGEST + 1)
               for k in range(max(0, start - n + 1), end) if k < start < k + n or k < end < k + n)


@cache
def _words() -> frozenset[str]:
    return frozenset(thesaurus.jieba_words())


def _sound(word: str) -> tuple[str, ...]:
    """Each character's own reading (never a phrase's: a slip changes the phrase, 差旅 -> 差旅废)."""
    return tuple(lazy_pinyin(list(word)))


def _ideographs(text: str) -> bool:
    return all("\u4e00" <= char <= "\u9fff" for char in text)
