"""The matching rules of the eval, kept small and pure so tests/test_evaluation.py can pin them.

- values: an answer is right when it lies within half a unit of the gold's last printed decimal
  place, after converting money between 元/万元/亿元 when the answer's unit differs;
- citations: the cited document is the gold document, the cited row carries the gold row's code
  or (normalised) label, and the cited column is the gold column when the gold names one; for
  narrative gold, the cited quote overlaps the gold sentence;
- printed variants of a figure, for finding it in raw text (the naive baseline).
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from pathlib import PurePath

from budgetqa.model.document import MONEY_UNITS, as_decimal, convert_unit
from budgetqa.model.text import bigrams, normalize

MONEY = MONEY_UNITS
# one count however printed: 编制90名, 实有87人; 4台（套）; a column headed 接待人次（人） or 接待批次（个）
# counts 人次 or 批次, numbered in 人 or 个
SAME_UNIT = {"名": "人", "台（套）": "台", "台(套)": "台", "人次": "人", "批次": "个"}
_YEAR_PREFIX = re.compile(r"^(?:[0-9]{4}|[0-9]{2})\s*年(?:度)?")
_TABLE_SUFFIX = re.compile(r"[(（]?续(?:表)?[0-9]*[)）]?$")
_ORDINAL = re.compile(
    r"^(?:其中[:：]?|[一二三四五六七八九十]+[、.．]|[0-9]+[、．]|[0-9]+\.(?![0-9])|"
    r"[(（][0-9一二三四五六七八九十]+[)）][、.．]?)+")
# a code as printed, its levels run together or set apart ("30202", "302 02", "221 02 01")
_CODE_LABEL = re.compile(r"^\s*([0-9]{3}(?: ?[0-9]{2}){1,2}(?![0-9])|[0-9]{3,7})\s*(.*)$")
_COLUMN_SPLIT = re.compile(r"\s*/\s*")
NARRATIVE_OVERLAP = 0.6  # bigram overlap coefficient between cited quote and gold sentence


# -- numbers -----------------------------------------------------------------------------------
def tolerance(gold_printed: str) -> Decimal:
    """Half a unit of the last printed decimal place: '1011.95' -> 0.005, '9' -> 0.5."""
    text = normalize(str(gold_printed)).replace(",", "").rstrip("%")
    places = len(text.split(".", 1)[1]) if "." in text else 0
    return Decimal(5) / (Decimal(10) ** (places + 1))


convert = convert_unit  # money between 元/万元/亿元; same unit -> same value; None otherwise


def answer_value(answer: dict) -> Decimal | None:
    """The principal figure of an answer; prefers an exact `value_text` over the float."""
    for key in ("value_text", "value"):
        number = as_decimal(answer.get(key))
        if number is not None:
            return number
    return None


def judge_value(answer_val, answer_unit: str | None, gold_value: str, gold_unit: str) -> dict:
    """{'value_strict', 'value_converted', 'unit_strict', 'unit_converted'} for one answer."""
    gold = as_decimal(gold_value)
    got = as_decimal(answer_val)
    # 名 and 人 both count persons ("编制90名", "实有87人"): one unit
    answer_unit, gold_unit = (SAME_UNIT.get(u, u) for u in (answer_unit or "", gold_unit))
    out = {"value_strict": False, "value_converted": False,
           "unit_strict": answer_unit == gold_unit, "unit_converted": False}
    if gold is None or got is None:
        out["unit_converted"] = out["unit_strict"]
        return out
    tol = tolerance(gold_value)
    if answer_unit == gold_unit or not answer_unit:
        within = abs(got - gold) <= tol
        out["value_strict"] = within and answer_unit == gold_unit
        out["value_converted"] = within
    else:
        converted = convert(got, answer_unit, gold_unit)
        out["value_converted"] = converted is not None and abs(converted - gold) <= tol
    out["unit_converted"] = out["unit_strict"] or (
        answer_unit in MONEY and gold_unit in MONEY and out["value_converted"])
    return out


# -- text keys ---------------------------------------------------------------------------------
def norm_table(title: str | None) -> str:
    text = normalize(title or "")
    text = _YEAR_PREFIX.sub("", text)
    return _TABLE_SUFFIX.sub("", text)


def norm_label(label: str | None) -> str:
    """'（一）一般公共服务支出' -> '一般公共服务支出'; '其中：基本工资' -> '基本工资'."""
    text = normalize(label or "")
    stripped = _ORDINAL.sub("", text)
    return stripped or text


def norm_column(column: str | None) -> str:
    """'本年收入 / 预算数' -> '本年收入/预算数'; a bare '其中：' level ('其中： / 基本支出') is dropped."""
    parts = [normalize(p) for p in _COLUMN_SPLIT.split(column or "") if normalize(p)]
    parts = [p for p in parts if p.rstrip(":：") != "其中"] or parts
    return "/".join(parts)


def split_row(row: str | None) -> tuple[str, str]:
    """'2010399 其他政府办公厅（室）及相关机构事务支出' -> ('2010399', '其他政府办公厅(室)及相关机构事务支出')."""
    text = (row or "").strip()
    match = _CODE_LABEL.match(text)
    if match and (not match.group(2) or not match.group(2)[0].isdigit()):
        return match.group(1).replace(" ", ""), norm_label(match.group(2))
    return "", norm_label(text)


def same_doc(cited: str | None, gold: str | None) -> bool:
    if not cited or not gold:
        return False
    a, b = normalize(PurePath(cited).name), normalize(PurePath(gold).name)
    return a == b or PurePath(a).stem == PurePath(b).stem


def labels_match(cited: str, gold: str) -> bool:
    """Normalised containment either way; the shorter must be at least half the longer."""
    if not cited or not gold:
        return False
    if cited == gold:
        return True
    short, long = sorted((cited, gold), key=len)
    return short in long and len(short) * 2 >= len(long)


def rows_match(cited_row: str | None, gold_row: str | None) -> bool:
    cited_code, cited_label = split_row(cited_row)
    gold_code, gold_label = split_row(gold_row)
    if gold_code and cited_code:
        return gold_code == cited_code
    if gold_code and not gold_label:
        return gold_code in normalize(cited_row or "")
    return labels_match(cited_label, gold_label)


def columns_match(cited: str | None, gold: str | None) -> bool:
    """Same header path, or one path's components all in the other with the same last component."""
    if not gold:
        return True
    a, b = norm_column(cited), norm_column(gold)
    if not a:
        return False
    if a == b:
        return True
    pa, pb = a.split("/"), b.split("/")
    if pa[-1] != pb[-1]:
        return False
    short, long = sorted((pa, pb), key=len)
    return all(p in long for p in short)


def quotes_overlap(cited_quote: str | None, gold_sentence: str | None) -> bool:
    a, b = normalize(cited_quote or ""), normalize(gold_sentence or "")
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    ga, gb = bigrams(a), bigrams(b)
    return len(ga & gb) / max(1, min(len(ga), len(gb))) >= NARRATIVE_OVERLAP


def is_narrative_source(source: dict) -> bool:
    """A gold sentence: no row, or only the heading of its paragraph as the row (no column)."""
    return bool(source.get("sentence")) and not (source.get("row") and source.get("column"))


def citation_matches(citation: dict, source: dict) -> bool:
    """One citation (or retrieved fact record) against one gold source."""
    if not same_doc(citation.get("doc"), source.get("doc")):
        return False
    if is_narrative_source(source):
        return quotes_overlap(citation.get("quote"), source.get("sentence"))
    if not source.get("row"):
        return False
    cited_row = citation.get("row")
    if not cited_row and citation.get("kind") == "narrative":
        return False
    if not rows_match(cited_row, source["row"]):
        return False
    return columns_match(citation.get("column"), source.get("column"))


def cites_same_figure(citation: dict, source: dict, gold_value: str, gold_unit: str) -> bool:
    """Lenient citation: the gold document and row (any table or column) holding the gold figure —
    the same number printed in another table of the document is an equally checkable source."""
    if citation_matches(citation, source):
        return True
    if not same_doc(citation.get("doc"), source.get("doc")) or not source.get("row") or not citation.get("row"):
        return False
    if not rows_match(citation.get("row"), source["row"]):
        return False
    cited = as_decimal(citation.get("printed")) if citation.get("printed") else as_decimal(citation.get("value"))
    gold = as_decimal(gold_value)
    if cited is None or gold is None:
        return False
    converted = convert(cited, citation.get("unit") or "", gold_unit)
    return converted is not None and abs(converted - gold) <= tolerance(gold_value)


def any_citation_matches(citations: list[dict], sources: list[dict]) -> bool:
    return any(citation_matches(c, s) for s in sources for c in citations or [])


def all_sources_cited(citations: list[dict], sources: list[dict]) -> bool:
    return bool(sources) and all(any(citation_matches(c, s) for c in citations or []) for s in sources)


# -- printed forms -----------------------------------------------------------------------------
def printed_variants(value: Decimal, places: int | None = None) -> set[str]:
    """Ways a figure may be printed: plain, with thousands separators, with 2 decimals or its own."""
    variants = set()
    own = -value.as_tuple().exponent if value.as_tuple().exponent < 0 else 0
    candidates = {own, 2} if places is None else {places}
    for p in candidates:
        q = value.quantize(Decimal(1).scaleb(-p)) if p else value.quantize(Decimal(1))
        variants.add(f"{q:f}")
        variants.add(f"{q:,f}")
    stripped = value.normalize()
    variants.add(f"{stripped:f}")
    variants.add(f"{stripped:,f}")
    return {v for v in variants if v not in ("", "-")}


def gold_printed_forms(gold_value: str, gold_unit: str) -> set[str]:
    """The gold figure's printed variants, in its unit and (money) in 元 and 万元 with 2 decimals."""
    value = as_decimal(gold_value)
    if value is None:
        return set()
    forms = printed_variants(value)
    text = normalize(str(gold_value))
    if text:
        forms.add(text)
    if gold_unit in MONEY:
        for unit in ("元", "万元"):
            if unit == gold_unit:
                continue
            converted = convert(value, gold_unit, unit)
            # a conversion to a smaller unit is exact; to a larger one it is printed rounded
            places = 2
            if converted is not None:
                forms |= printed_variants(converted.quantize(Decimal("0.01")), places)
    return forms


def contains_figure(text: str, forms: set[str]) -> bool:
    """A printed figure present as a whole number in text (not part of a longer number)."""
    if not text:
        return False
    flat = unicodedata.normalize("NFKC", text)  # keep whitespace: it separates adjacent numbers
    for form in forms:
        pattern = r"(?<![0-9.,])" + re.escape(form) + r"(?![0-9]|[.,][0-9])"
        if re.search(pattern, flat):
            return True
    return False


def states_text(answer_text: str, gold_text: str) -> bool:
    """A text the gold reads off the page (a unit's kind, an indicator's value) is in the answer's words."""
    def flat(text: str) -> str:
        return normalize(text).replace("⩾", "≥").replace("⩽", "≤").rstrip("。")
    return bool(gold_text.strip()) and flat(gold_text) in flat(answer_text)
