"""Forms printed as ruled grids: one project (or unit) per grid, keys beside their values.

A 项目支出绩效目标表 prints each project as a form — 项目名称 | name, 年度资金总额 | amount,
年度绩效目标 | text, then indicator rows (一级指标 | 二级指标 | 三级指标 | 指标值) — not as a table
of rows under column headers. Read as a table, its first project's values would become
column headers. A form becomes one row of its table, named by the form's name, with an
amount per key (年度资金总额, 其中：财政拨款 …); its text rows become narrative lines under
the name, so a printed target ("≥120个") is cited with the project and indicator it belongs to.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from budgetqa.model.document import Cell, Row, Table, parse_number
from budgetqa.parse.pdf_grid import Grid
from budgetqa.parse.pdf_tables import LogicalTable

# the first row of a form names what it is about: 项目名称 | 公共法律服务体系建设
FORM_KEY = re.compile(r"^(?:项目|单位|部门)(?:名称|全称)$")
# keys only a form prints beside their values (a performance-target form's)
FORM_WORDS = re.compile(r"^(?:实施单位|主管部门|年度资金总额|资金总额|年度绩效目标|绩效目标|一级指标|二级指标|三级指标|指标值)$")


@dataclass
class Form:
    name: str  # the value beside the form's first key
    amounts: list[tuple[str, str]] = field(default_factory=list)  # (key, printed amount)
    implementer: str = ""  # the value beside 实施单位: in a department's forms, which of its units
    lines: list[str] = field(default_factory=list)  # each text row, its cells joined by " | "


def is_form(grid: Grid, start: int = 0) -> bool:
    """The grid's first row from `start` (below a title printed inside the grid) is a key and its
    value, with no amount, and its keys are a form's (实施单位, 年度资金总额, 绩效指标 …) or the page
    ends after it (the form goes on overleaf): a form, not a table whose header starts 项目名称 | 金额."""
    rows = _text_rows(grid, start)
    if not rows:
        return False
    first = rows[0]
    return (len(first) == 2 and bool(FORM_KEY.match(first[0])) and parse_number(first[1]) is None
            and (len(rows) == 1 or _has_form_words(rows)))


def continues_form(grid: Grid, start: int = 0) -> bool:
    """The grid goes on with a form the previous page cut after its name: its first row is the rest
    of the name ("…补助资" | "金"), the form's keys follow."""
    rows = _text_rows(grid, start)
    return (len(rows) > 1 and len(rows[0]) == 1 and parse_number(rows[0][0]) is None
            and not FORM_WORDS.match(rows[0][0]) and _has_form_words(rows))


def read_form(grid: Grid, start: int = 0, cut_name: str = "") -> Form:
    """A form's name, its amounts (the key printed just before each) and its text rows, from row
    `start`; `cut_name` is the part of the name the previous page printed (continues_form)."""
    rows = _text_rows(grid, start)
    if cut_name:
        rows[0] = ["项目名称", cut_name + rows[0][0]]
    form = Form(name=rows[0][1])
    form.implementer = next((texts[k + 1] for texts in rows for k, t in enumerate(texts[:-1]) if t == "实施单位"), "")
    # an indicator line names the unit that carries it out: a question about that unit finds it
    carried_by = [f"实施单位：{form.implementer}"] if form.implementer else []
    header: list[str] = []  # the column names of the indicator rows below them
    for texts in rows:
        if len(texts) >= 2 and parse_number(texts[-1]) is not None and parse_number(texts[-2]) is None:
            form.amounts.append((texts[-2], texts[-1]))
        elif len(texts) >= 3 and all(_HEADER.search(t) for t in texts):
            header = texts
        elif header and len(texts) == len(header):  # each value beside its column's name: 指标值：≥120个
            form.lines.append(" | ".join([form.name, *(f"{h}：{t}" for h, t in zip(header, texts)), *carried_by]))
        else:
            header = []
            form.lines.append(" | ".join(texts if texts is rows[0] else [form.name, *texts]))
    return form


def _text_rows(grid: Grid, start: int) -> list[list[str]]:
    rows = [[c.text for c in grid.anchored(r) if c.text] for r in range(start, grid.nrows)]
    return [r for r in rows if r]


def _has_form_words(rows: list[list[str]]) -> bool:
    return any(FORM_WORDS.search(t) for r in rows for t in r)


_HEADER = re.compile(r"指标$|值$")  # 一级指标 | 二级指标 | 三级指标 | 指标值 (年度指标值, 实际完成值)


def form_table(title: str, unit: str, page: int) -> LogicalTable:
    """The table a run of forms fills, one row per form."""
    return LogicalTable(title=title, unit=unit, specs=[], tables=[Table(id="", title=title, unit=unit, columns=[], rows=[],
                                                                         page=page, pages=[page])], seg_table={0: 0})


def cut_name(lt: LogicalTable) -> str:
    """The name of the table's last form when the page cut it before any amount, else ""."""
    rows = lt.seg_rows.get(0) or []
    return rows[-1].label if rows and not rows[-1].cells else ""


def add_form(lt: LogicalTable, form: Form, page: int, cut: bool = False) -> None:
    """The form as a row of its table: a cell per amount, in the column of its key; a form the
    previous page `cut` replaces the row of its first part."""
    table = lt.tables[0]
    if cut:
        lt.seg_rows[0].pop()
    cells = []
    for key, printed in form.amounts:
        if (key,) not in table.columns:
            table.columns.append((key,))
        cells.append(Cell(column=table.columns.index((key,)), printed=printed, value=parse_number(printed)))
    lt.seg_rows.setdefault(0, []).append(Row(code="", label=form.name, cells=cells, page=page, owner=form.implementer))
    lt.has_values = lt.has_values or bool(cells)
    table.pages = sorted({*table.pages, page})
