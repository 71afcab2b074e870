"""Text extractions of budget PDFs -> ParsedDocument.

Two layouts are recognised from the text itself:
- "tab": table cells separated by tabs, one printed row per line;
- "space": cells separated by spaces, header cells broken over several lines, blank lines
  between rows, labels broken over lines.

Tables are found by document structure: a unit line ("单位：万元") with a title line ending in
表 above it, then the table body; blocks of tab-separated lines without a unit line become
form tables (绩效目标表, 单位构成 ...).  Everything else outside the cover and the table of
contents becomes narrative Sections, one per paragraph, under its heading path.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from budgetqa.model.document import (
    Cell,
    DocumentMeta,
    ParsedDocument,
    Row,
    Section,
    Table,
    parse_number,
)
from budgetqa.model import standard
from budgetqa.parse import vocabulary
from budgetqa.parse.metadata import cover_lines, detect_metadata

CN_NUM = vocabulary.CN_NUM
CODE = vocabulary.CODE
CODE_LABEL = re.compile(r"^(\d{3}(?:\d{2}){0,2})\s+(\S.*)$")
UNIT_LINE = vocabulary.UNIT_LINE
UNIT_TAIL = re.compile(r"^(.*?表)\s*(?:金额)?单位[：:]\s*(万元|千元|元|亿元)$")
UNIT_ENTITY_LINE = re.compile(r"^(?:编制|预算|决算)?单位[：:]")
PUBLIC_NO = vocabulary.TABLE_NUMBER
YEAR_PREFIX = vocabulary.YEAR_PREFIX
TITLE = re.compile(r"(表|目录|清单)(（续）|\(续\))?$")
TOTAL_WORDS = ("合计", "总计", "小计", "类")
HEADER_FILLERS = {"其中", "其中：", "其中:"}
LABEL_HEADERS = re.compile(r"^(项目|项目[（(].*|科目名称|单位名称|名称|项目名称|.*名称)$")
CODE_HEADERS = re.compile(r"(编码|代码)")
COLNO_ROW = ("栏次", "行次")
# row-numbering columns (行次 / 栏次 / 序号): the numbers in them are positions, never amounts
ROWNO_HEADER = vocabulary.ROW_NUMBER_HEADER
# side-by-side halves are parts only when the top header names income / expenditure halves;
# other top cells (人员经费 | 公用经费) are column groups and go into the header paths
PART_NAME = re.compile(r"(收\s*入|支\s*出)")
# a label cell that introduces an identifier (部门预算编码 103603), not an amount
IDENT_LABEL = re.compile(r"(编码|代码|编号)[:：]?$")
NOTE_START = vocabulary.NOTE_START
EMPTY_NOTE = re.compile(r"(没有|无|未|空表)")
SUFFIX_WORDS = ("收入", "支出", "结余", "合计", "总计", "小计", "数", "费", "额", "经费")

HEADING_PATTERNS = [
    (0, re.compile(r"^第[%s]+部分" % CN_NUM)),
    (1, re.compile(r"^[%s]+、" % CN_NUM)),
    (2, re.compile(r"^[（(][%s]+[)）]" % CN_NUM)),
    (3, re.compile(r"^\d+\s*[.、．](?!\d)")),
    (4, re.compile(r"^[（(]\d+[)）]")),
]
ENUMERATOR = re.compile(r"^([%s]+、|[（(][%s]+[)）]|\d+\s*[、．](?!\d)|\d+\.(?!\d)|[（(]\d+[)）]|其中[：:])" % (CN_NUM, CN_NUM))
SENTENCE_END = "。！？；：!?;:"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def clean(line: str) -> str:
    return line.replace("**", "").strip()


def is_number(text: str) -> bool:
    return parse_number(text) is not None


def display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def heading_level(line: str) -> int | None:
    for level, pat in HEADING_PATTERNS:
        if pat.match(line):
            return level
    return None


def strip_year(title: str) -> str:
    return squash(YEAR_PREFIX.sub("", title))


# ----------------------------------------------------------------------------- data

@dataclass
class _Ctx:
    lines: list[str]
    layout: str
    warnings: list[str] = field(default_factory=list)
    used: set[int] = field(default_factory=set)  # 0-based indexes of lines consumed by tables / toc / cover
    tables: list[Table] = field(default_factory=list)

    def warn(self, index: int, message: str) -> None:
        self.warnings.append(f"line {index + 1}: {message}")


# ----------------------------------------------------------------------------- entry

def parse_text(path: Path, text: str, doc_id: str) -> ParsedDocument:
    lines = text.splitlines()
    tab_lines = sum(1 for ln in lines if "\t" in ln)
    layout = "tab" if tab_lines >= 5 else "space"
    ctx = _Ctx(lines=lines, layout=layout)

    _mark_cover_and_toc(ctx)
    if layout == "tab":
        _find_tab_tables(ctx)
    else:
        _find_space_tables(ctx)
    ctx.tables.sort(key=lambda t: (t.line or 0, 0 if t.part in ("", "收入") else 1))
    for i, table in enumerate(ctx.tables, 1):
        table.id = f"t{i:02d}"
    sections = _sections(ctx)

    info = detect_metadata(text, path.name)
    meta = DocumentMeta(
        doc_id=doc_id,
        source=path.name,
        entity=info["entity"],
        aliases=info["aliases"],
        year=info["year"],
        kind=info["kind"],
        level=info["level"],
        region=info["region"],
        lines=len(lines),
    )
    return ParsedDocument(meta=meta, tables=ctx.tables, sections=sections, warnings=ctx.warnings)


# ----------------------------------------------------------------------------- cover, toc

def _mark_cover_and_toc(ctx: _Ctx) -> None:
    lines = ctx.lines
    cover = cover_lines("\n".join(lines))
    toc_at = None
    for i, raw in enumerate(lines[:80]):
        if re.match(r"^目\s*录$", clean(raw)):
            toc_at = i
            break
    if cover and toc_at is not None:
        ctx.used.update(range(0, toc_at))
    if toc_at is None:
        return
    ctx.used.add(toc_at)
    entries = []
    j = toc_at + 1
    while j < len(lines) and len(entries) < 200:
        line = clean(lines[j])
        if not line:
            j += 1
            continue
        entries.append((j, line))
        j += 1
    # entries with page numbers / dot leaders
    def paged(line: str) -> bool:
        return bool(re.search(r"(\.{3,}|…{2,}|\t\s*\d+\s*$|\s\.{2,}\s*\d*$)", line)) or bool(
            re.search(r"\t\d+$", line)
        )

    first_entries = [ln for _, ln in entries[:6]]
    numbered = sum(1 for ln in first_entries if paged(ln)) >= max(2, len(first_entries) // 2)
    end = toc_at + 1
    if numbered:
        for j, line in entries:
            if paged(line):
                end = j + 1
            else:
                break
    else:
        first = squash(entries[0][1]) if entries else ""
        for k, (j, line) in enumerate(entries):
            if k > 0 and squash(line) == first:
                break
            if any(ch in line for ch in "。，") or len(squash(line)) > 60:
                break
            end = j + 1
    ctx.used.update(range(toc_at, end))


# ----------------------------------------------------------------------------- titles

def _is_title(line: str) -> bool:
    s = squash(line)
    if not s or PUBLIC_NO.match(s) or len(s) > 60 or any(ch in s for ch in "。，；"):
        return False
    if "\t" in line:
        return False
    return bool(TITLE.search(s))


def _find_title(ctx: _Ctx, start: int, limit: int = 6) -> tuple[str, int | None]:
    """Look upwards from line `start` (exclusive) for a title line; returns (title, index)."""
    seen = 0
    heading_fallback: tuple[str, int] | None = None
    j = start - 1
    while j >= 0 and seen < limit:
        line = clean(ctx.lines[j])
        if not line:
            j -= 1
            continue
        s = squash(line)
        if UNIT_LINE.match(s) or PUBLIC_NO.match(s) or UNIT_ENTITY_LINE.match(s) or re.match(r"^[（(]\d{4}\s*年度?[)）]$", s):
            j -= 1
            continue
        if j in ctx.used:
            break
        seen += 1
        if _is_title(line) and heading_level(line) is None:
            return strip_year(line), j
        if heading_level(line) is not None and heading_fallback is None and _is_title(line):
            heading_fallback = (squash(ENUMERATOR.sub("", line)), j)
        if heading_level(line) is not None:
            break
        if "\t" in ctx.lines[j] or any(ch in line for ch in "。，"):
            break
        j -= 1
    if heading_fallback:
        return strip_year(heading_fallback[0]), None
    return "", None


def _current_heading(ctx: _Ctx, start: int) -> str:
    for j in range(start - 1, max(-1, start - 40), -1):
        line = clean(ctx.lines[j])
        if line and "\t" not in ctx.lines[j] and heading_level(line) is not None and len(squash(line)) <= 40:
            return squash(re.sub(r"^(第[%s]+部分|[%s]+、|[（(][%s]+[)）]|\d+[.、．])" % (CN_NUM, CN_NUM, CN_NUM), "", line))
    return ""


# ----------------------------------------------------------------------------- notes

def _collect_notes(ctx: _Ctx, j: int, table: Table) -> int:
    """Notes right after a table body (注：… / 备注：… / a short '本单位…没有…' sentence)."""
    lines = ctx.lines
    in_note = False
    first = True
    while j < len(lines):
        raw = lines[j]
        line = clean(raw)
        if not line:
            j += 1
            continue
        if "\t" in raw or _is_title(line) or UNIT_LINE.match(squash(line)):
            break
        lvl = heading_level(line)
        if NOTE_START.match(line):
            table.notes.append(line)
            ctx.used.add(j)
            in_note = True
        elif in_note and re.match(r"^\d+\s*[.、．]\s*\D", line) and len(squash(line)) < 120:
            table.notes.append(line)
            ctx.used.add(j)
        elif first and lvl is None and EMPTY_NOTE.search(line) and len(squash(line)) < 80:
            table.notes.append(line)
            ctx.used.add(j)
        else:
            break
        first = False
        j += 1
    return j


def _finish_empty(table: Table) -> None:
    values = [c.value for r in table.rows for c in r.cells]
    no_amount = all(v is None or v == 0 for v in values)
    noted = any(EMPTY_NOTE.search(n) for n in table.notes)
    if no_amount and (noted or not table.rows):
        table.empty = True


# ----------------------------------------------------------------------------- tab layout

def _find_tab_tables(ctx: _Ctx) -> None:
    lines = ctx.lines
    ctx.title_lines = set()  # type: ignore[attr-defined]
    i = 0
    while i < len(lines):
        if i in ctx.used:
            i += 1
            continue
        raw = lines[i]
        if "\t" not in raw:
            i += 1
            continue
        # a block of tab lines (blank lines inside allowed when a tab line follows)
        start = i
        block: list[int] = []
        j = i
        while j < len(lines):
            if "\t" in lines[j] and j not in ctx.used:
                block.append(j)
                j += 1
            elif not lines[j].strip():
                k = j
                while k < len(lines) and not lines[k].strip():
                    k += 1
                if k < len(lines) and "\t" in lines[k] and k not in ctx.used and not _block_title_row(lines[k]):
                    j = k
                else:
                    break
            else:
                break
        end = j
        unit, title, title_at, notes_pre = _preamble(ctx, start)
        rows = [(n, [c.strip() for c in lines[n].split("\t")]) for n in block]
        # a title printed as the first row of the block (single non-empty cell ending in 表)
        while rows and _block_title_row(lines[rows[0][0]]):
            cells = [c for c in rows[0][1] if c]
            if not title:
                title = strip_year(cells[0])
                title_at = rows[0][0]
            else:
                notes_pre.append(cells[0])
            ctx.used.add(rows[0][0])
            rows = rows[1:]
        while rows and len([c for c in rows[0][1] if c]) == 1 and re.match(r"^[（(]\d{4}\s*年度?[)）]$", squash(rows[0][1][0] or [c for c in rows[0][1] if c][0])):
            notes_pre.append([c for c in rows[0][1] if c][0])
            ctx.used.add(rows[0][0])
            rows = rows[1:]
        if not title:
            # no printed title (单位构成 lists under a heading): the title stays empty, as printed
            heading = _current_heading(ctx, start)
            ctx.warn(start, f"table without a title (under heading '{heading}')" if heading else "table without a title")
        first_line = title_at if title_at is not None else start
        if title_at is not None:
            ctx.title_lines.add(title_at)  # type: ignore[attr-defined]
        if unit:
            tables = _grid_tables(ctx, rows, title, unit)
        else:
            tables = [_form_table(ctx, rows, title)]
        for t in tables:
            t.line = first_line + 1
            t.notes = list(notes_pre)
        ctx.used.update(range(start, end))
        if title_at is not None:
            ctx.used.update(range(title_at, start))
        after = _collect_notes(ctx, end, tables[0])
        for t in tables[1:]:
            t.notes = list(tables[0].notes)
        for t in tables:
            _finish_empty(t)
        ctx.tables.extend(tables)
        i = max(after, end)


def _block_title_row(raw: str) -> bool:
    cells = [c.strip() for c in raw.split("\t") if c.strip()]
    return len(cells) == 1 and bool(TITLE.search(squash(cells[0]))) and len(squash(cells[0])) <= 60 and "，" not in cells[0]


def _preamble(ctx: _Ctx, start: int) -> tuple[str, str, int | None, list[str]]:
    """Unit of measure, title and title line above a table body starting at `start`."""
    unit = ""
    notes: list[str] = []
    j = start - 1
    seen = 0
    unit_at = None
    while j >= 0 and seen < 6:
        line = clean(ctx.lines[j])
        if not line:
            j -= 1
            continue
        seen += 1
        s = squash(line)
        m = UNIT_LINE.match(s)
        if m:
            unit = m.group(1)
            unit_at = j
            ctx.used.add(j)
            j -= 1
            continue
        mt = UNIT_TAIL.match(s)
        if mt:
            unit = mt.group(2)
            unit_at = j
            break
        if PUBLIC_NO.match(s) or (UNIT_ENTITY_LINE.match(s) and not UNIT_LINE.match(s)):
            ctx.used.add(j)
            j -= 1
            continue
        break
    if unit_at is not None:
        s = squash(clean(ctx.lines[unit_at]))
        mt = UNIT_TAIL.match(s)
        if mt:
            return unit, strip_year(mt.group(1)), unit_at, notes
    title, title_at = _find_title(ctx, start)
    return unit, title, title_at, notes


def _classify_rows(rows: list[tuple[int, list[str]]]) -> tuple[list, list, list]:
    """Split block rows into header rows, column-number rows (栏次) and data rows."""
    header, colno, data = [], [], []
    for n, cells in rows:
        nonempty = [c for c in cells if c]
        if not nonempty:
            continue
        first = squash(nonempty[0])
        if first in COLNO_ROW:
            colno.append((n, cells))
            continue
        if not data and not _is_data_row(cells):
            header.append((n, cells))
        else:
            data.append((n, cells))
    return header, colno, data


def _is_data_row(cells: list[str]) -> bool:
    nonempty = [(j, c) for j, c in enumerate(cells) if c]
    j0, first = nonempty[0][0], squash(nonempty[0][1])
    if any(is_number(c) for _, c in nonempty):
        return True
    if first in HEADER_FILLERS or j0 > 1:
        return False
    return bool(CODE.match(first) or CODE_LABEL.match(nonempty[0][1]) or first in TOTAL_WORDS or ENUMERATOR.match(first))


def _column_roles(header: list, data: list, width: int) -> list[str]:
    roles = []
    for j in range(width):
        heads = [squash(cells[j]) for _, cells in header if j < len(cells) and cells[j]]
        vals = [cells[j] for _, cells in data if j < len(cells) and cells[j]]
        if any(ROWNO_HEADER.match(h) for h in heads):
            roles.append("rowno")
            continue
        if any(CODE_HEADERS.search(h) for h in heads):
            roles.append("code")
            continue
        if any(LABEL_HEADERS.match(h) for h in heads):
            roles.append("label")
            continue
        codes = sum(1 for v in vals if CODE.match(squash(v)))
        nums = sum(1 for v in vals if is_number(v))
        if vals and codes / len(vals) >= 0.8 and j + 1 < width:
            roles.append("code?")
        elif not vals or nums / len(vals) >= 0.5:
            roles.append("value")
        else:
            roles.append("text")
    # resolve: a code? column counts as code only if a text/label column follows
    for j, r in enumerate(roles):
        if r == "code?":
            roles[j] = "code" if j + 1 < width and roles[j + 1] in ("text", "label") else "value"
    return roles


def _segments(roles: list[str]) -> list[dict]:
    """Group columns into side-by-side segments: [code] label value...; a new code column,
    or a header-declared label column after values, starts a new segment."""
    segs: list[dict] = []
    cur: dict | None = None
    for j, r in enumerate(roles):
        if r == "rowno":
            continue
        if r == "code":
            cur = {"code": j, "label": None, "values": [], "start": j}
            segs.append(cur)
        elif r in ("label", "text"):
            if cur is not None and cur["label"] is None and (cur["code"] is not None or not cur["values"]):
                cur["label"] = j
            elif r == "label" or cur is None:
                cur = {"code": None, "label": j, "values": [], "start": j}
                segs.append(cur)
            else:
                cur["values"].append(j)
        else:
            if cur is None:
                cur = {"code": None, "label": None, "values": [], "start": j}
                segs.append(cur)
            cur["values"].append(j)
    return segs


def _header_paths(header: list, seg: dict, width: int) -> dict[int, tuple[str, ...]]:
    cols = seg["values"]
    grid = [[squash(cells[j]) if j < len(cells) else "" for j in range(width)] for _, cells in header]
    filled = [row[:] for row in grid]
    for r, row in enumerate(grid):
        for k, j in enumerate(cols):
            if row[j] or k == 0:
                continue
            lower = any(grid[rr][j] for rr in range(r + 1, len(grid)))
            left = filled[r][cols[k - 1]]
            if lower and left:
                filled[r][j] = left
    paths = {}
    for j in cols:
        parts = tuple(filled[r][j] for r in range(len(grid)) if filled[r][j] and filled[r][j] not in HEADER_FILLERS)
        paths[j] = parts or (f"列{j + 1}",)
    return paths


def _grid_tables(ctx: _Ctx, rows: list, title: str, unit: str) -> list[Table]:
    header, _colno, data = _classify_rows(rows)
    width = max((len(c) for _, c in rows), default=0)
    roles = _column_roles(header, data, width)
    segs = _segments(roles)
    # parts for side-by-side tables: the top header row names them (收入 | 支出 ...)
    part_names = [""] * len(segs)
    group_names = [""] * len(segs)  # a top header cell over whole segments that is not a part
    if len(segs) > 1 and header:
        top = header[0][1]
        starts = {s["start"] for s in segs}
        nonempty_at = {j for j, c in enumerate(top) if c}
        if nonempty_at and nonempty_at <= starts:
            header = header[1:]
            names = [squash(top[s["start"]]) if s["start"] < len(top) else "" for s in segs]
            if all(PART_NAME.search(nm) for nm in names if nm):
                part_names = names
            else:
                # a group cell spans the segments up to the next non-empty top cell
                for k, nm in enumerate(names):
                    group_names[k] = nm or (group_names[k - 1] if k > 0 else "")
        if any(group_names):
            part_names = [""] * len(segs)
        else:
            for k in range(len(segs)):
                if not part_names[k]:
                    part_names[k] = part_names[k - 1] if k > 0 and part_names[k - 1] else f"{k + 1}"
    for s in segs:
        for j in (s["code"], s["label"]):
            if j is not None:
                for n, cells in header:
                    h = squash(cells[j]) if j < len(cells) else ""
                    if h and not (CODE_HEADERS.search(h) or LABEL_HEADERS.match(h)) and roles[j] == "text" and s is segs[0] and j == 0:
                        ctx.warn(n, f"header cell '{h}' stands over the label column; values placed by position under the following headers")
    # group segments by part
    order: list[str] = []
    groups: dict[str, list[dict]] = {}
    for name, s in zip(part_names, segs):
        if name not in groups:
            groups[name] = []
            order.append(name)
        groups[name].append(s)
    group_of = {id(s): g for s, g in zip(segs, group_names)}
    tables = []
    for name in order:
        columns: list[tuple[str, ...]] = []
        seg_rows: list[list[Row]] = []
        for s in groups[name]:
            paths = _header_paths(header, s, width)
            group = group_of[id(s)]
            if group:
                paths = {j: (group, *(p for p in path if not re.fullmatch(r"列\d+", p))) for j, path in paths.items()}
            colmap = {}
            for j in s["values"]:
                if paths[j] not in columns:
                    columns.append(paths[j])
                colmap[j] = columns.index(paths[j])
            seg_rows.append(_segment_rows(ctx, data, s, colmap, roles))
        # label-less values on a line: give them to the label-only row of the same line
        for k in range(1, len(seg_rows)):
            keep = []
            for row in seg_rows[k]:
                if not row.label and not row.code and row.cells:
                    host = next((r for rows_ in seg_rows[:k] for r in rows_ if r.line == row.line and not r.cells and r.label), None)
                    if host is not None:
                        host.cells.extend(row.cells)
                        ctx.warn(row.line - 1, f"value(s) {', '.join(c.printed for c in row.cells)} without a label placed under '{host.label}' of the same line")
                        continue
                keep.append(row)
            seg_rows[k] = keep
        all_rows = [r for rows_ in seg_rows for r in rows_]
        for r in all_rows:
            if not r.label and not r.code and r.cells:
                ctx.warn(r.line - 1, f"row without label or code ({', '.join(c.printed for c in r.cells)})")
        tables.append(Table(id="", title=title, unit=unit, columns=columns, rows=all_rows, part=name if len(order) > 1 else ""))
    return tables


def _segment_rows(ctx: _Ctx, data: list, seg: dict, colmap: dict, roles: list[str]) -> list[Row]:
    out = []
    for n, cells in data:
        def cell(j):
            return cells[j].strip() if j is not None and j < len(cells) else ""
        code, label = cell(seg["code"]), cell(seg["label"])
        if code and not CODE.match(squash(code)):
            if is_number(code):
                ctx.warn(n, f"number '{code}' in the code column")
            if not label:
                label, code = code, ""
            elif code in TOTAL_WORDS:
                ctx.warn(n, f"'{code}' printed in the code column of row '{squash(label)}'")
                code = ""
            else:
                label, code = code + label, ""
        m = CODE_LABEL.match(label)
        if not code and m:
            code, label = m.group(1), m.group(2)
        if label and is_number(label) and seg["label"] is not None:
            ctx.warn(n, f"number '{label}' in the label column")
        row_cells = []
        for j in seg["values"]:
            text = cell(j)
            if text:
                row_cells.append(Cell(column=colmap[j], printed=text, value=parse_number(text)))
        label = squash(label)
        code = squash(code)
        if not label and not code and not row_cells:
            continue
        out.append(Row(code=code, label=label, cells=row_cells, line=n + 1))
    return out


def _form_table(ctx: _Ctx, rows: list, title: str) -> Table:
    """Tables without a unit line (performance-target forms, unit lists): each line is a row.

    A row with amounts is labelled by its innermost label, the last text cell before its first
    amount (年度资金总额, 三级指标 ...), skipping printed targets ("≥98%", "≤100 万元"); its cells
    take their column from the nearest header-like row above them, or, where that row has no
    header over them, from the row's vertically spanned first cell (专项资金情况(万元)).
    Rows without amounts keep the whole lead as label (first cell / carried first column)."""
    columns: list[tuple[str, ...]] = []
    out: list[Row] = []
    local_header: list[str] = []
    header_unit = ""  # the money unit the header row's first cell notes ("项目资金(万元)")
    column_units: dict[str, str] = {}
    carry = ""
    for k, (n, cells) in enumerate(rows):
        nonempty = [(j, c) for j, c in enumerate(cells) if c]
        if not nonempty:
            continue
        nxt = rows[k + 1][1] if k + 1 < len(rows) else []
        if (
            cells[0]
            and not any(is_number(c) for _, c in nonempty)
            and len(nonempty) >= 2
            and all(len(squash(c)) <= 15 and not re.search(r"[0-9=≥≤<>]", c) for _, c in nonempty)
            and nxt and (not nxt[0] or any(is_number(c) for c in nxt if c))
        ):
            local_header = [squash(c) for c in cells]
            carry = squash(cells[0])
            noted = standard.MONEY_NOTE.search(carry)
            header_unit = noted.group(1) if noted else ""
            continue
        if cells[0]:
            carry = squash(cells[0])
        j0, first = nonempty[0]

        def header_at(j: int) -> str:
            return local_header[j] if j < len(local_header) else ""

        def amount(j: int, c: str) -> bool:  # a number that is not a row number (序号 1, 2 ...)
            return is_number(c) and not ROWNO_HEADER.match(header_at(j))

        first_num = next((i for i, (j, c) in enumerate(nonempty) if amount(j, c)), None)

        if first_num is None:
            label = squash(first)
            if j0 > 0 and carry:
                label = f"{carry}/{label}"
            lead = 1
        else:
            candidates = [
                (j, c) for j, c in nonempty[:first_num]
                if not _is_target(c) and not header_at(j).endswith("值")
            ]
            named = [(j, c) for j, c in candidates if LABEL_HEADERS.match(header_at(j))]
            pick = (named or candidates or [None])[-1]
            if pick is not None:
                label = squash(pick[1])
                lead = nonempty.index(pick) + 1
            else:
                label, lead = (carry if j0 > 0 else ""), 0
        # a vertically spanned first cell names the amounts of the rows it spans, when the label
        # follows it directly (专项资金情况(万元) | 资金总额: | 57.00)
        group = carry if (j0 > 0 or (first_num is not None and lead == 2)) else ""
        shift = _target_shift(local_header, nonempty[lead:]) if first_num is not None else 0
        if shift:
            ctx.warn(n, f"row '{label}' printed {shift} column(s) left of its header; cells realigned on its target")
        row_cells = []
        for j, c in nonempty[lead:]:
            j += shift
            name = _form_column(local_header, cells, j, c) if 0 <= j < len(cells) else None
            if name is not None and header_unit and not standard.SCORE_COLUMN.search(name):
                column_units[name] = header_unit
            if name is None:
                name = group if group and group != label and is_number(c) else f"列{j + 1}"
            path = (name,)
            if path not in columns:
                columns.append(path)
            value = parse_number(c)
            if value is not None and (IDENT_LABEL.search(label) or ROWNO_HEADER.match(name)):
                value = None  # 部门预算编码 103603: an identifier, not an amount
            row_cells.append(Cell(column=columns.index(path), printed=c.strip(), value=value))
        out.append(Row(code="", label=label, cells=row_cells, line=n + 1))
    return Table(id="", title=title, unit="", columns=columns, rows=out, column_units=column_units)


def _is_target(text: str) -> bool:
    """A printed indicator target or text value: '≥98%', '≤100 万元', '8 万', '=不新建系统 个'."""
    s = squash(text)
    return bool(re.match(r"^[≥≤<>=＞＜≧≦]", s) or re.fullmatch(r"[0-9.,，]+(万元|元|万|亿元|次|个|人|件|天|小时|%|％)", s))


def _target_shift(local_header: list[str], cells: list[tuple[int, str]]) -> int:
    """Rows of an indicator form printed out of line (三级指标 / 年度指标值 / 实际完成值 shifted
    left): the printed target ('≥98%') must sit under the first '…值' header; returns how many
    columns the row's cells move right (0 when aligned or when there is nothing to anchor on)."""
    target_col = next((j for j, h in enumerate(local_header) if h.endswith("值")), None)
    targets = [j for j, c in cells if _is_target(c)]
    if target_col is None or len(targets) != 1 or targets[0] >= target_col:
        return 0
    return target_col - targets[0]


def _form_column(local_header: list[str], cells: list[str], j: int, text: str) -> str | None:
    """The header over cell j of a form row; a cell one place right of a header whose own cell in
    this row is blank belongs to that header (rows printed one tab out of line)."""
    own = local_header[j] if j < len(local_header) else ""
    if own and own != squash(text):
        return own
    if not own and 0 < j <= len(local_header):
        left = local_header[j - 1] if j - 1 < len(local_header) else ""
        if left and not cells[j - 1] and left != squash(text):
            return left
    return None


# ----------------------------------------------------------------------------- space layout

def _find_space_tables(ctx: _Ctx) -> None:
    lines = ctx.lines
    ctx.title_lines = set()  # type: ignore[attr-defined]
    for i, raw in enumerate(lines):
        if i in ctx.used:
            continue
        s = squash(clean(raw))
        m = UNIT_LINE.match(s)
        mt = UNIT_TAIL.match(s)
        if not (m or mt):
            continue
        unit = (m or mt).group(1) if m else mt.group(2)
        if mt:
            title, title_at = strip_year(mt.group(1)), i
        else:
            title, title_at = _find_title(ctx, i)
        if not title:
            title = _current_heading(ctx, i)
            ctx.warn(i, "table without a title")
        start = title_at if title_at is not None else i
        ctx.used.update(range(start, i + 1))
        end, tables = _space_table(ctx, i + 1, title, unit)
        for t in tables:
            t.line = start + 1
        _collect_notes(ctx, end, tables[0])
        for t in tables[1:]:
            t.notes = list(tables[0].notes)
        for t in tables:
            _finish_empty(t)
        ctx.tables.extend(tables)


def _tokens(line: str) -> list[str]:
    return line.split()


def _items(tokens: list[str]) -> list[str]:
    """Join consecutive non-numeric tokens: ['一、一般', '公共', '1.0'] -> ['一、一般公共', '1.0']."""
    out: list[str] = []
    for tok in tokens:
        if out and not is_number(tok) and not is_number(out[-1]):
            out[-1] += tok
        else:
            out.append(tok)
    return out


def _space_table(ctx: _Ctx, j: int, title: str, unit: str) -> tuple[int, list[Table]]:
    lines = ctx.lines
    body: list[tuple[int, str]] = []
    data_started = False
    while j < len(lines):
        line = clean(lines[j])
        if not line:
            j += 1
            continue
        s = squash(line)
        toks = _tokens(line)
        has_num = any(is_number(t) and not CODE.match(t) for t in toks[1:]) or (len(toks) == 1 and is_number(toks[0]) and "." in toks[0])
        if NOTE_START.match(line) or UNIT_LINE.match(s) or (_is_title(line) and not has_num):
            break
        if heading_level(line) is not None and not has_num and (data_started or heading_level(line) <= 1):
            if not (heading_level(line) == 4 and data_started):
                break
        if any(ch in line for ch in "。，") and not has_num:
            break
        if not data_started and (has_num or _is_data_row(toks)):
            data_started = True
        body.append((j, line))
        ctx.used.add(j)
        j += 1
    # header lines: before the first data line
    header: list[tuple[int, str]] = []
    data: list[tuple[int, str]] = []
    for n, line in body:
        toks = _tokens(line)
        if not data and not _is_data_row(toks):
            header.append((n, line))
        else:
            data.append((n, line))
    header_tokens = [(n, t) for n, line in header for t in _tokens(line)]
    label_heads = [k for k, (_, t) in enumerate(header_tokens) if LABEL_HEADERS.match(t) or CODE_HEADERS.search(t)]
    label_like = [k for k, (_, t) in enumerate(header_tokens) if LABEL_HEADERS.match(t)]
    if len(label_like) >= 2:
        return j, _space_side_by_side(ctx, header_tokens, label_like, data, title, unit)
    frags = [t for k, (_, t) in enumerate(header_tokens) if k not in label_heads and t not in HEADER_FILLERS and k > (max(label_heads) if label_heads else -1) - 0]
    rows = _space_rows(ctx, data)
    nvals = max((len(r[3]) for r in rows), default=0)
    if nvals == 0:
        nvals = len(frags) if frags else 0
    names = _group_fragments(frags, nvals) if nvals else []
    if nvals and len(names) != nvals:
        ctx.warn(header[0][0] if header else (data[0][0] if data else j), f"could not rebuild {nvals} column headers from {frags}")
        names = names + [f"列{k + 1}" for k in range(len(names), nvals)]
    columns = [(nm,) for nm in names]
    out: list[Row] = []
    for n, code, label, nums in rows:
        if len(nums) != nvals:
            ctx.warn(n, f"row '{label}' has {len(nums)} values for {nvals} columns; placed left to right")
        cells = [Cell(column=k, printed=v, value=parse_number(v)) for k, v in enumerate(nums[:nvals])]
        for v in nums[nvals:]:
            ctx.warn(n, f"value '{v}' of row '{label}' beyond the last column")
        out.append(Row(code=code, label=label, cells=cells, line=n + 1))
    return j, [Table(id="", title=title, unit=unit, columns=columns, rows=out)]


def _space_rows(ctx: _Ctx, data: list[tuple[int, str]]) -> list[tuple[int, str, str, list[str]]]:
    """Assemble rows from data lines: code, label (re-joined over lines), numbers."""
    rows: list[list] = []
    pending = None  # row still waiting for its numbers
    for n, line in data:
        items = _items(_tokens(line))
        code = ""
        if len(items) >= 2 and CODE.match(items[0]) and not is_number(items[1]):
            code, items = items[0], items[1:]
        text = "" if not items or is_number(items[0]) else items[0]
        nums = [t for t in (items[1:] if text else items) if is_number(t)]
        extra = [t for t in (items[1:] if text else items) if not is_number(t)]
        if extra:
            ctx.warn(n, f"text {extra} between numbers kept in the label")
            text = text + "".join(extra)
        starts_row = bool(code) or (text and (squash(text) in TOTAL_WORDS or ENUMERATOR.match(text)))
        if pending is not None and not starts_row:
            pending[2] += squash(text)
            pending[3].extend(nums)
            if nums:
                pending = None
            continue
        if pending is not None:
            ctx.warn(pending[0], f"row '{pending[2]}' has no values")
            pending = None
        row = [n, code, squash(text), nums]
        rows.append(row)
        if not nums:
            pending = row
    return [tuple(r) for r in rows]


def _group_fragments(frags: list[str], n: int) -> list[str]:
    """Partition header fragments (cells broken over lines) into n column names."""
    m = len(frags)
    if m == n:
        return frags
    if m < n:
        return frags
    width = max(len(f) for f in frags)

    def score(group: list[str]) -> float:
        s = 0.0
        text = "".join(group)
        s += 2 if text.endswith(SUFFIX_WORDS) else -1
        for f in group[:-1]:
            if len(f) < width:  # a short fragment ends its cell
                s -= 3
            if f.endswith(SUFFIX_WORDS):  # a complete header word inside a longer cell
                s -= 2
        s -= 0.1 * (len(group) - 1)
        return s

    NEG = float("-inf")
    best = [[NEG] * (n + 1) for _ in range(m + 1)]
    back = [[0] * (n + 1) for _ in range(m + 1)]
    best[0][0] = 0.0
    for i in range(1, m + 1):
        for k in range(1, n + 1):
            for p in range(k - 1, i):
                if best[p][k - 1] == NEG:
                    continue
                v = best[p][k - 1] + score(frags[p:i])
                if v > best[i][k]:
                    best[i][k], back[i][k] = v, p
    if best[m][n] == NEG:
        return frags[:n]
    out = []
    i, k = m, n
    while k > 0:
        p = back[i][k]
        out.append("".join(frags[p:i]))
        i, k = p, k - 1
    return out[::-1]


def _space_side_by_side(ctx: _Ctx, header_tokens, label_like, data, title, unit) -> list[Table]:
    nseg = len(label_like)
    tokens = [t for _, t in header_tokens]
    # part names: the tokens before the first label header, one per segment
    before = tokens[: label_like[0]]
    parts = [squash(t) for t in before] if len(before) == nseg else [f"{k + 1}" for k in range(nseg)]
    seg_heads = []
    for k, start in enumerate(label_like):
        stop = label_like[k + 1] if k + 1 < nseg else len(tokens)
        seg_heads.append([t for t in tokens[start + 1 : stop] if t not in HEADER_FILLERS])
    tables = [Table(id="", title=title, unit=unit, columns=[(h,) for h in heads], rows=[], part=parts[k]) for k, heads in enumerate(seg_heads)]
    last_seg = None
    for n, line in data:
        items = _items(_tokens(line))
        groups: list[list[str]] = []
        for it in items:
            if not is_number(it) or not groups:
                groups.append([it])
            else:
                groups[-1].append(it)
        if len(groups) == nseg:
            targets = list(range(nseg))
        elif len(groups) < nseg:
            targets = []
            for g in groups:
                label = g[0]
                hits = [k for k, p in enumerate(parts) if p and p in label]
                if len(hits) == 1:
                    targets.append(hits[0])
                else:
                    targets.append(last_seg if last_seg is not None else nseg - 1)
                    ctx.warn(n, f"'{label}' placed in part '{parts[targets[-1]]}' by position")
        else:
            ctx.warn(n, f"{len(groups)} label groups for {nseg} side-by-side parts: {groups}")
            targets = list(range(nseg)) + [nseg - 1] * (len(groups) - nseg)
        for k, g in zip(targets, groups):
            label, nums = g[0], g[1:]
            if is_number(label):
                label, nums = "", g
            table = tables[k]
            cells = [Cell(column=c, printed=v, value=parse_number(v)) for c, v in enumerate(nums[: len(table.columns)])]
            if len(nums) > len(table.columns):
                ctx.warn(n, f"extra values {nums[len(table.columns):]} in part '{parts[k]}'")
            table.rows.append(Row(code="", label=squash(label), cells=cells, line=n + 1))
            last_seg = k
    return tables


# ----------------------------------------------------------------------------- narrative

def _sections(ctx: _Ctx) -> list[Section]:
    lines = ctx.lines
    nonblank = [clean(lines[i]) for i in range(len(lines)) if i not in ctx.used and clean(lines[i]) and "\t" not in lines[i]]
    widths = sorted(display_width(l) for l in nonblank)
    wrap = widths[int(len(widths) * 0.9)] if widths else 0
    hard_wrapped = bool(widths) and wrap < 80 and sum(1 for w in widths if w >= wrap - 6) >= len(widths) * 0.3

    def next_nonblank(i: int) -> str:
        for k in range(i + 1, min(len(lines), i + 6)):
            if k in ctx.used:
                return ""
            if clean(lines[k]):
                return clean(lines[k])
        return ""

    def is_heading(i: int, line: str) -> int | None:
        lvl = heading_level(line)
        s = squash(line)
        if lvl is None:
            return None
        if any(ch in s for ch in "。，；！？") or len(s) > 50:
            return None
        if re.search(r"[：:].", s):  # "一、财政拨款收入：指…" is a definition, not a heading
            return None
        if hard_wrapped and display_width(line) >= wrap - 6 and lvl > 0:
            return None
        nxt = next_nonblank(i)
        if nxt and re.match(r"^[0-9]+(\.[0-9]+)?\s*(万元|元|%|人|个)", nxt):
            return None
        return lvl

    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    para: list[str] = []
    para_line = None

    def flush():
        nonlocal para, para_line
        if para:
            text = ""
            for piece in para:
                if text and re.match(r"[A-Za-z0-9]", text[-1]) and re.match(r"[A-Za-z0-9]", piece[0]):
                    text += " "
                text += piece
            sections.append(Section(heading=[h for _, h in stack], text=text, line=para_line))
        para, para_line = [], None

    i = 0
    while i < len(lines):
        if i in ctx.used or "\t" in lines[i]:
            if i in ctx.used and para:
                flush()
            i += 1
            continue
        line = clean(lines[i])
        if not line:
            i += 1
            continue
        lvl = is_heading(i, line)
        if lvl is not None:
            flush()
            text = line
            if lvl == 0 and re.fullmatch(r"第[%s]+部分" % CN_NUM, squash(line)):
                nxt_i = i + 1
                while nxt_i < len(lines) and not clean(lines[nxt_i]):
                    nxt_i += 1
                if nxt_i < len(lines) and nxt_i not in ctx.used:
                    nxt = clean(lines[nxt_i])
                    if nxt and heading_level(nxt) is None and len(squash(nxt)) <= 30 and not any(ch in nxt for ch in "。，"):
                        text = f"{squash(line)} {nxt}"
                        i = nxt_i
            while stack and stack[-1][0] >= lvl:
                stack.pop()
            stack.append((lvl, text))
            i += 1
            continue
        if para and hard_wrapped and para[-1][-1] in SENTENCE_END and ENUMERATOR.match(line):
            flush()
        if para_line is None:
            para_line = i + 1
        para.append(line)
        if line[-1] in SENTENCE_END and not hard_wrapped:
            flush()
        elif line[-1] in "。！？；" and hard_wrapped:
            flush()
        i += 1
    flush()
    return sections
