"""compute: questions that need arithmetic over facts — share, sum, per person, difference,
growth, ranking across documents. Decimal arithmetic; every operand is cited; the formula is shown."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from budgetqa.answer import citation, format_decimal, place
from budgetqa.facts import Fact
from budgetqa.model import MONEY_UNITS, DocumentMeta, convert_unit
from budgetqa.text import normalize

SHARE = re.compile(r"(?P<a>.+?)占(?P<b>.+?)的?(比重|比例|百分之几|百分比|多少|几成|%|份额)")
SUM_WORDS = ("加起来", "加总", "合起来", "之和", "总和", "一共", "共计")
PER_PERSON = ("人均",)
RANK_MAX = ("最高", "最多", "最大")
RANK_MIN = ("最低", "最少", "最小")
LESS_WORDS = ("少", "减少", "下降", "低")
GROWTH_WORDS = ("增长率", "增幅", "增长了百分之几", "增长百分之几", "增长多少%", "变化率", "百分之几", "百分之多少")
STAFF_LABELS = ("在职人数", "在职人员", "实有人数", "编制人数", "人员编制", "在编人数")
TWO_PLACES = Decimal("0.01")
STAFF_WORDS = re.compile(r"在职人员|在职|在编人员|职工|员工")
CHANGE_ASKED = re.compile(r"(增加|减少|增长|下降|变化|涨|降|多|少|差)了?(百分之)?(多少|几)")


@dataclass
class Operand:
    fact: Fact
    meta: DocumentMeta
    value: Decimal  # in the common unit


# "2024年预算比2023年执行数增长了百分之几", "决算比年初预算少了多少": two columns of one row
COLUMN_CHANGE = re.compile(r"比(?P<base>(20[0-9]{2}|[0-9]{2})年(执行数|决算数|决算|预算数|预算)?|上年(执行数|预算数|决算数|预算)?|去年|年初预算数?|全年预算数?)"
                           r".*(增长|增加|减少|下降|变化|多|少|高|低)")
ITEM_DIFFERENCE = re.compile(r"(?P<a>.+?)比(?P<b>.+?)(多|少|高|低)了?(多少|几)")


def detect(question: str, several_docs: bool) -> str:
    q = normalize(question)
    if any(w in q for w in PER_PERSON):
        return "per_person"
    if SHARE.search(q):
        return "share"
    if not several_docs and COLUMN_CHANGE.search(q):
        return "column_change"
    if not several_docs and ITEM_DIFFERENCE.search(q) and not re.search(r"比(上年|去年|上一年|20[0-9]{2}年|[0-9]{2}年)", q):
        return "item_difference"
    if several_docs and any(w in q for w in RANK_MAX + RANK_MIN) and ("哪" in q or "谁" in q):
        return "rank"
    if several_docs and any(w in q for w in GROWTH_WORDS):
        return "growth"
    listed = re.search(r"[、和]", q) and re.search(r"合计|总计|总共", q)  # "基本工资、津贴补贴、奖金合计多少"
    if (any(w in q for w in SUM_WORDS) or listed) and (several_docs or re.search(r"[、和]", q)):
        return "sum"
    if several_docs and re.search(r"(比|和|与|跟|相比|较|从).*(多|少|差|高|低|变化|增加|减少|增长|下降|涨|降)", q):
        return "difference"
    return ""


def in_unit(fact: Fact, unit: str) -> Decimal:
    """The operand in the computation's unit (common_unit has made sure it converts)."""
    converted = convert_unit(fact.value, fact.unit, unit)
    return fact.value if converted is None else converted


def common_unit(facts: list[Fact], asked: str) -> str | None:
    """The unit to compute in: the one asked, the operands' own, or 万元 for mixed money units;
    None when the operands cannot be added (人 and 万元, % and 万元)."""
    units = {f.unit for f in facts}
    if len(units) > 1 and not units <= set(MONEY_UNITS):
        return None
    if asked and units <= set(MONEY_UNITS):
        return asked
    return units.pop() if len(units) == 1 else "万元"


def operand_line(op: Operand, unit: str) -> str:
    shown = f"{op.fact.printed} {op.fact.unit}".strip()
    if op.fact.unit != unit and op.fact.unit in MONEY_UNITS and unit in MONEY_UNITS:
        shown += f"（= {format_decimal(op.value)} {unit}）"
    return f"{op.meta.label} {op.fact.row_label or op.fact.item} = {shown}，{op.fact.source} {place(op.fact)}"


def result(question: str, value: Decimal, unit: str, statement: str, formula: str, operands: list[Operand],
           divided: bool = False) -> dict:
    """A computed answer. Quotients (shares, growth, per person) are rounded half-up to 2 places — the
    statement ("{value}") shows that same figure; sums and differences of printed amounts stay exact."""
    if divided:
        value = value.quantize(TWO_PLACES, ROUND_HALF_UP)
        statement = statement.format(value=format_decimal(value))
    lines = [statement, f"计算：{formula}", "依据："] + [f"- {operand_line(op, unit if unit != '%' else op.fact.unit)}"
                                                     for op in operands]
    return {"question": question, "status": "answered", "answer": "\n".join(lines),
            "value": float(value), "value_text": format_decimal(value), "unit": unit,
            "citations": [citation(op.fact, op.meta) for op in operands],
            "work": [formula], "candidates": []}


def growth(question: str, a: Operand, b: Operand, subject: str) -> dict | None:
    """(a − b) ÷ b in %, rounded half-up to 2 places; None when the base is 0."""
    if b.value == 0:
        return None
    value = (a.value - b.value) / b.value * 100
    return result(question, value, "%", f"{subject} 变化 {{value}}%。",
                  f"({format_decimal(a.value)} − {format_decimal(b.value)}) ÷ {format_decimal(b.value)} × 100%",
                  [a, b], divided=True)


def difference(question: str, a: Operand, b: Operand, shortfall: bool, unit: str, subject: str) -> dict:
    """a − b, or the shortfall b − a when the question asks "少多少"; exact, never rounded. The
    headline names the larger and gives both values: never a bare signed number."""
    first, second = (b, a) if shortfall else (a, b)
    value = first.value - second.value
    by_column = a.fact.row_label == b.fact.row_label  # one row, two columns (本年 vs 上年 …)
    name = {id(op): operand_name(op, by_column) for op in (a, b)}
    larger, smaller = (a, b) if a.value >= b.value else (b, a)
    headline = (f"{subject}：{name[id(a)]} {format_decimal(a.value)} {unit}，{name[id(b)]} "
                f"{format_decimal(b.value)} {unit}；{name[id(larger)]}多 "
                f"{format_decimal(larger.value - smaller.value)} {unit}。")
    return result(question, value, unit, headline,
                  f"{format_decimal(first.value)} − {format_decimal(second.value)} = {format_decimal(value)}", [a, b])


def operand_name(op: Operand, by_column: bool = False) -> str:
    """How a headline names an operand: its row, or its column when both operands share the row."""
    fact = op.fact
    column = fact.column.split(" / ")[-1] if fact.column else ""
    if by_column and column:
        return column
    return fact.row_label or fact.item or column or fact.row


def split_items(text: str) -> list[str]:
    """'基本工资、津贴补贴、奖金和绩效工资加起来多少' -> ['基本工资', '津贴补贴', '奖金', '绩效工资'];
    '社会保障和就业、卫生健康、住房保障三类支出加起来' keeps 社会保障和就业 whole."""
    for word in SUM_WORDS + ("合计", "总计", "总共", "是多少", "多少", "？", "?"):
        text = text.replace(word, "")
    parts = [p for p in re.split(r"[、，,]", text) if p]
    if len(parts) == 1:  # "及" and "与" stay: they occur inside names (…及相关机构事务)
        parts = re.split(r"和", parts[0])
    elif "和" in parts[-1]:
        parts = parts[:-1] + parts[-1].split("和", 1)
    parts = [p for p in parts if p]
    return parts if len(parts) >= 2 else []


def base_column(columns: dict[str, "Fact"], base: str, year: int) -> "Fact | None":
    """The cell of a row that the question compares against: 2023年执行数, 上年, 年初预算 …"""
    base = normalize(base)
    wanted_year = re.match(r"(20[0-9]{2}|[0-9]{2})年", base)
    for column, fact in columns.items():
        header = normalize(column)
        if re.search(r"增减|变动|%|与", header):
            continue
        if wanted_year:
            number = wanted_year.group(1)
            if (number if len(number) == 4 else "20" + number) in header:
                return fact
        elif base.startswith(("上年", "去年")) and (re.search(r"上年", header) or str(year - 1) in header):
            return fact
        elif base.startswith(("年初预算", "全年预算")) and base[:4] in header:
            return fact
    return None


def staff_fact(facts: list[Fact]) -> Fact | None:
    """The staff count a document states: a 在职人数 cell, else a sentence such as "实有6人"."""
    for fact in facts:
        where = normalize(f"{fact.column}{fact.row_label}{fact.item}")
        if any(label in where for label in STAFF_LABELS) and fact.value == fact.value.to_integral() and fact.value > 0:
            if fact.unit in ("", "人"):
                return fact
    for fact in facts:
        if fact.kind == "narrative" and fact.unit == "人" and re.search(r"(实有|在职|在编)(人员|人数)?$", fact.item):
            return fact
    return None
