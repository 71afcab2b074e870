"""Budget-terms thesaurus: classification codes and the colloquial words journalists use.

Data lives in `budgetqa/data/`:
- function_codes.csv  政府收支分类科目 · 支出功能分类 (code,name,level with level 类/款/项)
- economic_codes.csv  部门预算支出经济分类 (3xx) and 政府预算支出经济分类 (5xx), code,name,level with level 类/款
- terms.json          colloquial term -> labels / codes / parts as they appear in the tables

Everything is loaded once (functools.cache). Matching works on a normalised form of the text
(NFKC, no whitespace, no quote marks, ASCII parentheses) so "“三公”经费", "三公经费" and
"维修(护)费" / "维修（护）费" all match; offsets reported by `expand` refer to the original text.
"""
from __future__ import annotations

import csv
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
CODE_FILES = {"function": "function_codes.csv", "economic": "economic_codes.csv"}

_DROP = set(" \t\r\n\u3000“”\"‘’'「」『』")
_MAX_SURFACE = 40  # longest surface form tried by the matcher
# a classification code in running text: 7/5/3 digits, or split 类/款/项 "204 06 01"
_CODE_IN_TEXT = re.compile(r"(?<![\d.,])(\d{3})(?:[ \u3000]?(\d{2}))?(?:[ \u3000]?(\d{2}))?(?![\d.,%万元亿人个辆名年月日次])")
_JIEBA_CHUNK = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+")  # what jieba keeps together


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    level: str  # 类 / 款 / 项
    scheme: str  # "function" (支出功能分类) | "economic" (部门预算支出经济分类)


@dataclass(frozen=True)
class Term:
    term: str
    kind: str  # item | total | count | table | level | doc_kind | column
    synonyms: tuple[str, ...]
    codes: tuple[str, ...]
    labels: tuple[str, ...]
    parts: tuple[str, ...] = ()
    note: str = ""
    keywords: tuple[str, ...] = ()  # substrings to look for in project / row names
    unit: str = ""  # for counts: 人, 辆
    tables: tuple[str, ...] = ()  # substrings of the titles of tables that carry it ("三公", "基本支出")


@dataclass(frozen=True)
class Expansion:
    text: str  # the words as they stand in the question
    start: int  # offsets into the original question
    end: int
    term: str  # canonical term, or the official name of a code
    kind: str  # a Term.kind, or "code" for a classification code / code name
    labels: tuple[str, ...]  # row / column labels to look for, as printed and normalised
    codes: tuple[str, ...]  # classification codes it covers
    parts: tuple[str, ...] = ()  # what sums to it (names of other terms or codes)
    note: str = ""
    keywords: tuple[str, ...] = field(default=())
    unit: str = ""
    tables: tuple[str, ...] = ()  # table-title substrings, as printed and normalised


def normalize(text: str) -> str:
    """NFKC, whitespace and quote marks removed, parentheses ASCII: the form used for matching."""
    return _normalize_with_map(text)[0]


def _normalize_with_map(text: str) -> tuple[str, list[int]]:
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char in _DROP:
            continue
        for piece in unicodedata.normalize("NFKC", char):
            if piece in _DROP:
                continue
            out.append(piece)
            origin.append(index)
    return "".join(out), origin


# ---------------------------------------------------------------- loading


@cache
def codes() -> dict[str, Code]:
    """All classification codes by code (function and economic codes never collide: 2xx vs 3xx)."""
    table: dict[str, Code] = {}
    for scheme, filename in CODE_FILES.items():
        with open(DATA_DIR / filename, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                code = row["code"].strip()
                if code in table:
                    raise ValueError(f"{filename}: code {code} defined twice")
                table[code] = Code(code, row["name"].strip(), row["level"].strip(), scheme)
    return table


@cache
def terms() -> tuple[Term, ...]:
    with open(DATA_DIR / "terms.json", encoding="utf-8") as handle:
        data = json.load(handle)
    return tuple(
        Term(
            term=entry["term"],
            kind=entry["kind"],
            synonyms=tuple(entry.get("synonyms", ())),
            codes=tuple(entry.get("codes", ())),
            labels=tuple(entry.get("labels", ())),
            parts=tuple(entry.get("parts", ())),
            note=entry.get("note", ""),
            keywords=tuple(entry.get("keywords", ())),
            unit=entry.get("unit", ""),
            tables=tuple(entry.get("tables", ())),
        )
        for entry in data["terms"]
    )


@cache
def _names() -> dict[str, tuple[str, ...]]:
    """normalised official name -> codes carrying it (行政运行 -> 2010101, 2010301, …)."""
    index: dict[str, list[str]] = {}
    for code in codes().values():
        index.setdefault(normalize(code.name), []).append(code.code)
    official = set(index)
    for code in codes().values():  # as people write them, the short bracket left out: 政府办公厅及相关机构事务
        short = _BRACKETED.sub("", normalize(code.name))
        if short != normalize(code.name) and short not in official:
            index.setdefault(short, []).append(code.code)
    return {name: tuple(found) for name, found in index.items()}


_BRACKETED = re.compile(r"\([^()]{1,3}\)")


@cache
def _surfaces() -> dict[str, tuple[Term, ...]]:
    """normalised surface form (term, synonym) -> the terms it stands for."""
    index: dict[str, list[Term]] = {}
    for term in terms():
        for surface in dict.fromkeys((term.term, *term.synonyms)):
            key = normalize(surface)
            if term not in index.setdefault(key, []):
                index[key].append(term)
    return {key: tuple(found) for key, found in index.items()}


# ---------------------------------------------------------------- codes


@cache
def _abbreviations() -> tuple[tuple[str, str], ...]:
    """Common short forms of government department names (医疗保障 -> 医保): general usage."""
    with open(DATA_DIR / "name_abbreviations.csv", encoding="utf-8", newline="") as handle:
        return tuple((row["long"], row["short"]) for row in csv.DictReader(handle))


@cache
def plain_words() -> tuple[tuple[str, str], ...]:
    """Everyday phrases (patterns) and what the documents print for them ("进账" -> 收入): general usage."""
    with open(DATA_DIR / "plain_words.csv", encoding="utf-8", newline="") as handle:
        return tuple((row["said"], row["printed"]) for row in csv.DictReader(handle))


def abbreviated(names: set[str]) -> set[str]:
    """The names as people shorten them ('上海市医疗保险事业管理中心' -> '上海市医保事业管理中心')."""
    shortened = set()
    for name in names:
        pairs = [(long, short) for long, short in _abbreviations() if long in name and long != short]
        shortened |= {name.replace(long, short) for long, short in pairs}
        for long, short in pairs:  # and all at once: 卫生健康委员会 -> 卫健委
            name = name.replace(long, short)
        shortened.add(name)
    return shortened - names


@cache
def classification_names() -> tuple[str, ...]:
    """The names of all national 功能/经济 classification codes, normalised."""
    return tuple(normalize(c.name) for c in codes().values())


@cache
def _classification_name_set() -> frozenset[str]:
    return frozenset(classification_names())


def is_classification_name(word: str) -> bool:
    """Whether a word is a national classification's whole name (司法, 20406)."""
    return word in _classification_name_set()


def classification_at(text: str, start: int) -> str:
    """The longest national classification name (four characters or more, or a 类's without its 支出:
    交通运输) that starts at `start` of a normalised text, else ""."""
    return next((name for name in _names_by_start().get(text[start:start + 2], ()) if text.startswith(name, start)), "")


@cache
def _names_by_start() -> dict[str, tuple[str, ...]]:
    by_start: dict[str, list[str]] = {}
    names = set(classification_names())
    names |= {name[:-2] for name in names if name.endswith("支出")}
    for name in sorted(names, key=len, reverse=True):
        if len(name) >= 4:
            by_start.setdefault(name[:2], []).append(name)
    return {start: tuple(names) for start, names in by_start.items()}


def classification_names_in(text: str) -> list[str]:
    """The official classification names a text names, read left to right, the longest at each place:
    "小学教育支出" -> ["小学教育"] (not 教育支出, which shares its 教育)."""
    q, found, i = normalize(text), [], 0
    while i < len(q):
        name = classification_at(q, i)
        found += [name] if name else []
        i += len(name) or 1
    return found


def code_name(code: str) -> str | None:
    entry = codes().get(_join_code(code))
    return entry.name if entry else None


def code_level(code: str) -> str | None:
    entry = codes().get(_join_code(code))
    return entry.level if entry else None


def code_parents(code: str) -> list[str]:
    """'2010350' -> ['201', '20103']; '30101' -> ['301']; '201' -> []."""
    code = _join_code(code)
    return [code[:n] for n in (3, 5) if n < len(code)]


def code_children(code: str) -> list[str]:
    """Direct children known to the thesaurus: '22102' -> ['2210201', '2210202', '2210203']."""
    code = _join_code(code)
    return sorted(c for c in codes() if len(c) == len(code) + 2 and c.startswith(code))


def code_for_name(name: str) -> list[str]:
    """Codes whose official name is `name` (tolerates （）/(), spaces, a doubled or missing 支出)."""
    key = normalize(name)
    names = _names()
    candidates = [key]
    while key.endswith("支出"):  # "事业运行支出", "…事务支出支出" as printed in narratives
        key = key[:-2]
        candidates.append(key)
    candidates.append(normalize(name) + "支出")
    for candidate in candidates:
        if candidate in names:
            return list(names[candidate])
    return []


def _join_code(code: str) -> str:
    return re.sub(r"\s+", "", str(code))


# ---------------------------------------------------------------- text


def term(name: str) -> Term | None:
    """The term entry for a canonical name or synonym (first one when a synonym is shared)."""
    found = _surfaces().get(normalize(name))
    return found[0] if found else None


def expand(text: str) -> list[Expansion]:
    """Budget terms, code names and literal codes occurring in `text`, in order of occurrence.

    Forward maximum matching on the normalised text: at each position the longest known
    surface wins ("公务用车运行维护费" rather than "公务用车"). A surface that is both a term and an
    official code name yields the term, with the codes of that name added.
    """
    found = [_code_expansion(m) for m in _CODE_IN_TEXT.finditer(text)]
    found = [e for e in found if e is not None]
    taken = {i for e in found for i in range(e.start, e.end)}

    norm, origin = _normalize_with_map(text)
    surfaces, names = _surfaces(), _names()
    i = 0
    while i < len(norm):
        for length in range(min(_MAX_SURFACE, len(norm) - i), 1, -1):
            key = norm[i : i + length]
            if key not in surfaces and key not in names:
                continue
            start, end = origin[i], origin[i + length - 1] + 1
            if not taken.intersection(range(start, end)):
                found.extend(_surface_expansions(key, text[start:end], start, end))
            i += length
            break
        else:
            i += 1
    # "2010350 事业运行": the name printed beside a literal code adds nothing but 26 other codes
    literal = {(e.end, e.term) for e in found if e.kind == "code" and e.text[:1].isdigit()}
    found = [
        e for e in found
        if not (e.kind == "code" and not e.text[:1].isdigit()
                and any((e.start - gap, e.term) in literal for gap in range(3)))
    ]
    return _joined_parts(sorted(found, key=lambda e: (e.start, -e.end)), text)


# words joining the parts of one whole ("买车加养车": 公务用车购置及运行费)
_JOINED = re.compile(r"(?:加上|加|和|与|及|以及|、|\+|连同)")


def _joined_parts(found: list[Expansion], text: str) -> list[Expansion]:
    """Every part of a term named side by side, joined ("买车加养车", "购置费和运行费") names the term
    whose parts they are: one expansion of the whole in their place."""
    for whole in (t for t in terms() if len(t.parts) > 1):
        parts = [e for e in found if e.term in whole.parts]
        if {e.term for e in parts} != set(whole.parts) or len(parts) != len(whole.parts):
            continue
        if not all(_JOINED.fullmatch(text[a.end:b.start]) for a, b in zip(parts, parts[1:])):
            continue
        start, end = parts[0].start, parts[-1].end
        joined = _surface_expansions(normalize(whole.term), text[start:end], start, end)
        found = sorted([e for e in found if e not in parts] + [joined[0]], key=lambda e: (e.start, -e.end))
    return found


def _surface_expansions(key: str, text: str, start: int, end: int) -> list[Expansion]:
    name_codes = _names().get(key, ())
    matched = _surfaces().get(key, ())
    if not matched:
        entries = [codes()[c] for c in name_codes]
        return [
            Expansion(text, start, end, term=entries[0].name, kind="code", labels=_variants((entries[0].name,)),
                      codes=name_codes, note=_code_note(entries))
        ]
    return [
        Expansion(text, start, end, term=t.term, kind=t.kind, labels=_variants(t.labels),
                  codes=tuple(dict.fromkeys(t.codes + name_codes)), parts=t.parts, note=t.note,
                  keywords=t.keywords, unit=t.unit, tables=_variants(t.tables))
        for t in matched
    ]


def _code_expansion(match: re.Match) -> Expansion | None:
    code = unicodedata.normalize("NFKC", "".join(g for g in match.groups() if g))
    entry = codes().get(code)
    if entry is None:
        return None
    return Expansion(match.group(0), match.start(), match.end(), term=entry.name, kind="code",
                     labels=_variants((entry.name,)), codes=(code,), parts=tuple(code_name(c) for c in code_children(code)),
                     note=_code_note([entry]))


def _variants(strings: tuple[str, ...]) -> tuple[str, ...]:
    """Each string as printed, followed by its normalised form when that differs ("（境）" -> "(境)")."""
    return tuple(dict.fromkeys(v for s in strings for v in (s, normalize(s))))


def _code_note(entries: list[Code]) -> str:
    scheme = {"function": "支出功能分类", "economic": "经济分类"}
    described = []
    for entry in entries[:6]:
        path = " > ".join(f"{p} {code_name(p)}" for p in code_parents(entry.code))
        described.append(f"{scheme[entry.scheme]}{entry.level} {entry.code}" + (f" ({path})" if path else ""))
    more = f" … and {len(entries) - 6} more" if len(entries) > 6 else ""
    return "; ".join(described) + more


# ---------------------------------------------------------------- tokeniser support


@cache
def _jieba_words() -> tuple[str, ...]:
    words: dict[str, None] = {}
    phrases = [c.name for c in codes().values()]
    # a 类 said without its 支出 ("农林水方面的钱", "城乡社区这块") is one word too
    phrases += [c.name.removesuffix("支出") for code, c in codes().items() if len(code) == 3 and c.name.endswith("支出")]
    for t in terms():
        phrases += [t.term, *t.synonyms, *t.labels, *t.parts]
    for phrase in phrases:
        # jieba cuts at punctuation, so a name like 因公出国（境）费 is added as its chunks
        for chunk in _JIEBA_CHUNK.findall(unicodedata.normalize("NFKC", phrase)):
            if len(chunk) >= 2 and not chunk.isdigit():
                words[chunk] = None
    return tuple(words)


def jieba_words() -> list[str]:
    """Every term, synonym, label and code name, in the pieces jieba can keep whole."""
    return list(_jieba_words())
