"""Arithmetic closure checks over any ParsedDocument (PDF or text).

Budget tables add up in known ways; every way we can recognise from structure (codes,
labels, header paths) becomes a Check:

- code hierarchy: a classification row equals the sum of its children by code prefix
  (类 = Σ款, 款 = Σ项 for function codes 3/5/7 digits; 301 = Σ301xx for economic codes);
- total rows: a 合计/总计 row equals the sum of the top-level rows it closes (3-digit
  codes, or "一、二、…" items), and a 总计 that follows a 合计 equals that 合计 plus the
  rows printed between them (年初结转和结余 …); an "一、" item followed by "1. 2. …" items
  equals their sum;
- within a row: a column whose header is 合计/小计/总计 (or ends in 合计) equals the sum of
  its sibling columns under the same header (合计 = 基本支出 + 项目支出; 基本支出 split in
  人员经费/公用经费 is summed through its leaves or its own 小计);
- side by side: the final total of a 收入 part equals the final total of its 支出 part.

Blank cells count as zero when at least one cell of the check holds a number. A check
that does not close is either an error printed in the document or a parser bug.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from budgetqa.model import standard
from budgetqa.model.document import ParsedDocument, Row, Table
from budgetqa.parse.vocabulary import (
    AR_ENUM,
    CN_ENUM,
    FINAL_TOTAL,
    GRAND_TOTAL,
    SANGONG_ITEM,
    SANGONG_TOTAL,
)

TOTAL_HEADER = re.compile(r"^(合计|小计|总计)$|合计$")
ZERO = Decimal(0)


@dataclass
class Check:
    doc: str  # source file name
    table_id: str
    table: str  # title (+ part)
    page: int | None
    kind: str  # "code" | "total" | "row" | "sides"
    description: str
    expected: Decimal  # what the arithmetic gives
    found: Decimal  # what the document prints
    closes: bool
    evidence: list[str] = field(default_factory=list)  # the cells used, "label [column] = printed (page)"

    @property
    def difference(self) -> Decimal:
        return self.found - self.expected


def _value(row: Row, col: int) -> Decimal | None:
    cell = row.cell(col)
    return cell.value if cell is not None else None


def _cite(table: Table, row: Row, col: int) -> str:
    cell = row.cell(col)
    name = f"{row.code} {row.label}".strip() or "(row)"
    printed = cell.printed if cell is not None else "(blank)"
    return f"{name} [{table.column_name(col)}] = {printed} (p{row.page})"


def _title(table: Table) -> str:
    return f"{table.title}（{table.part}）" if table.part else table.title


def _adds_up(table: Table, col: int) -> bool:
    """Amounts add up; rates of parts do not make the rate of their total, nor are 行次 numbers or
    counts (公务用车保有量（辆）) part of an amount."""
    column = table.column_name(col)
    return not (standard.RATE_COLUMN.search(column) or standard.ORDINAL_COLUMN.search(column)
                or standard.COUNT_COLUMN.search(column))


def _sum_check(doc: str, table: Table, kind: str, desc: str, total: Row, parts: list[Row], col: int) -> Check | None:
    if not _adds_up(table, col):
        return None
    found = _value(total, col)
    values = [_value(r, col) for r in parts]
    if found is None and all(v is None for v in values):
        return None
    expected = sum((v for v in values if v is not None), ZERO)
    found = found if found is not None else ZERO
    return Check(
        doc=doc, table_id=table.id, table=_title(table), page=total.page, kind=kind,
        description=f"{desc} [{table.column_name(col)}]", expected=expected, found=found,
        closes=expected == found,
        evidence=[_cite(table, total, col)] + [_cite(table, r, col) for r in parts],
    )


def _code_checks(doc: str, table: Table) -> list[Check]:
    checks: list[Check] = []
    coded = [r for r in table.rows if r.code.isdigit()]
    for i, parent in enumerate(coded):
        code = parent.code
        if len(code) < 3:
            continue
        # children: the next code level among rows sharing the prefix (3 -> 5 -> 7 digits)
        descendants = [r for r in coded if r is not parent and r.code.startswith(code) and len(r.code) > len(code)]
        if not descendants:
            continue
        level = min(len(r.code) for r in descendants)
        children = [r for r in descendants if len(r.code) == level]
        for col in range(len(table.columns)):
            check = _sum_check(doc, table, "code",
                               f"{code} {parent.label} = Σ {len(children)} 个下级科目", parent, children, col)
            if check:
                checks.append(check)
    return checks


CARRIED = re.compile(r"结转|结余")


def _is_total(row: Row) -> bool:
    return not row.code and bool(GRAND_TOTAL.search(row.label))


def _total_checks(doc: str, table: Table) -> list[Check]:
    checks: list[Check] = []
    rows = table.rows
    ncols = len(table.columns)
    has_codes = any(r.code.isdigit() for r in rows)
    total_idx = [i for i, r in enumerate(rows) if _is_total(r)]
    prev_total = -1
    for k, ti in enumerate(total_idx):
        total = rows[ti]
        span = rows[prev_total + 1: ti]
        if has_codes:
            top = [r for r in span if r.code.isdigit() and len(r.code) == 3]
            if not top and prev_total == -1:  # the 合计 row printed above its rows
                nxt = total_idx[k + 1] if k + 1 < len(total_idx) else len(rows)
                top = [r for r in rows[ti + 1: nxt] if r.code.isdigit() and len(r.code) == 3]
            if top:
                for col in range(ncols):
                    c = _sum_check(doc, table, "total", f"{total.label} = Σ {len(top)} 个类级科目", total, top, col)
                    if c:
                        checks.append(c)
        else:
            top = [r for r in span if CN_ENUM.match(r.label)]
            if prev_total >= 0 and not FINAL_TOTAL.search(rows[prev_total].label) or (
                prev_total >= 0 and FINAL_TOTAL.search(total.label)
            ):
                # 总计 = preceding 合计 + the unnumbered rows between (结转结余 …)
                extra = [r for r in span if not CN_ENUM.match(r.label) and not AR_ENUM.match(r.label)]
                parts = [rows[prev_total]] + extra
                for col in range(ncols):
                    c = _sum_check(doc, table, "total", f"{total.label} = {rows[prev_total].label} + "
                                   f"{len(extra)} following rows", total, parts, col)
                    if c:
                        checks.append(c)
            elif top:
                # a 总计 with no 本年合计 above it also adds the balances carried in, printed unnumbered
                extra = [r for r in span if FINAL_TOTAL.search(total.label) and not CN_ENUM.match(r.label)
                         and not AR_ENUM.match(r.label) and CARRIED.search(r.label)]
                for col in range(ncols):
                    c = _sum_check(doc, table, "total", f"{total.label} = Σ {len(top)} 个编号项"
                                   + (f" + {len(extra)} 个未编号行" if extra else ""), total, top + extra, col)
                    if c:
                        checks.append(c)
        prev_total = ti
    # an item followed by sub-items ("一、财政拨款收入" + "1. 一般公共预算资金" …, or an
    # unnumbered row such as 年初结转和结余 followed by "一、…" items after a total)
    if not has_codes:
        for i, row in enumerate(rows):
            if _is_total(row):
                continue
            if CN_ENUM.match(row.label):
                sub_re = AR_ENUM
            elif not AR_ENUM.match(row.label) and i > 0 and any(_is_total(r) for r in rows[:i]):
                sub_re = CN_ENUM
            else:
                continue
            subs = []
            for r in rows[i + 1:]:
                if sub_re.match(r.label):
                    subs.append(r)
                else:
                    break
            if not subs:
                continue
            for col in range(ncols):
                c = _sum_check(doc, table, "total", f"{row.label} = Σ {len(subs)} 个下级项", row, subs, col)
                if c:
                    checks.append(c)
    return checks


def _resolve(columns: list[tuple[str, ...]], prefix: tuple[str, ...], suffix: tuple[str, ...]) -> list[int] | None:
    """Columns that make up the node `prefix` for the leaf `suffix`: the node's own column,
    its 小计/合计 column, or (recursively) its children."""
    for i, path in enumerate(columns):
        if path == prefix + suffix:
            return [i]
    for i, path in enumerate(columns):
        if len(path) == len(prefix) + 1 + len(suffix) and path[: len(prefix)] == prefix and \
                TOTAL_HEADER.search(path[len(prefix)]) and path[len(prefix) + 1:] == suffix:
            return [i]
    names = []
    for path in columns:
        if len(path) > len(prefix) + len(suffix) and path[: len(prefix)] == prefix:
            name = path[len(prefix)]
            if name not in names:
                names.append(name)
    if not names:
        return None
    out: list[int] = []
    for name in names:
        sub = _resolve(columns, prefix + (name,), suffix)
        if sub is None:
            return None
        out.extend(sub)
    return out


# beside a total's parts, columns of other figures of the same rows: last year's, a change, a plan
_OTHER_FIGURES = standard.LAST_YEAR_MEASURES | {"增减", "增减率", "年初预算", "调整预算", "执行数"}


def _other_figure(header: str, phase: str) -> bool:
    """"上年预算数" beside "合计 / 基本支出 / 项目支出", or a column of codes: no part of the total."""
    return (standard.measure((header,), phase) in _OTHER_FIGURES or bool(standard.ORDINAL_COLUMN.search(header))
            or bool(standard.COUNT_COLUMN.search(header)) or bool(_SHARE_OF_WHOLE.search(header)))


# "授予中小企业合同金额" beside 货物 / 工程 / 服务: a share of the same total by another attribute
_SHARE_OF_WHOLE = re.compile(r"中小企业|小微企业")  # (a "其中：" over 基本支出 / 项目支出 heads the parts themselves)


def _row_checks(doc: str, table: Table) -> list[Check]:
    checks: list[Check] = []
    cols = table.columns
    for ti, path in enumerate(cols):
        for k, name in enumerate(path):
            if not TOTAL_HEADER.search(name):
                continue
            prefix, suffix = path[:k], path[k + 1:]
            siblings: list[str] = []
            for p in cols:
                if len(p) > k and p[:k] == prefix and p[k] != name and p[k] not in siblings:
                    siblings.append(p[k])
            if SANGONG_TOTAL.search(name):
                siblings = [sib for sib in siblings if SANGONG_ITEM.search(sib)]
            siblings = [sib for sib in siblings if not _other_figure(sib, table.phase)]
            if not siblings:
                continue
            parts: list[int] = []
            for s in siblings:
                sub = _resolve(cols, prefix + (s,), suffix)
                if sub is None:
                    parts = []
                    break
                parts.extend(sub)
            if not parts or ti in parts:
                continue
            for row in table.rows:
                found = _value(row, ti)
                values = [_value(row, c) for c in parts]
                if found is None and all(v is None for v in values):
                    continue
                expected = sum((v for v in values if v is not None), ZERO)
                found = found if found is not None else ZERO
                label = f"{row.code} {row.label}".strip() or "(row)"
                checks.append(Check(
                    doc=doc, table_id=table.id, table=_title(table), page=row.page, kind="row",
                    description=f"{label}: {table.column_name(ti)} = Σ {' + '.join(cols[c][-1] if not suffix else '/'.join(cols[c][k:]) for c in parts)}",
                    expected=expected, found=found, closes=expected == found,
                    evidence=[_cite(table, row, ti)] + [_cite(table, row, c) for c in parts],
                ))
            break  # one total word per column path
    return checks


def _final_total(table: Table) -> Row | None:
    totals = [r for r in table.rows if _is_total(r)]
    finals = [r for r in totals if FINAL_TOTAL.search(r.label)]
    return (finals or totals or [None])[-1]


def _side_checks(doc: str, tables: list[Table]) -> list[Check]:
    checks: list[Check] = []
    for i, inc in enumerate(tables):
        if inc.part != "收入":
            continue
        exp = next((t for t in tables[i + 1:] if t.part == "支出" and t.title == inc.title), None)
        if exp is None or not inc.columns or not exp.columns:
            continue
        a, b = _final_total(inc), _final_total(exp)
        ca = next((c for c in range(len(inc.columns)) if _adds_up(inc, c)), 0)
        cb = next((c for c in range(len(exp.columns)) if _adds_up(exp, c)), 0)
        if a is None or b is None:
            continue
        va, vb = _value(a, ca), _value(b, cb)
        if va is None and vb is None:
            continue
        va, vb = va or ZERO, vb or ZERO
        checks.append(Check(
            doc=doc, table_id=f"{inc.id}+{exp.id}", table=inc.title, page=b.page, kind="sides",
            description=f"{a.label}（收入） = {b.label}（支出）", expected=va, found=vb, closes=va == vb,
            evidence=[_cite(inc, a, ca), _cite(exp, b, cb)],
        ))
    return checks


def closure_checks(doc: ParsedDocument) -> list[Check]:
    name = doc.meta.source
    checks: list[Check] = []
    for table in doc.tables:
        if table.empty or not table.rows:
            continue
        checks.extend(_code_checks(name, table))
        checks.extend(_total_checks(name, table))
        checks.extend(_row_checks(name, table))
    checks.extend(_side_checks(name, doc.tables))
    return checks


def closure_summary(docs: list[ParsedDocument]) -> list[dict]:
    """Per document: number of checks, how many close, the share, and the failures."""
    out = []
    for doc in docs:
        checks = closure_checks(doc)
        closing = sum(1 for c in checks if c.closes)
        out.append({
            "doc": doc.meta.source,
            "doc_id": doc.meta.doc_id,
            "checks": len(checks),
            "closing": closing,
            "share": (closing / len(checks)) if checks else 1.0,
            "failures": [c for c in checks if not c.closes],
        })
    return out
