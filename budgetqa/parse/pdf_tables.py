"""Interpret ruled grids as budget tables: column roles, header paths, rows, continuations.

Everything here is driven by structure, never by a unit's or a file's name:
- a column is a *code* column (类/款/项, 科目编码 …), a *label* column (项目, 科目名称 …) or a
  *value* column, decided from its header words and from what its body cells hold;
- a table whose columns form several [code…, label, value…] segments stands side by side
  (收入 | 支出): segments whose spanning header says 收入/支出 become separate tables with
  `part`; other segments (an economic classification printed in two columns) are one table;
- header rows end at the first row with body evidence (a number, a classification code, a
  row label); each value column's header path is the chain of header cells above it;
- body cells are placed by x-position against the column boundaries of the table's first
  page, so pages that continue a table (with or without a repeated header) and rows whose
  empty cells are not drawn land in the right column.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from budgetqa.model.document import BLANK_MARKS, Cell, Row, Table, parse_number
from budgetqa.parse import vocabulary
from budgetqa.parse.pdf_grid import GCell, Grid

CODE_RE = re.compile(r"^\d{2,7}$")
CJK_RE = re.compile(r"[\u4e00-\u9fff]")
LABEL_KW = re.compile(r"^(项目|科目|.*名称|摘要|内容|收入项目|支出项目)$")
# a label column naming whose row it is (单位名称 beside 项目名称): the row's owner, not its item
OWNER_KW = re.compile(r"^(?:预算)?(?:单位|部门)(?:名称)?$")
CODE_KW = re.compile(r"^(类|款|项|.*编码|.*代码|.*编号)$")
# a text column saying what kind of row it is (采购类别 货物/服务, 项目类型): no part of the row's name
NOTE_KW = re.compile(r"^(?:采购|项目|支出|资金|单位)?(?:类别|类型|方式|性质)$|^备注$|^计量单位$")
COUNT_UNIT_KW = re.compile(r"^计量单位$")  # the unit a row's 数量 counts in
HEADER_WORD = re.compile(r"^(项目|科目|.*名称|.*编码|.*代码|类|款|项|.*分类|序号|备注|摘要|科目编码)$")
EMPTY_NOTE = vocabulary.EMPTY_NOTE
TOTAL_RE = vocabulary.TOTAL_LABEL
ENUM_RE = vocabulary.ENUMERATOR
ELLIPSIS_RE = re.compile(r"^[…\.。·\s]*$")


def is_decimal_number(text: str) -> bool:
    return parse_number(text) is not None and ("," in text or "." in text or "，" in text)


def is_number(text: str) -> bool:
    return parse_number(text) is not None


def has_cjk(text: str) -> bool:
    return bool(CJK_RE.search(text))


@dataclass
class ColSpec:
    x0: float
    x1: float
    role: str  # "code" | "label" | "value"
    seg: int = 0
    owner: bool = False  # a 单位名称 column beside another label column
    count_unit: bool = False  # a 计量单位 column: the unit of the row's 数量
    path: tuple[str, ...] = ()
    out: int = -1  # index into its output table's columns (value columns)

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class LogicalTable:
    """One printed table, possibly over several pages, possibly split into parts."""

    title: str
    unit: str
    specs: list[ColSpec]
    tables: list[Table]  # one per part (side-by-side) or a single one
    seg_table: dict[int, int]  # segment -> index into tables
    seg_rows: dict[int, list[Row]] = field(default_factory=dict)
    right: float = 0.0
    left: float = 0.0
    has_values: bool = False
    cut_row: bool = False  # the last row read so far was cut by a page break: the next page begins with its rest

    def finish(self) -> None:
        for table in self.tables:
            table.rows = []
        for seg in sorted(self.seg_rows):
            self.tables[self.seg_table[seg]].rows.extend(self.seg_rows[seg])


# --------------------------------------------------------------------------- helpers


def _covered_specs(specs: list[ColSpec], x0: float, x1: float) -> list[int]:
    """Indices of the spec columns whose centre lies inside [x0, x1]."""
    hit = [i for i, s in enumerate(specs) if x0 - 1 <= s.cx <= x1 + 1]
    if not hit:  # a narrow cell: the spec column containing its centre
        cx = (x0 + x1) / 2
        hit = [i for i, s in enumerate(specs) if s.x0 - 1 <= cx <= s.x1 + 1][:1]
    return hit


def _cell_role(specs: list[ColSpec], cell: GCell) -> tuple[str, list[int]]:
    idx = _covered_specs(specs, cell.x0, cell.x1)
    roles = {specs[i].role for i in idx}
    if not idx:
        return "none", idx
    if roles == {"code"}:
        return "code", idx
    if roles == {"note"}:
        return "note", idx
    if "value" in roles and (len(roles) > 1 or len(idx) > 1):
        return "span", idx  # covers value columns and more: header-ish
    if "label" in roles:
        return "label", idx
    return "value", idx


def _pre_rows(grid: Grid) -> tuple[int, list[str]]:
    """Leading rows inside the grid that hold the title / 编制单位 / 单位 lines, or nothing."""
    texts: list[str] = []
    row = 0
    while row < grid.nrows:
        cells = [c for c in grid.anchored(row) if c.text]
        if not cells:
            row += 1
            continue
        pieces = [piece for c in cells for piece in vocabulary.split_meta(c.text)]
        if all(_is_title_text(piece) or _is_meta_text(piece) for piece in pieces):
            texts.extend(pieces)
            row += 1
            continue
        break
    return row, texts




def _is_title_text(text: str) -> bool:
    return vocabulary.is_title(text) or vocabulary.is_table_number(text)


def _is_meta_text(text: str) -> bool:
    return vocabulary.is_meta_line(text)


# --------------------------------------------------------------------------- new tables


def specs_from_grid(grid: Grid, start: int) -> tuple[list[ColSpec], int, list[str]]:
    """Column roles for a grid that starts a table. Returns specs, header_end, warnings."""
    ncols = grid.ncols
    # rows of the header keyword zone: up to the first row with a number in a 1-column cell
    kw_end = grid.nrows
    for r in range(start, grid.nrows):
        if any(c.c1 - c.c0 == 1 and is_number(c.text) for c in grid.anchored(r)):
            kw_end = r
            break
    kw_role: list[str | None] = [None] * ncols
    owner_kw = [False] * ncols
    count_unit = [False] * ncols
    for c in range(ncols):
        seen = []
        for r in range(start, kw_end):
            cell = grid.at.get((r, c))
            if cell is None or cell in seen:
                continue
            seen.append(cell)
            if LABEL_KW.match(cell.text) or OWNER_KW.match(cell.text):
                kw_role[c] = "label"
                owner_kw[c] = bool(OWNER_KW.match(cell.text)) and cell.c1 - cell.c0 == 1
            elif (NOTE_KW.match(cell.text) or (c == 0 and vocabulary.ROW_NUMBER_HEADER.match(cell.text))) \
                    and cell.c1 - cell.c0 == 1:  # a leading 序号 column numbers the rows: no figures, no segment
                kw_role[c] = "note"
                count_unit[c] = bool(COUNT_UNIT_KW.match(cell.text))
            elif CODE_KW.match(cell.text):
                kw_role[c] = "code"
    n_dec = [0] * ncols
    n_code = [0] * ncols
    n_cjk = [0] * ncols
    n_num = [0] * ncols
    for cell in grid.cells:
        if cell.r0 < kw_end or cell.c1 - cell.c0 != 1 or not cell.text:
            continue
        t = cell.text
        c = cell.c0
        if is_decimal_number(t):
            n_dec[c] += 1
        elif CODE_RE.match(t):
            n_code[c] += 1
        elif is_number(t):
            n_num[c] += 1
        elif has_cjk(t) and t not in BLANK_MARKS and not HEADER_WORD.match(t):
            n_cjk[c] += 1
    roles: list[str] = [""] * ncols
    for c in range(ncols):
        if kw_role[c] == "note" and n_dec[c] == 0:
            roles[c] = "note"
        elif n_dec[c] > 0:
            roles[c] = "value"
        elif kw_role[c] == "label" or (kw_role[c] is None and n_cjk[c] > 0 and n_cjk[c] >= n_code[c] + n_num[c]):
            roles[c] = "label"
    for c in range(ncols):
        if roles[c]:
            continue
        codeish = kw_role[c] == "code" or (n_code[c] > 0 and n_cjk[c] == 0 and n_num[c] == 0)
        if codeish:
            # a code column stands left of a label column, with no value column between
            for d in range(c + 1, ncols):
                if roles[d] == "label":
                    roles[c] = "code"
                    break
                if roles[d] == "value":
                    break
        if not roles[c]:
            roles[c] = "value"
    specs: list[ColSpec] = []
    seg = 0
    for c in range(ncols):
        if c > 0 and roles[c] in ("code", "label") and roles[c - 1] == "value":
            seg += 1
        specs.append(ColSpec(grid.xs[c], grid.xs[c + 1], roles[c], seg))
    for c, spec in enumerate(specs):
        spec.owner = owner_kw[c] and roles[c] == "label" and any(
            o.role == "label" and o.seg == spec.seg and not owner_kw[d] for d, o in enumerate(specs))
        spec.count_unit = count_unit[c] and roles[c] == "note"
    header_end = find_header_end(grid, specs, start)
    return specs, header_end, []


def find_header_end(grid: Grid, specs: list[ColSpec], start: int) -> int:
    """First row (>= start) that carries body evidence; grid.nrows when there is none."""
    for r in range(start, grid.nrows):
        value_header = False
        strong = False
        weak = False
        for cell in grid.anchored(r):
            t = cell.text
            if not t:
                continue
            role, _ = _cell_role(specs, cell)
            if role in ("value", "span"):
                if is_number(t):
                    strong = strong or role == "value"
                elif t not in BLANK_MARKS:
                    value_header = True
            elif role in ("code", "label"):
                if CODE_RE.match(t) or t in BLANK_MARKS:
                    strong = True
                elif role == "label" and not HEADER_WORD.match(t) and not ELLIPSIS_RE.match(t):
                    if TOTAL_RE.search(t) or ENUM_RE.match(t) or t in BLANK_MARKS:
                        strong = True
                    else:
                        weak = True
        if strong or (weak and not value_header):
            return r
    return grid.nrows


def header_paths(grid: Grid, specs: list[ColSpec], start: int, end: int) -> None:
    """Fill ColSpec.path for value columns from the header cells above (and in) row `end`."""
    last = min(end, grid.nrows - 1)
    for i, spec in enumerate(specs):
        if spec.role != "value":
            continue
        path: list[str] = []
        seen: list[GCell] = []
        for r in range(start, last + 1):
            for cell in grid.cells:
                if cell.r0 != r or cell in seen:
                    continue
                if i not in _covered_specs(specs, cell.x0, cell.x1):
                    continue
                seen.append(cell)
                t = cell.text
                if not t or is_number(t) or t in BLANK_MARKS:
                    continue
                if r == end and not (_cell_role(specs, cell)[0] in ("value", "span")):
                    continue
                if not path or path[-1] != t:
                    path.append(t)
        spec.path = tuple(path)


def part_names(grid: Grid, specs: list[ColSpec], start: int, end: int) -> dict[int, str]:
    """Segment -> '收入' / '支出' from the header cell spanning the whole segment."""
    segs = sorted({s.seg for s in specs})
    names: dict[int, str] = {}
    for seg in segs:
        idx = [i for i, s in enumerate(specs) if s.seg == seg]
        for r in range(start, min(end + 1, grid.nrows)):
            for cell in grid.anchored(r):
                cov = _covered_specs(specs, cell.x0, cell.x1)
                if set(idx) <= set(cov) and cell.text:
                    if "收入" in cell.text and "支出" not in cell.text:
                        names[seg] = "收入"
                    elif "支出" in cell.text and "收入" not in cell.text:
                        names[seg] = "支出"
            if seg in names:
                break
    return names


# --------------------------------------------------------------------------- rows


def grid_rows(
    grid: Grid, lt: LogicalTable, start: int, page: int, warnings: list[str]
) -> None:
    """Append the body rows of `grid` (from row `start`) to the logical table."""
    specs = lt.specs
    segs = sorted({s.seg for s in specs})
    first = start
    for r in range(start, grid.nrows):
        cells = [c for c in grid.anchored(r) if c.text]
        if not cells:
            continue
        per_seg: dict[int, dict] = {seg: {"code": [], "label": [], "owner": [], "values": {}, "count_unit": ""} for seg in segs}
        for cell in cells:
            role, idx = _cell_role(specs, cell)
            if role == "note":
                if any(specs[i].count_unit for i in idx):
                    per_seg[specs[idx[0]].seg]["count_unit"] = cell.text
                continue
            if role == "none":
                warnings.append(f"page {page}: text '{cell.text}' outside the columns of table '{lt.title}'")
                continue
            seg = specs[idx[0]].seg
            slot = per_seg[seg]
            if role == "code":
                slot["code"].append(cell.text)
            elif role == "label":
                slot["owner" if all(specs[i].owner for i in idx) else "label"].append(cell.text)
            else:
                if r == first and not is_number(cell.text) and cell.text not in BLANK_MARKS:
                    continue  # header text sharing the first body row (a mixed row)
                vidx = [i for i in idx if specs[i].role == "value"]
                if len(vidx) > 1:
                    warnings.append(
                        f"page {page}: cell '{cell.text}' spans {len(vidx)} value columns of table "
                        f"'{lt.title}'; placed in the first"
                    )
                slot["values"][vidx[0]] = cell.text
        for seg in segs:
            slot = per_seg[seg]
            codes = [t for t in slot["code"] if t.isdigit() and len(t) <= 7]
            other_code = [t for t in slot["code"] if not t.isdigit() and not HEADER_WORD.match(t)]
            for k in range(1, len(codes)):
                if len(codes[k]) == 1:  # 款/项 printed without its leading zero ("301 | 2")
                    warnings.append(
                        f"page {page}: table '{lt.title}' code part '{codes[k]}' after '{''.join(codes[:k])}' "
                        f"read as '0{codes[k]}'"
                    )
                    codes[k] = "0" + codes[k]
            code = "".join(codes)
            label = "".join(slot["label"] + other_code)
            if not code:
                m = re.match(r"^(\d{3}(?:\d{2}){0,2})(?=[\u4e00-\u9fff])(?!年)", label)  # "2025年预算数" is no code
                if m:
                    code, label = m.group(1), label[m.end():]
                elif CODE_RE.match(label):
                    code, label = label, ""
            if HEADER_WORD.match(label) and not slot["values"]:
                continue  # a repeated header fragment
            if vocabulary.ROW_NUMBER_LABEL.match(label) and not code:
                continue  # the 栏次 row numbers the columns: positions, not amounts
            values = slot["values"]
            if not code and not label and not values:
                continue
            rows = lt.seg_rows.get(seg, [])
            if r == first and rows and not code and not values and (lt.cut_row or _rest_of_label(label, rows[-1])):
                rows[-1].label += label  # "甲区退" | "役军人服务中心": one name cut by the page break
                rows[-1].owner += "".join(slot["owner"])
                continue
            if not values and (ELLIPSIS_RE.match(label) and not code):
                continue
            if label in BLANK_MARKS and not code and not values:
                tables = lt.tables[lt.seg_table[seg]]
                tables.notes.append(label)
                continue
            row_cells = []
            for i, text in sorted(values.items()):
                value = parse_number(text)
                if value is not None:
                    lt.has_values = True
                elif text not in BLANK_MARKS:
                    warnings.append(
                        f"page {page}: table '{lt.title}' row '{code or label}' has non-numeric cell '{text}'"
                    )
                row_cells.append(Cell(column=specs[i].out, printed=text, value=value))
            lt.seg_rows.setdefault(seg, []).append(Row(code=code, label=label, cells=row_cells, page=page,
                                                       owner="".join(slot["owner"]), count_unit=slot["count_unit"]))
    lt.cut_row = grid.open_bottom


def _rest_of_label(label: str, last: Row) -> bool:
    """A page that opens with a bare label, no figure, under a row that has its figures: the rest of
    that row's name, its cell cut by the page break though ruled closed on both pages ("某市社会保" |
    "险基金管理中心"). A heading opening a page starts with its enumerator; a total ends its row."""
    return (bool(label) and bool(last.cells) and not last.code
            and not any(vocabulary.ENUMERATOR.match(t) or vocabulary.TOTAL_LABEL.search(t) for t in (label, last.label)))


def start_table(
    grid: Grid, title: str, unit: str, page: int, start: int, warnings: list[str]
) -> tuple[LogicalTable, int]:
    """Build a LogicalTable from the grid that starts it; returns it and the first body row."""
    specs, header_end, _ = specs_from_grid(grid, start)
    header_paths(grid, specs, start, header_end)
    names = part_names(grid, specs, start, header_end)
    segs = sorted({s.seg for s in specs})
    tables: list[Table] = []
    seg_table: dict[int, int] = {}
    split = len(segs) > 1 and len({names.get(s) for s in segs}) == len(segs) and all(s in names for s in segs)
    if split:
        for seg in segs:
            cols = [s for s in specs if s.seg == seg and s.role == "value"]
            for k, s in enumerate(cols):
                s.out = k
            seg_table[seg] = len(tables)
            tables.append(
                Table(id="", title=title, unit=unit, columns=[s.path for s in cols], rows=[], page=page,
                      pages=[page], part=names[seg])
            )
    else:
        columns: list[tuple[str, ...]] = []
        seg_cols: dict[int, list[ColSpec]] = {}
        for s in specs:
            if s.role == "value":
                seg_cols.setdefault(s.seg, []).append(s)
        for seg in segs:
            cols = seg_cols.get(seg, [])
            for k, s in enumerate(cols):
                # the second column-block of a table printed in two blocks reuses the
                # first block's columns when the headers agree
                if seg > segs[0] and k < len(seg_cols.get(segs[0], [])) and seg_cols[segs[0]][k].path == s.path:
                    s.out = seg_cols[segs[0]][k].out
                else:
                    s.out = len(columns)
                    columns.append(s.path)
            seg_table[seg] = 0
        tables.append(Table(id="", title=title, unit=unit, columns=columns, rows=[], page=page, pages=[page]))
        if len(segs) > 1 and len(names) == len(segs):
            warnings.append(f"page {page}: table '{title}' has {len(segs)} blocks with the same part name")
    for s in specs:
        if s.role == "value" and not s.path:
            warnings.append(f"page {page}: table '{title}' has a value column without header at x={s.x0:.0f}")
    lt = LogicalTable(title=title, unit=unit, specs=specs, tables=tables, seg_table=seg_table,
                      left=grid.xs[0], right=grid.xs[-1])
    return lt, header_end


def compatible(lt: LogicalTable, grid: Grid) -> bool:
    """Does this grid continue the logical table (same outer edges, boundaries a subset)?"""
    if abs(grid.xs[0] - lt.left) > 6 or abs(grid.xs[-1] - lt.right) > 6:
        return False
    bounds = [s.x0 for s in lt.specs] + [lt.right]
    hits = sum(1 for x in grid.xs if min(abs(x - b) for b in bounds) <= 4)
    return hits >= 0.8 * len(grid.xs)


def continue_table(lt: LogicalTable, grid: Grid, page: int, start: int, warnings: list[str]) -> None:
    header_end = find_header_end(grid, lt.specs, start)
    for table in lt.tables:
        if page not in table.pages:
            table.pages.append(page)
    grid_rows(grid, lt, header_end, page, warnings)
