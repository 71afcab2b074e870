"""Consistency audit of one parsed document: every place where the document contradicts itself.

Kinds of finding
- "cross-foot": an arithmetic closure check that does not close (budgetqa.checks.closure);
- "table-vs-table": the same item (classification code, or a 类 named by its label, or the
  合计 row) in the same kind of column of two tables with different amounts;
- "narrative-vs-table": a sentence that ties an amount to a code or to an exact row label, and
  the tables print something else for it;
- "stated-change": a sentence whose stated growth / completion rate does not follow from the
  amounts stated in the same sentence (within the rounding of every printed figure);
- "mixed-units": a table whose items are 10,000 times those of the other tables (its unit mislabelled);
- "parser-doubt": a table most of whose sums fail — more likely misread by us than misprinted; it is
  reported once and kept out of the comparisons;
- the reviewers' structural checks of budgetqa.checks.structure.

One finding per discrepancy, with every cell involved; severity from its size
(budgetqa.checks.findings: rounding → low, small → medium, large → high); amounts in the tables' unit.

The checks are deliberately conservative: an item is compared only when both sides clearly
mean the same thing (same code, same direction 收入/支出, compatible funding scope, the total /
基本支出 / 项目支出 / 人员经费 / 公用经费 column), so that clean documents raise no alarm.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from budgetqa.checks.closure import closure_checks
from budgetqa.checks.findings import (
    HIGH,
    LARGE,
    LOW,
    MEDIUM,
    PARSER,
    ROUNDING,
    SEVERITY_OF_SIZE,
    SEVERITY_ORDER,
    SMALL,
    ZERO,
    Finding,
    cell_evidence,
    document_unit,
    fmt,
    fmt_like,
    half_step,
    in_unit,
    sentence_evidence,
    sentences,
    size_of,
)
from budgetqa.checks.structure import CODE_ITEM, structural_findings
from budgetqa.model.document import MONEY_UNITS, ParsedDocument, Row, Table, parse_number
from budgetqa.model.facts import Fact

_CLOSURE_EVIDENCE = re.compile(r"^(?P<row>.*) \[(?P<column>.*)\] = (?P<printed>.*) \(p(?P<page>[^)]*)\)$")


# -- cross-foot ----------------------------------------------------------------------------------

# a table where at least this share of its sums fails (and at least PARSER_DOUBT_MIN of them) is
# more likely misread by us than misprinted: reported once as a parser doubt
PARSER_DOUBT_SHARE = Decimal("0.5")
PARSER_DOUBT_MIN = 3
_SIZE_RANK = {"": 0, ROUNDING: 1, SMALL: 2, LARGE: 3}


@dataclass
class _Gap:
    """One closure check that does not close, with its cells and the size of its gap."""
    check: object  # budgetqa.checks.closure.Check
    evidence: list[dict]
    size: str  # rounding | small | large | "" (blank cells)
    note: str


def _gap(doc: ParsedDocument, check, unit: str) -> _Gap:
    evidence, printed = [], []
    for text in check.evidence:
        m = _CLOSURE_EVIDENCE.match(text)
        if not m:
            evidence.append({"doc": doc.meta.source, "table": check.table, "quote": text, "unit": unit})
            continue
        page = m["page"]
        evidence.append({"doc": doc.meta.source, "table": check.table, "table_id": check.table_id,
                         "row": m["row"], "column": m["column"], "printed": m["printed"], "unit": unit,
                         "page": int(page) if page.isdigit() else None, "line": None})
        printed.append(m["printed"])
    numbers = [p for p in printed if p != "(blank)"]
    blank_total = printed[:1] == ["(blank)"]
    blank_parts = len(printed) > 1 and all(p == "(blank)" for p in printed[1:])
    if blank_total or blank_parts:
        return _Gap(check, evidence, "", "（涉及的单元格为空白，可能是留空而非数字错误）")
    factor = MONEY_UNITS.get(unit, Decimal(1))
    tolerance = sum((half_step(p) for p in numbers), ZERO) * factor
    size = size_of(check.difference * factor, max(abs(check.found), abs(check.expected)) * factor, tolerance)
    return _Gap(check, evidence, size, "（差额在各数字的四舍五入范围内）" if size == ROUNDING else "")


def _parser_doubt(doc: ParsedDocument, table: Table | None, title: str, gaps: list[_Gap], checks: int) -> Finding:
    first = gaps[0].check
    return Finding(
        kind="parser-doubt", severity=LOW, page=first.page, line=table.line if table else None, doc=doc.meta.source,
        origin=PARSER, unit=table.unit if table else "",
        message=(f"《{title}》的 {checks} 项勾稽中有 {len(gaps)} 项不闭合：更可能是本系统未能正确读出这张表"
                 f"（列或行错位），而不是文件本身的错误；请对照原文核对。"),
        evidence=[e for g in gaps[:3] for e in g.evidence])


def _cross_foot(doc: ParsedDocument) -> tuple[list[Finding], set[str]]:
    """Findings of the sums that do not close, and the ids of the tables in parser doubt."""
    tables = {t.id: t for t in doc.tables}
    checks_per_table: dict[str, int] = {}
    gaps_per_table: dict[str, list[_Gap]] = {}
    for check in closure_checks(doc):
        base = check.table_id.split("+")[0]
        checks_per_table[base] = checks_per_table.get(base, 0) + 1
        if not check.closes:
            table = tables.get(base)
            gaps_per_table.setdefault(base, []).append(_gap(doc, check, table.unit if table else ""))
    findings, doubtful = [], set()
    for base, gaps in gaps_per_table.items():
        table = tables.get(base)
        beyond = [g for g in gaps if g.size in (SMALL, LARGE)]
        if len(beyond) >= PARSER_DOUBT_MIN and len(beyond) >= checks_per_table[base] * PARSER_DOUBT_SHARE:
            findings.append(_parser_doubt(doc, table, gaps[0].check.table, beyond, checks_per_table[base]))
            doubtful.add(base)
            continue
        # one discrepancy shows in every sum it enters (the 项, its 款 and 类, the 合计 row): one finding
        groups: dict[Decimal, list[_Gap]] = {}
        for g in gaps:
            groups.setdefault(abs(g.check.difference), []).append(g)
        for group in groups.values():
            findings.append(_cross_foot_finding(doc, table, group))
    return findings, doubtful


def _cross_foot_finding(doc: ParsedDocument, table: Table | None, group: list[_Gap]) -> Finding:
    # rounding explains the gap when one of its sums allows it (a 类 that sums rounded items); else
    # the gap is as serious as its worst sum
    rounding = [g for g in group if g.size == ROUNDING]
    first = rounding[0] if rounding else max(group, key=lambda g: _SIZE_RANK[g.size])
    check, unit = first.check, table.unit if table else ""
    evidence, seen = [], set()
    for g in group:
        for e in g.evidence:
            key = (e.get("row"), e.get("column"), e.get("page"), e.get("quote"))
            if key not in seen:
                seen.add(key)
                evidence.append(e)
    also = [g.check.description for g in group if g is not first]
    printed = [e.get("printed", "") for e in first.evidence]  # the table's way of writing figures
    line = None
    if table is not None:
        line = next((r.line for r in table.rows if r.page == check.page and r.line), table.line)
    return Finding(
        kind="cross-foot", severity=SEVERITY_OF_SIZE.get(first.size, LOW), size=first.size, page=check.page,
        line=line, doc=doc.meta.source, unit=unit, difference=fmt(abs(check.difference)),
        message=(f"《{check.table}》{check.description}：各分项之和为 {fmt_like(check.expected, printed)} {unit}，"
                 f"表中印的是 {fmt_like(check.found, printed)} {unit}，相差 {fmt_like(check.difference, printed)} {unit}。"
                 f"{first.note}"
                 + (f"同一差额也使这些合计不闭合：{'；'.join(also)}。" if also else "")),
        evidence=evidence)


# -- table-vs-table -----------------------------------------------------------------------------

_ENUM = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}\s*[、.．])\s*")
_CLASS_TAG = re.compile(r"[（(](?:类|款|项)[）)]")
_OTHER_FUNDS = re.compile(r"政府性基金|国有资本|事业收入|经营收入|其他收入|上级补助|附属单位|财政专户")
_TOTAL_COL = re.compile(r"^(合计|小计|总计)$|合计$")
_AMOUNT_COL = re.compile(r"^(预算数|决算数|金额)$")
_TOTAL_ROWS = {"合计", "总计", "支出总计", "本年支出合计"}
COLUMN_KINDS = {"基本支出": "基本支出", "项目支出": "项目支出", "人员经费": "人员经费", "人员支出": "人员经费",
                "公用经费": "公用经费", "日常公用支出": "公用经费", "日常公用经费": "公用经费"}
# economic classification -> function classification items that pay for exactly the same thing
ECON_TO_FUNCTION = {"30108": ("2080505",), "30109": ("2080506",), "30111": ("2101103",),
                    "30113": ("2210201",)}


def normalize_label(label: str) -> str:
    text = re.sub(r"\s+", "", label)
    text = _ENUM.sub("", text)
    text = _CLASS_TAG.sub("", text)
    return text.replace("(", "（").replace(")", "）")


def _direction(table: Table) -> str:
    if table.part:
        return table.part
    return "收入" if "收入" in table.title and "支出" not in table.title else "支出"


def _scope(table: Table) -> str:
    title = table.title
    if "一般公共预算" in title:
        scope = "一般公共预算"
    elif "政府性基金" in title:
        scope = "政府性基金"
    elif "国有资本" in title:
        scope = "国有资本"
    elif "财政拨款" in title:
        scope = "财政拨款"
    else:
        scope = "全部"
    return scope


def _other_funds_used(doc: ParsedDocument) -> tuple[bool, bool]:
    """(money outside 一般公共预算 at all, money from 政府性基金/国有资本 among 财政拨款)."""
    any_other, fund_other = False, False
    for table in doc.tables:
        for col, path in enumerate(table.columns):
            name = " / ".join(path)
            if not _OTHER_FUNDS.search(name):
                continue
            for row in table.rows:
                cell = row.cell(col)
                if cell is not None and cell.value:
                    any_other = True
                    if re.search(r"政府性基金|国有资本", name):
                        fund_other = True
        if table.part == "收入":
            for row in table.rows:
                if _OTHER_FUNDS.search(row.label) and any(c.value for c in row.cells):
                    any_other = True
                    if re.search(r"政府性基金|国有资本", row.label):
                        fund_other = True
        if re.search(r"政府性基金|国有资本", table.title) and not table.empty and any(
                c.value for r in table.rows for c in r.cells):
            fund_other = True
    return any_other, fund_other


def _canonical_scope(scope: str, any_other: bool, fund_other: bool) -> str:
    if scope == "财政拨款" and not fund_other:
        scope = "一般公共预算"
    if scope == "全部" and not any_other:
        scope = "一般公共预算"
    return scope


def _column_roles(table: Table) -> dict[int, str]:
    """Column index -> role: 'total' (the table's total column) or 基本支出/项目支出/人员经费/公用经费."""
    roles: dict[int, str] = {}
    basic_table = "基本支出" in table.title
    total = None
    for i, path in enumerate(table.columns):
        if any(re.search(r"执行数|增减|上年|年初|结转|行次", p) for p in path):
            continue
        if any(_TOTAL_COL.search(p) for p in path[-2:]) and total is None and not any(
                k in " ".join(path) for k in ("基本支出 /", "公用", "人员")):
            total = i
    if total is None:
        amount = [i for i, p in enumerate(table.columns) if p and _AMOUNT_COL.match(p[-1])]
        if len(amount) == 1:
            total = amount[0]
    if total is not None:
        roles[total] = "基本支出" if basic_table else "total"
    for i, path in enumerate(table.columns):
        if i in roles:
            continue
        for p in path:
            if p in COLUMN_KINDS:
                roles[i] = COLUMN_KINDS[p]
    if basic_table and total is not None:
        # a table of 基本支出 by economic item: its total column is the 基本支出 column
        roles = {i: r for i, r in roles.items() if r != "total"}
    return roles


@dataclass
class _Entry:
    table: Table
    row: Row
    col: int
    value_yuan: Decimal
    half: Decimal  # rounding half-step in 元
    scope: str


def _label_codes(doc: ParsedDocument) -> dict[str, str]:
    """Normalised 类 label -> its 3-digit code (only unambiguous names)."""
    names: dict[str, set[str]] = {}
    for table in doc.tables:
        for row in table.rows:
            if row.code.isdigit() and len(row.code) == 3:
                names.setdefault(normalize_label(row.label), set()).add(row.code)
    mapped = {name: next(iter(codes)) for name, codes in names.items() if len(codes) == 1 and name}
    # rows of side-by-side summary tables name 类 without a code ("（九）卫生健康支出"): use the
    # national classification when the name is unambiguous
    from budgetqa.query.thesaurus import code_for_name
    for table in doc.tables:
        if not table.part:
            continue
        for row in table.rows:
            name = normalize_label(row.label)
            if row.code or not name or name in mapped or not name.endswith("支出"):
                continue
            codes = [c for c in code_for_name(name) if len(c) == 3]
            if len(codes) == 1 and codes[0] not in mapped.values():
                mapped[name] = codes[0]
    return mapped


def _entries(doc: ParsedDocument, doubtful: set[str]) -> dict[tuple, list[_Entry]]:
    """The comparable cells of every table we read with confidence (a table in parser doubt would
    make every item it shares look contradicted)."""
    any_other, fund_other = _other_funds_used(doc)
    label_codes = _label_codes(doc)
    out: dict[tuple, list[_Entry]] = {}
    for table in doc.tables:
        if table.empty or not table.rows or table.unit not in MONEY_UNITS or table.id in doubtful:
            continue
        roles = _column_roles(table)
        if not roles:
            continue
        direction = _direction(table)
        scope = _canonical_scope(_scope(table), any_other, fund_other)
        factor = MONEY_UNITS[table.unit]
        for row in table.rows:
            if row.code.isdigit():
                key = ("code", row.code)
            elif not row.code and normalize_label(row.label) in label_codes and (table.part or not any(
                    r.code for r in table.rows)):
                key = ("code", label_codes[normalize_label(row.label)])
            elif not row.code and row.label in _TOTAL_ROWS:
                key = ("total",)
            else:
                continue
            for col, role in roles.items():
                if key == ("total",) and role == "total":
                    continue  # 总计 may or may not include 结转结余: compare only the split columns
                cell = row.cell(col)
                if cell is None or cell.value is None:
                    continue
                out.setdefault((direction, key, role), []).append(_Entry(
                    table, row, col, cell.value * factor, half_step(cell.printed) * factor, scope))
    return out


def _ratio_is_unit_slip(a: Decimal, b: Decimal) -> bool:
    """One amount is the other printed in 元 where 万元 is declared (or the reverse)."""
    low, high = sorted((abs(a), abs(b)))
    return low > 0 and abs(high / low - MONEY_UNITS["万元"]) <= MONEY_UNITS["万元"] * Decimal("0.001")


def _disagreement(doc: ParsedDocument, items: list[_Entry], item_name: str, role_name: str) -> Finding | None:
    """One finding for one item printed with different amounts in several tables, every cell listed."""
    per_table: dict[str, _Entry] = {}
    for e in items:
        per_table.setdefault(e.table.id, e)
    entries = list(per_table.values())
    if len(entries) < 2:
        return None
    low = min(entries, key=lambda e: e.value_yuan)
    high = max(entries, key=lambda e: e.value_yuan)
    gap = high.value_yuan - low.value_yuan
    if gap == 0:
        return None
    unit = entries[0].table.unit
    cells = "；".join(f"《{e.table.title}》{e.row.cell(e.col).printed} {e.table.unit}（第{e.row.page or e.table.page or '?'}页）"
                     if e.row.page or e.table.page else f"《{e.table.title}》{e.row.cell(e.col).printed} {e.table.unit}"
                     for e in entries)
    evidence = [cell_evidence(doc, e.table, e.row, e.col) for e in entries]
    first = entries[0]
    if _ratio_is_unit_slip(low.value_yuan, high.value_yuan):
        return Finding(
            kind="mixed-units", severity=MEDIUM, page=first.row.page or first.table.page, line=first.row.line,
            doc=doc.meta.source, unit=unit, evidence=evidence,
            message=f"{item_name}（{role_name}）在各表中相差整一万倍：{cells}。")
    size = size_of(gap, high.value_yuan, 2 * max(low.half, high.half))
    return Finding(
        kind="table-vs-table", severity=SEVERITY_OF_SIZE[size], size=size,
        page=first.row.page or first.table.page, line=first.row.line, doc=doc.meta.source,
        unit=unit, difference=in_unit(gap, unit), evidence=evidence,
        message=(f"{item_name}（{role_name}）在 {len(entries)} 张表中金额不一致：{cells}；最大相差 "
                 f"{in_unit(gap, unit)} {unit}。" + ("（仅差最后一位，属四舍五入层面的不一致）" if size == ROUNDING else "")))


def _table_vs_table(doc: ParsedDocument, entries: dict[tuple, list[_Entry]]) -> list[Finding]:
    findings = []
    for (direction, key, role), items in entries.items():
        by_scope: dict[str, list[_Entry]] = {}
        for e in items:
            by_scope.setdefault(e.scope, []).append(e)
        for group in by_scope.values():
            first = group[0]
            labelled = next((e for e in group if e.row.code), first)
            item_name = f"{key[1]} {normalize_label(labelled.row.label)}" if key[0] == "code" else "合计行"
            finding = _disagreement(doc, group, item_name, "合计" if role == "total" else role)
            if finding:
                findings.append(finding)
    # economic item vs the function item that pays for the same thing (e.g. 30109 职业年金缴费 vs
    # 2080506 机关事业单位职业年金缴费支出), both as 基本支出
    for econ, functions in ECON_TO_FUNCTION.items():
        for e in entries.get(("支出", ("code", econ), "基本支出"), []):
            func = []
            for code in functions:
                func += [f for f in entries.get(("支出", ("code", code), "基本支出"), [])
                         + entries.get(("支出", ("code", code), "total"), [])
                         if f.scope == e.scope and f.table is not e.table]
            # prefer the 基本支出 column; use the total column only when the table has no 基本支出 column
            by_table: dict[str, _Entry] = {}
            for f in func:
                current = by_table.get(f.table.id)
                if current is None or (_column_roles(f.table).get(f.col) == "基本支出"):
                    by_table[f.table.id] = f
            for f in by_table.values():
                if _column_roles(f.table).get(f.col) == "total" and any(
                        r == "项目支出" for r in _column_roles(f.table).values()):
                    project = next(c for c, r in _column_roles(f.table).items() if r == "项目支出")
                    cell = f.row.cell(project)
                    if cell is not None and cell.value:
                        continue  # the total includes project money: not comparable
                finding = _disagreement(doc, [e, f], f"同一笔支出 {econ} {e.row.label} / {f.row.code} {f.row.label}",
                                        "基本支出")
                if finding:
                    findings.append(finding)
    return _one_per_unit_slip(doc, findings)


def _one_per_unit_slip(doc: ParsedDocument, findings: list[Finding]) -> list[Finding]:
    """A table whose declared unit is wrong makes every item it shares with other tables differ by
    10,000 times: one finding per such table, its items listed."""
    usual = document_unit(doc)
    slips: dict[str, list[Finding]] = {}
    kept = []
    for f in findings:
        odd = next((e["table"] for e in f.evidence if e["unit"] != usual), None) if f.kind == "mixed-units" else None
        if odd is None:
            kept.append(f)
        else:
            slips.setdefault(odd, []).append(f)
    for table, group in slips.items():
        unit = next(e["unit"] for e in group[0].evidence if e["table"] == table)
        kept.append(Finding(
            kind="mixed-units", severity=MEDIUM, page=group[0].page, line=group[0].line, doc=doc.meta.source,
            unit=usual, evidence=[e for f in group for e in f.evidence],
            message=(f"《{table}》标明单位为{unit}，但其中 {len(group)} 个项目与其他表（{usual}）的同一项目数字相同、"
                     f"金额相差整一万倍：该表的金额单位应是标错了。例如：" + group[0].message)))
    return kept


# -- narrative ------------------------------------------------------------------------------------

_MONEY = re.compile(r"(?<![0-9.,])(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?)\s*(?P<unit>亿元|万元|元)")
_CODED_ITEM = re.compile(
    r"(?P<label>[^、，。；（(]*)[（(](?P<lei>\d{3})类[）)][^（(]*[（(](?P<kuan>\d{2})款[）)](?P<name>[^（(]*)[（(](?P<xiang>\d{2})项[）)]\s*"
    r"(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?)\s*(?P<unit>万元|元)")
_NAMED_ITEM = re.compile(
    r"[“\"]?(?P<lei>[^“”\"、，。；（(]+)[（(]类[）)](?P<kuan>[^（(“”]+)[（(]款[）)](?P<xiang>[^（(“”]+)[（(]项[）)][”\"]?\s*"
    r"(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?)\s*(?P<unit>万元|元)")
_SENTENCE = re.compile(r"[^。；;！？\n]+[。；;！？]?")
_PLAN = re.compile(r"(?:预算安排|预算为|预算数为)\s*(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?)\s*(?P<unit>万元|元)")


def _table_values(entries, key) -> list[_Entry]:
    return [e for e in entries.get(("支出", key, "total"), [])]


def _compare_narrative(doc, entries, code: str, item: str, printed: str, unit: str, sentence: str,
                       page, line, findings: list[Finding], why: str) -> None:
    value = parse_number(printed)
    candidates = _table_values(entries, ("code", code))
    if value is None or not candidates:
        return
    stated = value * MONEY_UNITS[unit]
    half = half_step(printed) * MONEY_UNITS[unit]
    diffs = []
    for e in candidates:
        diff = abs(stated - e.value_yuan)
        if diff <= max(half, e.half):
            return  # some table agrees (the narrative rounds the table's figure)
        diffs.append((diff, e))
    diff, e = min(diffs, key=lambda x: x[0])
    size = size_of(diff, max(stated, e.value_yuan), 2 * max(half, e.half))
    shown = in_unit(e.value_yuan, unit)
    findings.append(Finding(
        kind="narrative-vs-table", severity=SEVERITY_OF_SIZE[size], size=size, page=page, line=line,
        doc=doc.meta.source, unit=unit, difference=in_unit(diff, unit),
        message=(f"说明文字{why}写 {item} {printed} {unit}，但《{e.table.title}》{e.row.code} {e.row.label}"
                 f"（{e.table.column_name(e.col)}）为 {e.row.cell(e.col).printed} {e.table.unit}"
                 f"（= {shown} {unit}），相差 {in_unit(diff, unit)} {unit}，文件自相矛盾。"),
        evidence=[sentence_evidence(doc, sentence, printed, unit, page, line),
                  cell_evidence(doc, e.table, e.row, e.col)]))


def _narrative_vs_table(doc: ParsedDocument, entries: dict[tuple, list[_Entry]]) -> list[Finding]:
    findings: list[Finding] = []
    label_codes = _label_codes(doc)
    row_labels: dict[str, set[str]] = {}
    for table in doc.tables:
        for row in table.rows:
            if row.code.isdigit():
                row_labels.setdefault(normalize_label(row.label), set()).add(row.code)
    label_to_code = {**{k: next(iter(v)) for k, v in row_labels.items() if len(v) == 1}, **label_codes}
    named_sets: dict[tuple[str, str, str], set[str]] = {}  # (类, 款, 项 names) -> 7-digit codes
    for table in doc.tables:
        names = {r.code: normalize_label(r.label) for r in table.rows if r.code.isdigit() and len(r.code) in (3, 5)}
        for r in table.rows:
            if r.code.isdigit() and len(r.code) == 7 and r.code[:3] in names and r.code[:5] in names:
                named_sets.setdefault((names[r.code[:3]], names[r.code[:5]], normalize_label(r.label)), set()).add(r.code)
    named = {k: next(iter(v)) for k, v in named_sets.items() if len(v) == 1}
    current_item: tuple[str, int] | None = None  # (code, section) of the last "N、…（项）X万元" item
    for sentence, page, line, section in sentences(doc):
        m = _CODED_ITEM.search(sentence)
        if m:
            code = m["lei"] + m["kuan"] + m["xiang"]
            current_item = (code, section)
            _compare_narrative(doc, entries, code, f"{code} {m['name'].strip() or m['label']}", m["num"], m["unit"],
                               sentence, page, line, findings, "")
            if "执行数" not in sentence:
                continue
        m = None if current_item and current_item[1] == section and _CODED_ITEM.search(sentence) else \
            _NAMED_ITEM.search(sentence)
        named_key = (normalize_label(m["lei"]), normalize_label(m["kuan"]), normalize_label(m["xiang"])) if m else None
        if m and named_key in named:
            code = named[named_key]
            current_item = (code, section)
            _compare_narrative(doc, entries, code, f"{code} {normalize_label(m['xiang'])}", m["num"], m["unit"],
                               sentence, page, line, findings, "")
            if "执行数" not in sentence:
                continue
        if current_item and current_item[1] == section and "执行数" in sentence:
            plan = _PLAN.search(sentence)
            if plan:
                _compare_narrative(doc, entries, current_item[0], f"（{current_item[0]} 项）本年预算安排",
                                   plan["num"], plan["unit"], sentence, page, line, findings, "在同一项目下")
            continue
        if current_item and (current_item[1] != section or _MONEY.search(sentence)):
            current_item = None
        for m in CODE_ITEM.finditer(sentence):
            code = m["code"]
            if not any(("支出", ("code", code), "total") == k for k in entries):
                continue
            name = normalize_label(m["name"])
            if name.endswith("支出支出"):
                name = name[:-2]
            _compare_narrative(doc, entries, code, f"{code} {name}", m["num"], m["unit"], sentence, page, line,
                               findings, "")
        if CODE_ITEM.search(sentence):
            continue
        for m in _MONEY.finditer(sentence):
            before = sentence[:m.start()]
            clause = re.split(r"[，,；;。：:、]", before)[-1]
            clause = re.sub(r"(为|是|达|共计|合计)$", "", normalize_label(clause.strip()))
            if clause in label_to_code and not re.search(r"增加|减少|增长|下降|执行数|上年|决算数", clause):
                _compare_narrative(doc, entries, label_to_code[clause], clause, m["num"], m["unit"], sentence,
                                   page, line, findings, "")
    return findings


# -- stated changes --------------------------------------------------------------------------------

_AMT = r"(?P<{0}>[0-9][0-9,]*(?:\.[0-9]+)?)\s*万元"
_CHANGE_PCT = re.compile(r"(?P<dir>增加|减少|增长|下降|降低)\s*(?P<pct>[0-9]+(?:\.[0-9]+)?)\s*[%％]")
_BASE_PLAN = re.compile(r"执行数(?:（决算数）|\(决算数\))?为?\s*" + _AMT.format("a") + r"[，,]\s*\d{4}\s*年预算安排\s*"
                        + _AMT.format("b") + r"[，,].{0,20}?(?P<dir>增加|减少|增长|下降|降低)\s*"
                        r"(?P<pct>[0-9]+(?:\.[0-9]+)?)\s*[%％]")
_DELTA = re.compile(_AMT.format("cur") + r"[^%％]{0,40}?(?:增加|减少)\s*" + _AMT.format("d").replace("(?P<d>", "(?P<d>")
                    + r"\s*[，,]\s*(?P<dir>增长|下降|降低|减少|增加)\s*(?P<pct>[0-9]+(?:\.[0-9]+)?)\s*[%％]")
_COMPLETION = re.compile(r"完成(?P<which>年初|全年)?预算(?:数)?的\s*(?P<pct>[0-9]+(?:\.[0-9]+)?)\s*[%％]")


# a stated rate this close (in percentage points) to what its figures give is a rounding slip; up
# to PCT_SMALL a small one
PCT_ROUNDING = Decimal("0.05")
PCT_SMALL = Decimal(1)


def _interval(printed: str) -> tuple[Decimal, Decimal]:
    value = parse_number(printed) or ZERO
    half = half_step(printed)
    return value - half, value + half


def _pct_finding(doc, sentence, page, line, stated: str, sign: int, low: Decimal, high: Decimal,
                 computed: Decimal, formula: str, printed: list[tuple[str, str]]) -> Finding | None:
    pct = parse_number(stated)
    if pct is None:
        return None
    s_low, s_high = _interval(stated)
    s_low, s_high = (s_low, s_high) if sign > 0 else (-s_high, -s_low)
    if s_high >= low and s_low <= high:
        return None
    shown = "+" if sign > 0 else "−"
    gap = min(abs(s_low - high), abs(s_high - low))  # percentage points between the two ranges
    size = ROUNDING if gap <= PCT_ROUNDING else SMALL if gap <= PCT_SMALL else LARGE
    return Finding(
        kind="stated-change", severity=SEVERITY_OF_SIZE[size], size=size, page=page, line=line,
        doc=doc.meta.source, unit="%", difference=fmt(gap.quantize(Decimal("0.01"))),
        message=(f"文中写 {shown}{stated}%，但按同一句中的数字计算 {formula} = {computed.quantize(Decimal('0.01'))}%"
                 f"（考虑四舍五入的范围为 {low.quantize(Decimal('0.01'))}% ～ {high.quantize(Decimal('0.01'))}%）。"),
        evidence=[sentence_evidence(doc, sentence, p, u, page, line) for p, u in printed])


def _stated_change(doc: ParsedDocument) -> list[Finding]:
    findings: list[Finding] = []
    hundred = Decimal(100)
    for sentence, page, line, _ in sentences(doc):
        compact = sentence.replace(" ", "")
        m = _BASE_PLAN.search(compact)
        if m:
            a_lo, a_hi = _interval(m["a"])
            b_lo, b_hi = _interval(m["b"])
            if a_lo > 0:
                sign = 1 if m["dir"] in ("增加", "增长") else -1
                computed = (parse_number(m["b"]) / parse_number(m["a"]) - 1) * hundred
                f = _pct_finding(doc, sentence, page, line, m["pct"], sign, (b_lo / a_hi - 1) * hundred,
                                 (b_hi / a_lo - 1) * hundred, computed, f"({m['b']} − {m['a']}) ÷ {m['a']}",
                                 [(m["a"], "万元"), (m["b"], "万元"), (m["pct"], "%")])
                if f:
                    findings.append(f)
            continue
        m = _DELTA.search(compact)
        if m:
            cur_lo, cur_hi = _interval(m["cur"])
            d_lo, d_hi = _interval(m["d"])
            decrease = "减少" in compact[m.start("cur"):m.start("d")][-6:]
            cur, d = parse_number(m["cur"]), parse_number(m["d"])
            base = cur + d if decrease else cur - d
            if base > 0 and d > 0 and cur_lo - d_hi > 0:
                sign = -1 if decrease else 1
                # |Δ| / base with base = cur ∓ Δ
                if decrease:
                    low, high = d_lo / (cur_hi + d_lo), d_hi / (cur_lo + d_hi)
                else:
                    low, high = d_lo / (cur_hi - d_lo), d_hi / (cur_lo - d_hi)
                low, high = (low * hundred, high * hundred) if sign > 0 else (-high * hundred, -low * hundred)
                computed = sign * d / base * hundred
                f = _pct_finding(doc, sentence, page, line, m["pct"], 1 if m["dir"] in ("增长", "增加") else -1,
                                 low, high, computed,
                                 f"{'−' if decrease else ''}{m['d']} ÷ ({m['cur']} {'+' if decrease else '−'} {m['d']})",
                                 [(m["cur"], "万元"), (m["d"], "万元"), (m["pct"], "%")])
                if f:
                    findings.append(f)
            continue
        m = _COMPLETION.search(compact)
        if m:
            which = m["which"] or ""
            base_m = re.search(rf"{which or ''}预算(?:数)?为\s*" + _AMT.format("base"), compact) if which else \
                re.search(r"(?:年初|全年)?预算(?:数)?为\s*" + _AMT.format("base"), compact)
            act_m = re.search(r"决算(?:数)?为\s*" + _AMT.format("act"), compact)
            if not base_m or not act_m:
                continue
            base, act = parse_number(base_m["base"]), parse_number(act_m["act"])
            stated = parse_number(m["pct"])
            if base == 0:
                if stated and act:
                    findings.append(Finding(
                        kind="stated-change", severity=HIGH, page=page, line=line, doc=doc.meta.source,
                        message=(f"文中写完成{which}预算的 {m['pct']}%，但同一句写{which}预算为 {base_m['base']} 万元："
                                 f"对 0 无法计算完成率。"),
                        evidence=[sentence_evidence(doc, sentence, base_m["base"], "万元", page, line),
                                  sentence_evidence(doc, sentence, act_m["act"], "万元", page, line),
                                  sentence_evidence(doc, sentence, m["pct"], "%", page, line)]))
                continue
            b_lo, b_hi = _interval(base_m["base"])
            a_lo, a_hi = _interval(act_m["act"])
            if b_lo <= 0:
                continue
            computed = act / base * hundred
            f = _pct_finding(doc, sentence, page, line, m["pct"], 1, a_lo / b_hi * hundred, a_hi / b_lo * hundred,
                             computed, f"{act_m['act']} ÷ {base_m['base']}",
                             [(base_m["base"], "万元"), (act_m["act"], "万元"), (m["pct"], "%")])
            if f:
                f.message = f.message.replace("文中写 +", "文中写完成率 ")
                findings.append(f)
    return findings


# -- entry point -----------------------------------------------------------------------------------

def audit_document(doc: ParsedDocument, facts: list[Fact] | None = None) -> list[Finding]:
    """All findings for one document, most severe first. `facts` is accepted for the contract;
    the audit works on the parsed document, whose sentences and cells the facts come from."""
    findings, doubtful = _cross_foot(doc)
    entries = _entries(doc, doubtful)
    findings += _table_vs_table(doc, entries) + _narrative_vs_table(doc, entries) + _stated_change(doc) + \
        structural_findings(doc)
    unique, seen = [], set()
    for f in findings:
        key = (f.kind, f.message)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return sorted(unique, key=lambda f: (SEVERITY_ORDER[f.severity], f.page or 0, f.line or 0))
