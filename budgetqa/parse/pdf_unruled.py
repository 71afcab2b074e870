"""Tables printed without ruling lines: columns and rows from the positions of the text.

Amounts in a budget table are right-aligned in their column, so the right edges of the numbers
in the body rows cluster into the value columns; classification codes start the rows on the
left, labels fill the space before the first value column. From these a `Grid` is built with the
same shape the ruled tables have, and the rest of the PDF parser reads it like any other table.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from budgetqa.model.document import parse_number
from budgetqa.parse import vocabulary
from budgetqa.parse.pdf_grid import GCell, Grid, chars_to_lines

MIN_BODY_ROWS = 3  # rows with at least two amounts, for a page to hold an unruled table
ALIGN = 6.0  # points: right edges of amounts in one column
HEADER_LINES = 4  # header lines above the first body row, at most


_NUMERIC = re.compile(r"^-?[0-9][0-9,]*\.?$")


@dataclass
class _Word:
    text: str
    x0: float
    x1: float


def unruled_grid(chars: list[dict], skip) -> Grid | None:
    """The grid of the unruled table on a page, or None. `skip(line)` drops running headers."""
    rows = [(line, _words(line, chars)) for line in chars_to_lines(chars) if not skip(line)]
    body = [i for i, (_, words) in enumerate(rows) if len(_amounts(words)) >= 2]
    if len(body) < MIN_BODY_ROWS:
        return None
    first, last = body[0], body[-1]
    start = first
    while start > 0 and first - start < HEADER_LINES and not _ends_header(rows[start - 1][0].compact):
        start -= 1
    region = rows[start:last + 1]
    columns = _value_columns([rows[i][1] for i in body])
    if len(columns) < 1:
        return None
    xs = _boundaries(region, [rows[i][1] for i in body], columns)
    if xs is None:
        return None
    ys = _row_bounds([line for line, _ in region])
    return _grid(xs, ys)


def _words(line, chars: list[dict]) -> list[_Word]:
    """The words of one text line: characters split where a visible gap separates them."""
    mine = sorted((c for c in chars if line.top - 0.5 <= (c["top"] + c["bottom"]) / 2 <= line.bottom + 0.5
                   and line.x0 - 0.5 <= c["x0"] <= line.x1 + 0.5 and c["text"].strip()), key=lambda c: c["x0"])
    words: list[_Word] = []
    for ch in mine:
        size = max(ch["bottom"] - ch["top"], 1.0)
        # "25180591 .33": a number broken by a space still ends at its decimals
        broken = bool(words) and _NUMERIC.match(words[-1].text) and (ch["text"] == "." or words[-1].text.endswith("."))
        if words and (ch["x0"] - words[-1].x1 <= 0.6 * size or broken):
            words[-1] = _Word(words[-1].text + ch["text"], words[-1].x0, ch["x1"])
        else:
            words.append(_Word(ch["text"], ch["x0"], ch["x1"]))
    return words


def _amounts(words: list[_Word]) -> list[_Word]:
    """Words that are amounts (not the classification code that starts a row)."""
    return [w for i, w in enumerate(words)
            if parse_number(w.text) is not None and not (i == 0 and vocabulary.CODE.match(w.text))]


def _ends_header(text: str) -> bool:
    return vocabulary.is_title(text) or vocabulary.is_meta_line(text) or bool(vocabulary.UNIT.search(text))


def _value_columns(body: list[list[_Word]]) -> list[tuple[float, float]]:
    """(left, right) of each value column: amounts whose right edges align."""
    amounts = sorted((w for words in body for w in _amounts(words)), key=lambda w: w.x1)
    groups: list[list[_Word]] = []
    for word in amounts:
        if groups and word.x1 - groups[-1][-1].x1 <= ALIGN:
            groups[-1].append(word)
        else:
            groups.append([word])
    return [(min(w.x0 for w in g), max(w.x1 for w in g)) for g in groups if len(g) >= 2]


def _boundaries(region, body: list[list[_Word]], columns: list[tuple[float, float]]) -> list[float] | None:
    left = min(w.x0 for _, words in region for w in words) - 1
    right = max(max(w.x1 for _, words in region for w in words), columns[-1][1]) + 1
    texts = [w for words in body for w in words if w.x1 < columns[0][0] and w not in _amounts(words)]
    if not texts:
        return None
    label_end = max(w.x1 for w in texts)
    xs = [left]
    codes = [words[0] for words in body if words and vocabulary.CODE.match(words[0].text)]
    if len(codes) >= 2:
        code_end = max(w.x1 for w in codes)
        labels = [w.x0 for words in body for w in words[1 if words[0] in codes else 0:] if w.x0 > code_end]
        if labels and min(labels) > code_end:
            xs.append((code_end + min(labels)) / 2)
    xs.append((label_end + columns[0][0]) / 2 if label_end < columns[0][0] else columns[0][0] - 1)
    for (_, prev_right), (next_left, _) in zip(columns, columns[1:]):
        xs.append((prev_right + next_left) / 2)
    xs.append(right)
    return xs if all(b > a for a, b in zip(xs, xs[1:])) else None


def _row_bounds(lines) -> list[float]:
    ys = [lines[0].top - 1]
    for upper, lower in zip(lines, lines[1:]):
        ys.append((upper.bottom + lower.top) / 2)
    ys.append(lines[-1].bottom + 1)
    return ys


def _grid(xs: list[float], ys: list[float]) -> Grid:
    cells, at = [], {}
    for r in range(len(ys) - 1):
        for c in range(len(xs) - 1):
            cell = GCell(r, r + 1, c, c + 1, xs[c], ys[r], xs[c + 1], ys[r + 1])
            cells.append(cell)
            at[(r, c)] = cell
    return Grid(bbox=(xs[0], ys[0], xs[-1], ys[-1]), xs=xs, ys=ys, cells=cells, at=at)


MIN_ITEM_COLUMNS = 3  # amounts in a body line of a table whose items are its columns


def column_item_grid(chars: list[dict], skip) -> Grid | None:
    """The grid of an unruled table whose items are its columns (a 三公 table: 合计, 因公出国（境）费,
    公务用车购置及运行费…) and whose body is a line or two of amounts without a label; or None.

    Right-aligned amounts end their columns; each column is named by the header words above it. A
    header word above another word of its column is a parent: it spans the neighbouring columns
    whose names sit as low as its children's (公务用车购置及运行费 over 小计, 购置费, 运行费), and a
    column without a parent keeps its name over the whole header (合计, printed mid-height)."""
    rows = [(line, _words(line, chars)) for line in chars_to_lines(chars) if not skip(line)]
    body = _amount_lines(rows)
    if not body:
        return None
    start = body[0]
    while start > 0 and body[0] - start < HEADER_LINES and not _ends_header(rows[start - 1][0].compact):
        start -= 1
    header = [words for _, words in rows[start:body[0]]]
    if not header or any(_amounts(words) for words in header):
        return None
    rights = [w.x1 for w in rows[body[0]][1]]
    ends = [w.x1 for words in header for w in words]
    xs = ([min(w.x0 for _, words in rows[start:body[-1] + 1] for w in words) - 1]
          + [right + 1 for right in rights[:-1]] + [max(rights[-1], *ends) + 1])
    if not all(b > a for a, b in zip(xs, xs[1:])):
        return None
    named = _header_cells(header, xs)
    if named is None:
        return None
    ys = _row_bounds([line for line, _ in rows[start:body[-1] + 1]])
    return _spanned_grid(xs, ys, named, len(header))


def _amount_lines(rows) -> list[int]:
    """The first run of lines holding amounts only, as many and as aligned as each other."""
    full = [i for i, (_, words) in enumerate(rows) if len(words) >= MIN_ITEM_COLUMNS and len(_amounts(words)) == len(words)]
    if not full:
        return []
    run = [full[0]]
    while run[-1] + 1 in full:
        run.append(run[-1] + 1)
    rights = [w.x1 for w in rows[run[0]][1]]
    aligned = all(len(rows[i][1]) == len(rights) and all(abs(w.x1 - r) <= ALIGN for w, r in zip(rows[i][1], rights))
                  for i in run)
    return run if aligned else []


def _header_cells(header: list[list[_Word]], xs: list[float]) -> list[tuple[int, int, int]] | None:
    """(first row, first column, last column + 1) of each header cell: parents spanning their
    children's columns, every other column one cell over the header rows below its parent; None
    when a column has no name."""
    ncols = len(xs) - 1
    placed = [(r, min(max(bisect_right(xs, (w.x0 + w.x1) / 2) - 1, 0), ncols - 1)) for r, words in enumerate(header) for w in words]
    lowest = {c: max(r for r, col in placed if col == c) for c in {c for _, c in placed}}
    if len(lowest) < ncols:
        return None
    cells, owned = [], [-1] * ncols  # owned[c]: the row of the parent above column c
    for r, c in sorted(set(placed)):
        if r >= lowest[c]:
            continue  # not above a word of its column: a child or a column's own name
        first = last = c
        while first > 0 and owned[first - 1] < 0 and lowest[first - 1] >= lowest[c] and not any(
                col == first - 1 and row <= r for row, col in placed):
            first -= 1
        while last < ncols - 1 and lowest[last + 1] >= lowest[c] and not any(col == last + 1 and row <= r for row, col in placed):
            last += 1
        cells.append((r, first, last + 1))
        for col in range(first, last + 1):
            owned[col] = r
    cells.extend((owned[c] + 1, c, c + 1) for c in range(ncols))
    return cells


def _spanned_grid(xs: list[float], ys: list[float], header: list[tuple[int, int, int]], header_rows: int) -> Grid:
    """A grid whose header cells span (`header`: first row, first column, end column), each down to
    the next header cell of its columns; the body rows below are one cell per column."""
    cells, at = [], {}
    for r0, c0, c1 in header:
        r1 = min([r for r, a, b in header if r > r0 and a < c1 and b > c0] + [header_rows])
        cell = GCell(r0, r1, c0, c1, xs[c0], ys[r0], xs[c1], ys[r1])
        cells.append(cell)
        at.update({(r, c): cell for r in range(r0, r1) for c in range(c0, c1)})
    for r in range(header_rows, len(ys) - 1):
        for c in range(len(xs) - 1):
            cell = GCell(r, r + 1, c, c + 1, xs[c], ys[r], xs[c + 1], ys[r + 1])
            cells.append(cell)
            at[(r, c)] = cell
    for r in range(header_rows):  # rows above a parent's span: blank
        for c in range(len(xs) - 1):
            if (r, c) not in at:
                at[(r, c)] = cell = GCell(r, r + 1, c, c + 1, xs[c], ys[r], xs[c + 1], ys[r + 1])
                cells.append(cell)
    return Grid(bbox=(xs[0], ys[0], xs[-1], ys[-1]), xs=xs, ys=ys, cells=cells, at=at)
