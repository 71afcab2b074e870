"""Low-level PDF geometry for the PDF parser: text lines from characters, and ruled grids.

A `Grid` is one ruled table found by pdfplumber (`page.find_tables`, which reads both
ruling lines and thin filled rectangles). Each `GCell` knows the grid rows/columns it
spans and the text of the characters whose centre lies inside it. Placing characters by
position (not by text-flow order) is what keeps values in their column when empty cells
are not drawn or when a value sits on a different baseline than its label.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

_SPACE = {" ", "\u3000", "\xa0", "\t", "\n", "\r"}


@dataclass
class Line:
    text: str  # characters in reading order, a space where there is a visible gap
    x0: float
    x1: float
    top: float
    bottom: float
    size: float

    @property
    def compact(self) -> str:
        return "".join(self.text.split())


@dataclass
class GCell:
    r0: int
    r1: int  # exclusive
    c0: int
    c1: int  # exclusive
    x0: float
    top: float
    x1: float
    bottom: float
    chars: list = field(default_factory=list)
    text: str = ""  # whitespace removed, lines joined


@dataclass
class Grid:
    bbox: tuple[float, float, float, float]
    xs: list[float]  # column boundaries (len = ncols + 1)
    ys: list[float]  # row boundaries (len = nrows + 1)
    cells: list[GCell]
    at: dict  # (row, col) -> GCell covering it
    open_top: bool = False  # its first row is the rest of a row cut at the previous page's end
    open_bottom: bool = False  # its last row is cut at the page's end (no rule below it)

    @property
    def nrows(self) -> int:
        return len(self.ys) - 1

    @property
    def ncols(self) -> int:
        return len(self.xs) - 1

    def anchored(self, row: int) -> list[GCell]:
        """Cells whose top row is `row`, left to right."""
        return sorted((c for c in self.cells if c.r0 == row), key=lambda c: c.c0)

    def is_blank(self) -> bool:
        return not any(c.text for c in self.cells)


def _cluster(values: list[float], tol: float) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def _index(bounds: list[float], v: float, tol: float = 1.5) -> int:
    """Index of the boundary nearest to v."""
    best, best_d = 0, None
    for i, b in enumerate(bounds):
        d = abs(b - v)
        if best_d is None or d < best_d:
            best, best_d = i, d
    return best


def chars_to_lines(chars: list[dict]) -> list[Line]:
    """Group characters into visual lines.

    Characters whose top lies within half a character height of a line's first character
    join that line: this keeps numbers set in another font on a slightly lower baseline
    (a frequent artefact of Word->PDF exports) on the line where they are printed.
    """
    if not chars:
        return []
    ordered = sorted(chars, key=lambda c: (c["top"], c["x0"]))
    groups: list[list[dict]] = []
    anchor = None
    for ch in ordered:
        size = max(ch["bottom"] - ch["top"], 1.0)
        if groups and anchor is not None and ch["top"] - anchor[0] <= 0.5 * min(size, anchor[1]):
            groups[-1].append(ch)
        else:
            groups.append([ch])
            anchor = (ch["top"], size)
    lines = []
    for group in groups:
        group.sort(key=lambda c: c["x0"])
        parts: list[str] = []
        prev = None
        for ch in group:
            if prev is not None:
                size = max(ch["bottom"] - ch["top"], 1.0)
                if ch["x0"] - prev["x1"] > 0.6 * size and parts and parts[-1] != " ":
                    parts.append(" ")
            parts.append(" " if ch["text"] in _SPACE else ch["text"])
            prev = ch
        text = " ".join("".join(parts).split())
        if not text:
            continue
        lines.append(
            Line(
                text=text,
                x0=min(c["x0"] for c in group),
                x1=max(c["x1"] for c in group),
                top=min(c["top"] for c in group),
                bottom=max(c["bottom"] for c in group),
                size=max(c["bottom"] - c["top"] for c in group),
            )
        )
    return lines


def cell_text(chars: list[dict]) -> str:
    """Text of a cell: its lines top to bottom, whitespace removed."""
    return "".join(line.compact for line in chars_to_lines([c for c in chars if c["text"] not in _SPACE]))


def build_grid(table) -> Grid | None:
    """A pdfplumber Table -> Grid with spans (text is filled in by `fill_grids`)."""
    boxes = [c for c in table.cells if c is not None]
    if len(boxes) < 2:
        return None
    xs = _cluster([b[0] for b in boxes] + [b[2] for b in boxes], 2.0)
    ys = _cluster([b[1] for b in boxes] + [b[3] for b in boxes], 2.0)
    if len(xs) < 2 or len(ys) < 2:
        return None
    cells: list[GCell] = []
    at: dict = {}
    for b in boxes:
        c0, c1 = _index(xs, b[0]), _index(xs, b[2])
        r0, r1 = _index(ys, b[1]), _index(ys, b[3])
        if c1 <= c0 or r1 <= r0:
            continue
        cell = GCell(r0, r1, c0, c1, b[0], b[1], b[2], b[3])
        cells.append(cell)
        for r in range(r0, r1):
            for c in range(c0, c1):
                at.setdefault((r, c), cell)
    if not cells:
        return None
    return Grid(bbox=tuple(table.bbox), xs=xs, ys=ys, cells=cells, at=at)


def close_cut_rows(grid: Grid, vertical_edges: list[dict]) -> None:
    """A row that a page break cuts has its column rules but no rule above (at the top of the
    next page) or below (at the end of the page), so it is no cell of the table found: the
    rules that run on past the grid give that row back, one cell per column."""
    x0, top, x1, bottom = grid.bbox
    rules = [e for e in vertical_edges if any(abs(e["x0"] - x) <= 1.5 for x in grid.xs)]
    below = [e["bottom"] for e in rules if e["top"] <= bottom + 1 and e["bottom"] > bottom + 4]
    above = [e["top"] for e in rules if e["bottom"] >= top - 1 and e["top"] < top - 4]
    if len(below) >= 2:
        _add_row(grid, bottom, max(below), at_end=True)
        grid.open_bottom = True
    if len(above) >= 2:
        _add_row(grid, min(above), top, at_end=False)
        grid.open_top = True


def _add_row(grid: Grid, top: float, bottom: float, at_end: bool) -> None:
    if not at_end:  # every row moves down one
        for cell in grid.cells:
            cell.r0, cell.r1 = cell.r0 + 1, cell.r1 + 1
        grid.ys.insert(0, top)
    else:
        grid.ys.append(bottom)
    row = grid.nrows - 1 if at_end else 0
    for c in range(grid.ncols):
        grid.cells.append(GCell(row, row + 1, c, c + 1, grid.xs[c], top, grid.xs[c + 1], bottom))
    grid.at = {}
    for cell in grid.cells:
        for r in range(cell.r0, cell.r1):
            for c in range(cell.c0, cell.c1):
                grid.at.setdefault((r, c), cell)
    x0, old_top, x1, old_bottom = grid.bbox
    grid.bbox = (x0, min(old_top, top), x1, max(old_bottom, bottom))


def fill_grids(grids: list[Grid], chars: list[dict]) -> list[dict]:
    """Put each character into the grid cell containing its centre; return the others."""
    outside: list[dict] = []
    for ch in chars:
        cx = (ch["x0"] + ch["x1"]) / 2
        cy = (ch["top"] + ch["bottom"]) / 2
        placed = False
        for grid in grids:
            x0, top, x1, bottom = grid.bbox
            if not (x0 - 0.5 <= cx <= x1 + 0.5 and top - 0.5 <= cy <= bottom + 0.5):
                continue
            col = min(max(bisect_right(grid.xs, cx) - 1, 0), grid.ncols - 1)
            row = min(max(bisect_right(grid.ys, cy) - 1, 0), grid.nrows - 1)
            cell = grid.at.get((row, col))
            if cell is not None:
                cell.chars.append(ch)
                placed = True
                break
        if not placed:
            outside.append(ch)
    for grid in grids:
        for cell in grid.cells:
            if cell.chars:
                cell.text = cell_text(cell.chars)
    return outside
