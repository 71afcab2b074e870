"""Consistency audit of one parsed document: every place where the document contradicts itself.

Kinds of finding
- "cross-foot": an arithmetic closure check that does not close (budgetqa.checks.closure);
- "table-vs-table": the same item (classification code, or a 类 named by its label, or the
  合计 row) in the same kind of column of two tables with different amounts;
- "narrative-vs-table": a sentence that ties an amount to a code or to an exact row label, and
  the tables print something else for it;
- "stated-change": a sentence whose stated growth / completion rate does not follow from the
  amounts stated in the same sentence (within the rounding of every printed figure);
- "structure": a table with no rows and no note saying why.

Severity: "high" when amounts differ by more than the rounding of the printed figures allows;
"low" when the difference is within that rounding (e.g. 4.24 vs 4.25 万元), or when a cell is
left blank where a total is expected; "medium" for structure problems.

The checks are deliberately conservative: an item is compared only when both sides clearly
mean the same thing (same code, same direction 收入/支出, compatible funding scope, the total /
基本支出 / 项目支出 / 人员经费 / 公用经费 column), so that clean documents raise no alarm.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from budgetqa.checks.closure import closure_checks
from budgetqa.facts import Fact
from budgetqa.model import MONEY_UNITS, ParsedDocument, Row, Table, parse_number

ZERO = Decimal(0)
HIGH, MEDIUM, LOW = "high", "medium", "low"
SEVERITY_ORDER = {HIGH: 0, MEDIUM: 1, LOW: 2}


@dataclass
class Finding:
    kind: str  # cross-foot | table-vs-table | narrative-vs-table | stated-change | structure
    severity: str  # high | medium | low
    page: int | None
    line: int | None
    message: str
    evidence: list[dict] = field(default_factory=list)
    doc: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


# -- helpers -----------------------------------------------------------------------------------

def _half_step(printed: str) -> Decimal:
    """Half a unit of the last printed digit: '4.25' -> 0.005, '12,604,173' -> 0.5."""
    text = printed.strip().rstrip("%％").replace(",", "").replace("，", "")
    decimals = len(text.split(".")[1]) if "." in text else 0
    return Decimal(5) / (Decimal(10) ** (decimals + 1))


def _fmt(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    return text


def _fmt_like(value: Decimal, printed: list[str]) -> str:
    """A computed amount written as the table writes its figures (thousands separators, decimals),
    so that it reads, and can be searched for, like the printed ones."""
    style = next((p for p in printed if p != "(blank)"), "")
    if not style:
        return _fmt(value)
    decimals = len(style.split(".")[1]) if "." in style else 0
    exact = value.quantize(Decimal(1).scaleb(-decimals)) if -value.as_tuple().exponent <= decimals else value
    return f"{exact:,}" if "," in style else f"{exact}"


def _cell_evidence(doc: ParsedDocument, table: Table, row: Row, col: int) -> dict:
    cell = row.cell(col)
    return {
        "doc": doc.meta.source, "table": table.title, "table_id": table.id, "part": table.part or None,
        "row": f"{row.code} {row.label}".strip(), "column": table.column_name(col) if col < len(table.columns) else "",
        "printed": cell.printed if cell is not None else "", "unit": table.unit,
        "page": row.page or table.page, "line": row.line,
    }


def _sentence_evidence(doc: ParsedDocument, sentence: str, printed: str, unit: str, page, line) -> dict:
    return {"doc": doc.meta.source, "table": None, "row": None, "column": None, "printed": printed,
            "unit": unit, "page": page, "line": line, "quote": sentence}


_CLOSURE_EVIDENCE = re.compile(r"^(?P<row>.*) \[(?P<column>.*)\] = (?P<printed>.*) \(p(?P<page>[^)]*)\)$")


# -- cross-foot ----------------------------------------------------------------------------------

def _cross_foot(doc: ParsedDocument) -> list[Finding]:
    tables = {t.id: t for t in doc.tables}
    findings = []
    for check in closure_checks(doc):
        if check.closes:
            continue
        table = tables.get(check.table_id.split("+")[0])
        unit = table.unit if table else ""
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
        tolerance = sum((_half_step(p) for p in numbers), ZERO)
        diff = abs(check.difference)
        if blank_total or blank_parts:
            severity = LOW
            note = "（涉及的单元格为空白，可能是留空而非数字错误）"
        elif diff <= tolerance:
            severity = LOW
            note = "（差额在各数字的四舍五入范围内）"
        else:
            severity = HIGH
            note = ""
        line = None
        if table is not None:
            line = next((r.line for r in table.rows if r.page == check.page and r.line), table.line)
        findings.append(Finding(
            kind="cross-foot", severity=severity, page=check.page, line=line, doc=doc.meta.source,
            message=(f"《{check.table}》{check.description}：各分项之和为 {_fmt_like(check.expected, printed)} {unit}，"
                     f"表中印的是 {_fmt_like(check.found, printed)} {unit}，"
                     f"相差 {_fmt_like(check.difference, printed)} {unit}。{note}"),
            evidence=evidence))
    return findings


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
    from budgetqa.thesaurus import code_for_name
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


def _entries(doc: ParsedDocument) -> dict[tuple, list[_Entry]]:
    any_other, fund_other = _other_funds_used(doc)
    label_codes = _label_codes(doc)
    out: dict[tuple, list[_Entry]] = {}
    for table in doc.tables:
        if table.empty or not table.rows or table.unit not in MONEY_UNITS:
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
                    table, row, col, cell.value * factor, _half_step(cell.printed) * factor, scope))
    return out


def _differ(a: Decimal, b: Decimal, tolerance: Decimal) -> str | None:
    diff = abs(a - b)
    if diff == 0:
        return None
    return LOW if diff <= tolerance + tolerance else HIGH


def _amount(value_yuan: Decimal, unit: str) -> str:
    return _fmt(value_yuan / MONEY_UNITS[unit])


def _table_vs_table(doc: ParsedDocument) -> list[Finding]:
    findings = []
    entries = _entries(doc)
    seen = set()
    for (direction, key, role), items in entries.items():
        for i, a in enumerate(items):
            for b in items[i + 1:]:
                if a.table is b.table or a.scope != b.scope:
                    continue
                severity = _differ(a.value_yuan, b.value_yuan, max(a.half, b.half))
                if severity is None:
                    continue
                pair = (a.table.id, b.table.id, key, role, a.row.label, b.row.label)
                if pair in seen:
                    continue
                seen.add(pair)
                item = a.row.code or b.row.code if key[0] == "code" else a.row.label
                item_name = f"{key[1]} {normalize_label(a.row.label) if a.row.code else normalize_label(b.row.label)}" \
                    if key[0] == "code" else "合计行"
                role_name = "合计" if role == "total" else role
                findings.append(Finding(
                    kind="table-vs-table", severity=severity, page=a.row.page or a.table.page,
                    line=a.row.line, doc=doc.meta.source,
                    message=(f"{item_name}（{role_name}）在《{a.table.title}》中为 {a.row.cell(a.col).printed} {a.table.unit}，"
                             f"在《{b.table.title}》中为 {b.row.cell(b.col).printed} {b.table.unit}，"
                             f"相差 {_amount(abs(a.value_yuan - b.value_yuan), '元')} 元。"
                             + ("（仅差最后一位，属四舍五入层面的不一致）" if severity == LOW else "")),
                    evidence=[_cell_evidence(doc, a.table, a.row, a.col), _cell_evidence(doc, b.table, b.row, b.col)]))
                del item
    # economic item vs the function item that pays for the same thing (e.g. 30109 职业年金缴费 vs
    # 2080506 机关事业单位职业年金缴费支出), both as 基本支出
    for econ, functions in ECON_TO_FUNCTION.items():
        econ_items = [e for e in entries.get(("支出", ("code", econ), "基本支出"), [])]
        for e in econ_items:
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
                severity = _differ(e.value_yuan, f.value_yuan, max(e.half, f.half))
                if severity is None:
                    continue
                findings.append(Finding(
                    kind="table-vs-table", severity=severity, page=e.row.page or e.table.page, line=e.row.line,
                    doc=doc.meta.source,
                    message=(f"同一笔支出在两张表中金额不同：《{e.table.title}》{econ} {e.row.label} 为 "
                             f"{e.row.cell(e.col).printed} {e.table.unit}，《{f.table.title}》{f.row.code} {f.row.label} 为 "
                             f"{f.row.cell(f.col).printed} {f.table.unit}，相差 {_amount(abs(e.value_yuan - f.value_yuan), '元')} 元。"
                             + ("（仅差最后一位，属四舍五入层面的不一致）" if severity == LOW else "")),
                    evidence=[_cell_evidence(doc, e.table, e.row, e.col), _cell_evidence(doc, f.table, f.row, f.col)]))
    return findings


# -- narrative ------------------------------------------------------------------------------------

_MONEY = re.compile(r"(?<![0-9.,])(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?)\s*(?P<unit>亿元|万元|元)")
_CODED_ITEM = re.compile(
    r"(?P<label>[^、，。；（(]*)[（(](?P<lei>\d{3})类[）)][^（(]*[（(](?P<kuan>\d{2})款[）)](?P<name>[^（(]*)[（(](?P<xiang>\d{2})项[）)]\s*"
    r"(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?)\s*(?P<unit>万元|元)")
_NAMED_ITEM = re.compile(
    r"[“\"]?(?P<lei>[^“”\"、，。；（(]+)[（(]类[）)](?P<kuan>[^（(“”]+)[（(]款[）)](?P<xiang>[^（(“”]+)[（(]项[）)][”\"]?\s*"
    r"(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?)\s*(?P<unit>万元|元)")
_CODE_ITEM = re.compile(r"(?<!\d)(?P<code>\d{3}|\d{5}|\d{7})\s*[-—－:：]?\s*(?P<name>[\u4e00-\u9fff（）()]+?)\s*"
                        r"(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?)\s*(?P<unit>万元|元)")
_SENTENCE = re.compile(r"[^。；;！？\n]+[。；;！？]?")
_PLAN = re.compile(r"(?:预算安排|预算为|预算数为)\s*(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?)\s*(?P<unit>万元|元)")


def _sentences(doc: ParsedDocument):
    """(sentence, page, line, section index) for every sentence of the narrative."""
    for index, section in enumerate(doc.sections):
        line = section.line
        for piece in re.split(r"(?<=[。；;！？\n])", section.text):
            sentence = re.sub(r"\s*\n\s*", "", piece).strip()
            if sentence:
                yield sentence, section.page, line, index
            if line is not None:
                line += piece.count("\n")


def _table_values(entries, key) -> list[_Entry]:
    return [e for e in entries.get(("支出", key, "total"), [])]


def _compare_narrative(doc, entries, code: str, item: str, printed: str, unit: str, sentence: str,
                       page, line, findings: list[Finding], why: str) -> None:
    value = parse_number(printed)
    candidates = _table_values(entries, ("code", code))
    if value is None or not candidates:
        return
    stated = value * MONEY_UNITS[unit]
    half = _half_step(printed) * MONEY_UNITS[unit]
    diffs = []
    for e in candidates:
        diff = abs(stated - e.value_yuan)
        if diff <= max(half, e.half):
            return  # some table agrees (the narrative rounds the table's figure)
        diffs.append((diff, e))
    diff, e = min(diffs, key=lambda x: x[0])
    severity = LOW if diff <= 2 * max(half, e.half) else HIGH
    shown = _amount(e.value_yuan, unit)
    findings.append(Finding(
        kind="narrative-vs-table", severity=severity, page=page, line=line, doc=doc.meta.source,
        message=(f"说明文字{why}写 {item} {printed} {unit}，但《{e.table.title}》{e.row.code} {e.row.label}"
                 f"（{e.table.column_name(e.col)}）为 {e.row.cell(e.col).printed} {e.table.unit}"
                 f"（= {shown} {unit}），文件自相矛盾。"),
        evidence=[_sentence_evidence(doc, sentence, printed, unit, page, line),
                  _cell_evidence(doc, e.table, e.row, e.col)]))


def _narrative_vs_table(doc: ParsedDocument) -> list[Finding]:
    findings: list[Finding] = []
    entries = _entries(doc)
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
    for sentence, page, line, section in _sentences(doc):
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
        for m in _CODE_ITEM.finditer(sentence):
            code = m["code"]
            if not any(("支出", ("code", code), "total") == k for k in entries):
                continue
            name = normalize_label(m["name"])
            if name.endswith("支出支出"):
                name = name[:-2]
            _compare_narrative(doc, entries, code, f"{code} {name}", m["num"], m["unit"], sentence, page, line,
                               findings, "")
        if _CODE_ITEM.search(sentence):
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


def _interval(printed: str) -> tuple[Decimal, Decimal]:
    value = parse_number(printed) or ZERO
    half = _half_step(printed)
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
    return Finding(
        kind="stated-change", severity=HIGH, page=page, line=line, doc=doc.meta.source,
        message=(f"文中写 {shown}{stated}%，但按同一句中的数字计算 {formula} = {computed.quantize(Decimal('0.01'))}%"
                 f"（考虑四舍五入的范围为 {low.quantize(Decimal('0.01'))}% ～ {high.quantize(Decimal('0.01'))}%）。"),
        evidence=[_sentence_evidence(doc, sentence, p, u, page, line) for p, u in printed])


def _stated_change(doc: ParsedDocument) -> list[Finding]:
    findings: list[Finding] = []
    hundred = Decimal(100)
    for sentence, page, line, _ in _sentences(doc):
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
                        evidence=[_sentence_evidence(doc, sentence, base_m["base"], "万元", page, line),
                                  _sentence_evidence(doc, sentence, act_m["act"], "万元", page, line),
                                  _sentence_evidence(doc, sentence, m["pct"], "%", page, line)]))
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


# -- structure -------------------------------------------------------------------------------------

def _structure(doc: ParsedDocument) -> list[Finding]:
    findings = []
    for table in doc.tables:
        if not table.rows and not table.notes:
            findings.append(Finding(
                kind="structure", severity=MEDIUM, page=table.page, line=table.line, doc=doc.meta.source,
                message=f"《{table.title}》没有任何数据行，也没有说明为何为空（如“本单位无此项支出”）。",
                evidence=[{"doc": doc.meta.source, "table": table.title, "table_id": table.id, "row": None,
                           "column": None, "printed": "", "unit": table.unit, "page": table.page,
                           "line": table.line}]))
    return findings


# -- entry point -----------------------------------------------------------------------------------

def audit_document(doc: ParsedDocument, facts: list[Fact] | None = None) -> list[Finding]:
    """All findings for one document, most severe first. `facts` is accepted for the contract;
    the audit works on the parsed document, whose sentences and cells the facts come from."""
    findings = _cross_foot(doc) + _table_vs_table(doc) + _narrative_vs_table(doc) + _stated_change(doc) + \
        _structure(doc)
    unique, seen = [], set()
    for f in findings:
        key = (f.kind, f.message)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return sorted(unique, key=lambda f: (SEVERITY_ORDER[f.severity], f.page or 0, f.line or 0))
