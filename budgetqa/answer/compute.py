"""compute: the arithmetic of computed answers — units of the operands, growth, difference, the
answer's text. Decimal arithmetic; every operand is cited; the formula is shown. What a question
asks to compute is read in budgetqa.query.operation."""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from budgetqa.answer.compose import Answer, Operand, computed, format_decimal, place
from budgetqa.model.document import MONEY_UNITS, convert_unit
from budgetqa.model.facts import Fact
from budgetqa.model.text import normalize
from budgetqa.query.operation import BasePeriod

STAFF_LABELS = ("在职人数", "在职人员", "实有人数", "编制人数", "人员编制", "在编人数")
TWO_PLACES = Decimal("0.01")
THREE_PLACES = Decimal("0.001")
FOUR_PLACES = Decimal("0.0001")


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
    return f"{op.meta.label} {operand_name(op)} = {shown}，{op.fact.source} {place(op.fact)}"


RATE_UNITS = ("%", "个百分点")


def result(value: Decimal, unit: str, statement: str, formula: str, operands: list[Operand],
           divided: bool = False) -> Answer:
    """A computed answer. Quotients (shares, growth, per person) are rounded half-up to 2 places unless
    they end within 4 (146.44 ÷ 10 = 14.644 stays exact) — the statement ("{value}") shows that same
    figure; sums and differences of printed amounts stay exact."""
    exact = value
    if divided:
        value = next((value.quantize(places) for places in (TWO_PLACES, THREE_PLACES, FOUR_PLACES)
                      if value.quantize(places, ROUND_HALF_UP) == value), value.quantize(TWO_PLACES, ROUND_HALF_UP))
        statement = statement.format(value=format_decimal(value))
    lines = [statement, f"计算：{formula}", "依据："] + [f"- {operand_line(op, unit if unit not in RATE_UNITS else op.fact.unit)}"
                                                     for op in operands]
    return computed(value, unit, "\n".join(lines), formula, operands, exact=exact if divided else None)


def growth(a: Operand, b: Operand, subject: str, decline: bool = False) -> Answer | None:
    """(a − b) ÷ b in %, rounded half-up to 2 places; None when the base is 0. A decline asked
    ("下降了百分之几") is answered as the fall (b − a) ÷ b."""
    if b.value == 0:
        return None
    first, second = (b, a) if decline else (a, b)
    value = (first.value - second.value) / b.value * 100
    return result(value, "%", f"{subject} {'下降' if decline else '变化'} {{value}}%。",
                  f"({format_decimal(first.value)} − {format_decimal(second.value)}) ÷ {format_decimal(b.value)} × 100%",
                  [a, b], divided=True)


def ratio(a: Operand, b: Operand, times: bool, subject: str = "") -> Answer | None:
    """a ÷ b, in % ("是…的百分之几") or as a multiple ("几倍"); None when b is 0. The headline names
    both: "X 是 Y 的 12.94 倍", each with its document when they differ, after the `subject` they
    are figures of when given ("…：行政运行")."""
    if b.value == 0:
        return None
    value = a.value / b.value * (1 if times else 100)
    by_column = a.fact.row_label == b.fact.row_label and a.fact.column != b.fact.column  # 决算数 of 预算数
    first, second = operand_name(a, by_column, b), operand_name(b, by_column, a)
    if subject:
        said = f"{subject}：{first} 是 {second} 的"
    elif a.meta is b.meta:
        said = f"{a.meta.label}：{first} 是 {second} 的"
    else:
        said = f"{a.meta.label} 的{first} 是 {b.meta.label} 的"
    return result(value, "倍" if times else "%", f"{said} {{value}}{' 倍' if times else '%'}。",
                  f"{format_decimal(a.value)} ÷ {format_decimal(b.value)}{'' if times else ' × 100%'}",
                  [a, b], divided=True)


def share_of_sum(ops: list[Operand], part_unit: str, unit: str) -> Answer | None:
    """One unit's share of the units' sum, in %; None when the unit is not one of them or the sum is 0."""
    part = next((op for op in ops if op.meta.entity == part_unit), None)
    total = sum((op.value for op in ops), Decimal(0))
    if part is None or total == 0:
        return None
    return result(part.value / total * 100, "%",
                  f"{part.meta.label} 占 {len(ops)} 家合计（{format_decimal(total)} {unit}）的 {{value}}%。",
                  f"{format_decimal(part.value)} ÷ ({' + '.join(format_decimal(op.value) for op in ops)}) × 100%",
                  ops, divided=True)


def stated_rate(level: Operand, change: Operand, fell: bool, decline: bool, subject: str) -> Answer | None:
    """The rate of a change a document states only in money: change ÷ (level ∓ change), in %; a
    decline asked ("下降了百分之几") is answered as the fall."""
    base = earlier_level(level.value, change.value, fell)
    if base <= 0:
        return None
    value = (change.value if fell == decline else -change.value) / base * 100
    sign = "+" if fell else "−"
    return result(value, "%", f"{subject}：{operand_name(level)} {'下降' if decline else '变化'} {{value}}%。",
                  f"{'' if fell == decline else '−'}{format_decimal(change.value)} ÷ ({format_decimal(level.value)} "
                  f"{sign} {format_decimal(change.value)}) × 100%", [level, change], divided=True)


def stated_ratio(level: Operand, change: Operand, fell: bool, times: bool, subject: str, base_name: str) -> Answer | None:
    """This period's level over the base period's, which a document states only as a change:
    level ÷ (level ∓ change), as a multiple or in %."""
    base = earlier_level(level.value, change.value, fell)
    if base <= 0:
        return None
    value = level.value / base * (1 if times else 100)
    said = f"{' 倍' if times else '%'}"
    return result(value, "倍" if times else "%", f"{subject}：{operand_name(level)} 是{base_name}的 {{value}}{said}。",
                  f"{format_decimal(level.value)} ÷ ({format_decimal(level.value)} {'+' if fell else '−'} "
                  f"{format_decimal(change.value)}){'' if times else ' × 100%'}", [level, change], divided=True)


def difference(a: Operand, b: Operand, shortfall: bool, unit: str, subject: str) -> Answer:
    """a − b, or the shortfall b − a when the question asks "少多少"; exact, never rounded. The
    headline names the larger and gives both values: never a bare signed number."""
    first, second = (b, a) if shortfall else (a, b)
    value = first.value - second.value
    unit = "个百分点" if unit == "%" else unit  # two rates differ by points, not by a percentage of either
    by_column = a.fact.row_label == b.fact.row_label  # one row, two columns (本年 vs 上年 …)
    name = {id(op): operand_name(op, by_column, other) for op, other in ((a, b), (b, a))}
    larger, smaller = (a, b) if a.value >= b.value else (b, a)
    headline = (f"{subject}：{name[id(a)]} {format_decimal(a.value)} {unit}，{name[id(b)]} "
                f"{format_decimal(b.value)} {unit}；{name[id(larger)]}多 "
                f"{format_decimal(larger.value - smaller.value)} {unit}。")
    return result(value, unit, headline,
                  f"{format_decimal(first.value)} − {format_decimal(second.value)} = {format_decimal(value)}", [a, b])


def operand_name(op: Operand, by_column: bool = False, other: Operand | None = None) -> str:
    """How a headline names an operand: its row, or its column when both operands share the row —
    the level of the header that tells the two apart ("决算数 / 合计" against "预算数 / 合计": 决算数)."""
    fact = op.fact
    if fact.kind == "narrative":  # what the sentence calls it ("2026年预算安排"), not its section
        return fact.item or fact.row_label
    path = fact.column.split(" / ") if fact.column else []
    theirs = other.fact.column.split(" / ") if other and other.fact.column else []
    column = next((mine for mine, its in zip(path, theirs) if mine != its), path[-1] if path else "")
    if by_column and column:
        return column
    return fact.row_label or fact.column or fact.row  # a table whose items are columns (三公): the header path


def base_column(columns: dict[str, Fact], base: BasePeriod, year: int) -> Fact | None:
    """The cell of a row that the question compares against: 2023年执行数, 上年, 年初预算 …"""
    for column, fact in columns.items():
        header = normalize(column)
        if re.search(r"增减|变动|%|与", header):
            continue
        if base.year:
            if str(base.year) in header:
                return fact
        elif base.word == "上年" and names_base(header, base, year):  # not 上年结转结余
            return fact
        elif base.word in ("年初预算", "全年预算") and base.word in header:
            return fact
        elif base.word == "预算" and "预算" in header and not re.search(r"决算|上年|执行", header):
            return fact  # "决算比预算少了多少": the row's budget column
    return None


STATED_CHANGE = re.compile(r"比|较|增加|减少|增长|下降|增减|持平")  # "比2025年预算执行数增加": a change, not a level
FELL = re.compile(r"减少|下降|降低")


def stated_change_pair(said: list[Fact], base: BasePeriod, year: int) -> tuple[Fact, Fact, bool] | None:
    """In one sentence's amounts (in order), a level and the change it is said to have against the
    base period: "收入预算15621.11万元，…比2023年预算减少876.75万元" -> (level, change, fell)."""
    for level, change in zip(said, said[1:]):
        if (STATED_CHANGE.search(change.item) and not STATED_CHANGE.search(level.item) and level.unit == change.unit
                and names_base(STATED_CHANGE.sub("", change.item), base, year)):
            return level, change, bool(FELL.search(change.item))
    return None


def earlier_level(level: Decimal, change: Decimal, fell: bool) -> Decimal:
    """The base-period level behind a stated change: level ∓ change."""
    return level + change if fell else level - change


def names_base(said: str, base: BasePeriod, year: int) -> bool:
    """A sentence's words before a figure name the base period: "2023年当年预算执行数", "年初预算", "上年"."""
    if STATED_CHANGE.search(said):
        return False
    last_year = "上年" in said and not re.search(r"结转|结余", said)
    if base.year:  # (a 2026 document's 上年 is 2025)
        return f"{base.year}年" in said or (base.year == year - 1 and last_year)
    if base.word == "上年":
        return last_year or f"{year - 1}年" in said
    return base.word in said


def staff_fact(facts: list[Fact]) -> Fact | None:
    """The staff count a document states: a 在职人数 cell or a sentence such as "实有6人" — the people
    actually employed (实有, 在职) before the posts authorised (编制)."""
    counts = [fact for fact in facts if fact.value == fact.value.to_integral() and fact.value > 0 and fact.unit in ("", "人")
              and any(label in normalize(f"{fact.column}{fact.row_label}{fact.item}") for label in STAFF_LABELS)]
    counts += [fact for fact in facts if fact.kind == "narrative" and fact.unit == "人"
               and re.search(r"(实有|在职|在编)(人员|人数|职工|员工)?$", fact.item)]

    def employed_first(fact: Fact) -> int:
        where = normalize(f"{fact.column}{fact.row_label}{fact.item}")
        return next((i for i, word in enumerate(("实有", "在职", "在编", "编制")) if word in where), 4)
    return min(counts, key=employed_first, default=None)
