"""PDF -> ParsedDocument with pdfplumber.

Per page: ruled grids (`page.find_tables`) become tables, with every character placed in
the cell that contains it; the characters outside grids become text lines, from which
come table titles ("2026年预算单位收入预算总表" -> "预算单位收入预算总表"), units
("单位：元"), notes ("注：…本表为空表") and the narrative sections. A grid with no title
above it continues the table of the previous page when its column boundaries match.
Anything that cannot be placed is reported in ParsedDocument.warnings with its page.
"""
from __future__ import annotations

from pathlib import Path

from budgetqa.model.document import MONEY_UNITS, DocumentMeta, ParsedDocument, Section, Table
from budgetqa.model.text import unify_ideographs
from budgetqa.parse import ParseError, content_hash, ocr, vocabulary
from budgetqa.parse.pdf_grid import Grid, Line, build_grid, chars_to_lines, close_cut_rows, fill_grids
from budgetqa.parse.pdf_forms import add_form, continues_form, cut_name, form_table, is_form, read_form
from budgetqa.parse.pdf_meta import detect_pdf_metadata
from budgetqa.parse.pdf_tables import (
    EMPTY_NOTE,
    LogicalTable,
    _pre_rows,
    compatible,
    continue_table,
    grid_rows,
    start_table,
)
from budgetqa.parse.pdf_unruled import column_item_grid, unruled_grid
from budgetqa.parse.vocabulary import (
    AR_ENUM,
    CN_ENUM,
    CN_PAREN_ENUM,
    NOTE_START,
    PAGE_NUMBER,
    PART_HEADING,
    TOC,
    UNIT,
    clean_title,
)

_HEADING_SIZE = 99.0  # a line set as a heading of the narrative whatever the body's type size
# running headers and footers sit in these top / bottom shares of the page
RUNNING_BAND = 0.08

TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


def is_title_line(line: Line) -> bool:
    return vocabulary.is_title(line.compact)


def _open_pdf(path: Path, data: bytes):
    import io

    import pdfplumber

    head = data[:1024]
    if b"%PDF" not in head:
        raise ParseError("not a PDF file (no %PDF header)")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages  # forces the page tree to be read
    except Exception as error:  # pdfminer raises many types for broken / locked files
        inner = error.args[0] if error.args and isinstance(error.args[0], BaseException) else error
        name = type(inner).__name__
        if "Password" in name or "Encrypt" in name or "password" in str(inner).lower() or b"/Encrypt" in data[-4096:]:
            raise ParseError("encrypted PDF (a password is required to read it)") from None
        raise ParseError(f"unreadable PDF ({name}: {str(inner)[:80] or 'no detail'})".replace("\n", " ")) from None
    if not pages:
        pdf.close()
        raise ParseError("PDF has no pages")
    return pdf


class _State:
    def __init__(self) -> None:
        self.logical: list[LogicalTable] = []
        self.open: LogicalTable | None = None
        self.warnings: list[str] = []
        self.unit = ""
        self.running: set[str] = set()  # running header / footer texts (digits as #)
        self.ocr_pages: list[int] = []
        self.orphan: tuple[str, str] | None = None  # (title, unit) printed at a page's end, its table on the next
        self.form: LogicalTable | None = None  # the table the forms read so far fill (a form per project)


def _grids_for_page(page) -> list[Grid]:
    if not (page.lines or page.rects or page.curves):
        return []
    grids = []
    vertical = [e for e in page.edges if e["orientation"] == "v"]
    for table in page.find_tables(TABLE_SETTINGS):
        grid = build_grid(table)
        if grid is not None:
            close_cut_rows(grid, vertical)
            grids.append(grid)
    grids.sort(key=lambda g: g.bbox[1])
    return grids


def parse_pdf(path: Path, data: bytes) -> ParsedDocument:
    path = Path(path)
    pdf = _open_pdf(path, data)
    state = _State()
    _unify_chars(pdf.pages)
    state.running = _running_texts(pdf.pages)
    pages_lines: list[list[str]] = []
    narrative: list[tuple[int, Line]] = []  # (page, line) in reading order
    try:
        for pno, page in enumerate(pdf.pages, 1):
            try:
                _parse_page(page, pno, state, pages_lines, narrative)
            except ParseError:
                raise
            except Exception as error:  # one bad page must not lose the document
                state.warnings.append(f"page {pno}: could not be parsed ({type(error).__name__}: {error})")
                pages_lines.append([])
        npages = len(pdf.pages)
    finally:
        pdf.close()

    tables: list[Table] = []
    for lt in state.logical:
        lt.finish()
        for table in lt.tables:
            _finish_table(table, lt, state.warnings)
            table.id = f"t{len(tables) + 1:02d}"
            tables.append(table)

    sections = _sections(narrative)
    titles = [t.title for t in tables]
    meta = detect_pdf_metadata(pages_lines, titles)
    if not meta["entity"]:
        state.warnings.append("page 1: no unit name found on the cover or in table headers")
    doc_meta = DocumentMeta(
        doc_id=content_hash(data),
        source=path.name,
        entity=meta["entity"],
        aliases=meta["aliases"],
        year=meta["year"],
        kind=meta["kind"],
        level=meta["level"],
        region=meta["region"],
        pages=npages,
        ocr_pages=state.ocr_pages,
    )
    return ParsedDocument(meta=doc_meta, tables=tables, sections=sections, warnings=state.warnings)


def _finish_table(table: Table, lt: LogicalTable, warnings: list[str]) -> None:
    has_values = any(c.value is not None for r in table.rows for c in r.cells)
    marked = any(EMPTY_NOTE.search(n) for n in table.notes) or any(n in ("无", "空表") for n in table.notes)
    if marked and not has_values:
        table.empty = True
    elif marked and has_values:
        warnings.append(
            f"page {table.page}: table '{table.title}' is marked empty in its note but has values"
        )
    if not table.unit:
        warnings.append(f"page {table.page}: table '{table.title}' has no unit line (单位：…)")


def _ocr_page(page, pno: int, state: _State, pages_lines: list, narrative: list) -> None:
    try:
        lines = ocr.page_lines(page)
    except ocr.OcrUnavailable as error:
        raise ParseError(f"scanned PDF without a text layer, and {error}") from None
    state.ocr_pages.append(pno)
    pages_lines.append([ln.text for ln in lines])
    narrative.extend((pno, ln) for ln in lines)


def _parse_page(page, pno: int, state: _State, pages_lines: list, narrative: list) -> None:
    if ocr.needs_ocr(page):
        _ocr_page(page, pno, state, pages_lines, narrative)
        return
    chars = page.chars
    first_lines = chars_to_lines(chars[:400]) if chars else []
    is_toc = bool(first_lines) and TOC.match(first_lines[0].compact or "")
    grids = [] if is_toc else _grids_for_page(page)
    if not grids and not is_toc:
        skip = lambda ln: PAGE_NUMBER.match(ln.compact) or _is_running(ln, page.height, state.running)  # noqa: E731
        grid = unruled_grid(chars, skip) or column_item_grid(chars, skip)
        if grid is not None:
            grids = [grid]
            state.warnings.append(f"page {pno}: table without ruling lines; columns read from the text positions")
    outside = fill_grids(grids, chars) if grids else chars
    lines = [ln for ln in chars_to_lines(outside) if not PAGE_NUMBER.match(ln.compact)]
    pages_lines.append([ln.text for ln in lines])
    lines = [ln for ln in lines if not _is_running(ln, page.height, state.running)]
    for grid in grids:
        x0, top, x1, bottom = grid.bbox
        for ln in lines:
            if ln.top >= top - 1 and ln.bottom <= bottom + 1 and ln.x0 >= x0 - 1 and ln.x1 <= x1 + 1:
                state.warnings.append(f"page {pno}: text '{ln.text}' inside a table but in no cell")
    grids = [g for g in grids if not g.is_blank()]
    orphan, state.orphan = state.orphan, None
    if not is_toc:  # a title below the page's last table: its table begins on the next page
        last = max((g.bbox[3] for g in grids), default=-1.0)
        tail, state.orphan = _orphan_title([ln for ln in lines if ln.top >= last])
        lines = [ln for ln in lines if ln.top < last] + tail
    if is_toc or not grids:
        if lines:
            state.open = None if _has_body_text(lines) else state.open
        for ln in lines:
            narrative.append((pno, ln))
        if not grids and lines and not is_toc:
            _warn_unruled_tables(lines, pno, state)
        return

    cursor = -1.0
    prev_lt: LogicalTable | None = None
    for gi, grid in enumerate(grids):
        top = grid.bbox[1]
        above = [ln for ln in lines if ln.bottom <= top + 1 and ln.top > cursor]
        # title: the title-like line nearest above the grid
        title_idx = None
        for i in range(len(above) - 1, -1, -1):
            if is_title_line(above[i]):
                title_idx = i
                break
        start, pre_texts = _pre_rows(grid)
        title = ""
        unit = ""
        used: set[int] = set()
        if title_idx is not None:
            title = clean_title(above[title_idx].text)
            used.add(title_idx)
        for t in pre_texts:
            if vocabulary.is_title(t) and not title:
                title = clean_title(t)
        if gi == 0 and orphan and not title and not any(not UNIT.search(ln.compact) for ln in above):
            title, unit = orphan  # the title the previous page ended with
        for i, ln in enumerate(above):
            m = UNIT.search(ln.compact)
            if m and (title_idx is None or i >= title_idx):
                unit = m.group(1)
                used.add(i)
            elif ln.compact.startswith("编制") and (title_idx is None or i > title_idx):
                used.add(i)
        for t in pre_texts:
            m = UNIT.search(t)
            if m:
                unit = m.group(1)
        # lines above the title: notes of the previous table (if they look like notes) or narrative
        before = [ln for i, ln in enumerate(above) if i not in used and (title_idx is None or i < title_idx)]
        between = [ln for i, ln in enumerate(above) if i not in used and title_idx is not None and i > title_idx]
        target = prev_lt if prev_lt is not None else (state.open if gi == 0 else None)
        _notes_or_narrative(before, target, pno, state, narrative)
        for ln in between:
            narrative.append((pno, ln))
        # the rest of a form whose name the previous page printed
        cut = cut_name(state.form) if state.form is not None and not title and continues_form(grid, start) else ""
        if cut or (is_form(grid, start) and (title or state.form is not None)):
            _read_form(grid, start, cut, title, unit, pno, state, narrative)
            prev_lt = None
            cursor = grid.bbox[3]
            continue
        state.form = None
        if title:
            lt, body_start = start_table(grid, title, unit or state.unit, pno, start, state.warnings)
            if not unit:
                state.warnings.append(f"page {pno}: no unit printed for table '{title}'; assumed {lt.unit or '?'}")
            state.unit = lt.unit if lt.unit in MONEY_UNITS else state.unit  # a table of counts sets no money unit
            state.logical.append(lt)
            grid_rows(grid, lt, body_start, pno, state.warnings)
        elif state.open is not None and not before and compatible(state.open, grid):
            lt = state.open
            continue_table(lt, grid, pno, start, state.warnings)
        else:
            lt, body_start = start_table(grid, "", unit or state.unit, pno, start, state.warnings)
            if not any(r for r in _probe_has_numbers(grid)):
                # a grid without a title and without numbers (a roster of units, a layout box):
                # keep its text as narrative instead of inventing a table
                for r in range(grid.nrows):
                    texts = [c.text for c in grid.anchored(r) if c.text]
                    if texts:
                        narrative.append((pno, Line(" | ".join(texts), grid.bbox[0], grid.bbox[2],
                                                    grid.ys[r], grid.ys[r + 1], 10.0)))
                state.open = None
                prev_lt = None
                cursor = grid.bbox[3]
                continue
            state.warnings.append(f"page {pno}: table without a printed title (first row y={top:.0f})")
            state.logical.append(lt)
            grid_rows(grid, lt, body_start, pno, state.warnings)
        state.open = lt
        prev_lt = lt
        cursor = grid.bbox[3]
    after = [ln for ln in lines if ln.top >= cursor - 1]
    _notes_or_narrative(after, prev_lt, pno, state, narrative)


def _read_form(grid: Grid, start: int, cut: str, title: str, unit: str, pno: int, state: _State,
               narrative: list) -> None:
    """A form (one project of a 绩效目标表): a row of the table its title starts, or of the one the
    previous forms fill; its text rows are narrative, each a sentence of its own."""
    x0, top, x1, bottom = grid.bbox
    if title:
        state.form = form_table(title, unit or state.unit, pno)
        state.logical.append(state.form)
    # each form's text a section of its own under the table's title (and on its own page)
    narrative.append((pno, Line(state.form.title, x0, x1, top, top, _HEADING_SIZE)))
    form = read_form(grid, start, cut)
    add_form(state.form, form, pno, cut=bool(cut))
    for text in form.lines:
        narrative.append((pno, Line(text if text.endswith("。") else text + "。", x0, x1, top, bottom, 0.0)))
    state.open = None


def _band_key(line: Line, height: float) -> str | None:
    """The digit-blind text of a line in the top or bottom band of its page, else None."""
    if line.bottom > height * RUNNING_BAND and line.top < height * (1 - RUNNING_BAND):
        return None
    return "".join("#" if ch.isdigit() else ch for ch in line.compact)


def _unify_chars(pages) -> None:
    """Every reader of the page (tables, lines, words) sees the ideographs printed, not radicals."""
    for page in pages:
        for char in page.chars:
            char["text"] = unify_ideographs(char["text"])


def _running_texts(pages) -> set[str]:
    """Texts printed in the top/bottom band of many pages (running headers, footers, page
    numbers): they separate nothing, so a table goes on across them."""
    counts: dict[str, int] = {}
    for page in pages:
        band = [c for c in page.chars if c["bottom"] <= page.height * RUNNING_BAND
                or c["top"] >= page.height * (1 - RUNNING_BAND)]
        for key in {_band_key(ln, page.height) for ln in chars_to_lines(band)} - {None, ""}:
            counts[key] = counts.get(key, 0) + 1
    least = max(3, len(pages) * 3 // 10)
    return {key for key, n in counts.items() if n >= least}


def _is_running(line: Line, height: float, running: set[str]) -> bool:
    return _band_key(line, height) in running


def _probe_has_numbers(grid: Grid):
    from budgetqa.parse.pdf_tables import is_decimal_number

    return [c for c in grid.cells if is_decimal_number(c.text)]


def _has_body_text(lines: list[Line]) -> bool:
    return any(len(ln.compact) > 0 for ln in lines)


def _orphan_title(lines: list[Line]) -> tuple[list[Line], tuple[str, str] | None]:
    """A page that ends with a table's title (and its unit line) but not the table: the lines
    before it, and (title, unit) for the table the next page begins with."""
    at = next((i for i in range(len(lines) - 1, max(len(lines) - 4, -1), -1) if is_title_line(lines[i])), None)
    if at is None or not all(UNIT.search(ln.compact) or ln.compact.startswith(("编制", "部门", "单位")) for ln in lines[at + 1:]):
        return lines, None
    unit = next((m.group(1) for ln in lines[at + 1:] if (m := UNIT.search(ln.compact))), "")
    return lines[:at], (clean_title(lines[at].text), unit)


def _notes_or_narrative(lines: list[Line], lt: LogicalTable | None, pno: int, state: _State, narrative: list) -> None:
    if not lines:
        return
    if lt is not None and NOTE_START.match(lines[0].compact):
        notes: list[str] = []
        for ln in lines:
            if NOTE_START.match(ln.compact) or not notes:
                notes.append(ln.compact)
            else:
                notes[-1] += ln.compact
        for table in lt.tables:
            table.notes.extend(notes)
        return
    for ln in lines:
        narrative.append((pno, ln))
    state.open = None


def _warn_unruled_tables(lines: list[Line], pno: int, state: _State) -> None:
    """A page with a table title and many amounts but no ruling lines: we do not guess."""
    from budgetqa.parse.pdf_tables import is_decimal_number

    titles = [ln for ln in lines if is_title_line(ln) and len(ln.compact) <= 40]
    amounts = sum(1 for ln in lines for tok in ln.text.split() if is_decimal_number(tok))
    if titles and amounts >= 6:
        state.warnings.append(
            f"page {pno}: '{clean_title(titles[0].text)}' looks like a table but has no ruling lines; "
            "its text is kept as narrative"
        )


def _sections(narrative: list[tuple[int, Line]]) -> list[Section]:
    """Narrative lines -> sections: headings make the path, numbered items and indented
    lines start new paragraphs."""
    sections: list[Section] = []
    path: list[str] = []
    levels: list[int] = []
    current: Section | None = None
    if not narrative:
        return sections
    sizes = sorted(ln.size for _, ln in narrative)
    body_size = sizes[len(sizes) // 2]
    margins: dict[int, float] = {}
    for pno, ln in narrative:
        margins[pno] = min(margins.get(pno, ln.x0), ln.x0)

    def set_heading(level: int, text: str) -> None:
        nonlocal current
        while levels and levels[-1] >= level:
            levels.pop()
            path.pop()
        levels.append(level)
        path.append(text)
        current = None

    toc_pages = {pno for pno, ln in narrative if TOC.match(ln.compact)}
    cover_lines = [ln for pno, ln in narrative if pno == 1]
    cover = len(cover_lines) <= 8 and 1 not in toc_pages
    for pno, ln in narrative:
        t = ln.compact
        if not t:
            continue
        if cover and pno == 1:
            if current is None or current.heading != ["封面"]:
                current = Section(heading=["封面"], text=ln.text, page=pno)
                sections.append(current)
            else:
                current.text += "\n" + ln.text
            continue
        if pno in toc_pages or (path[:1] == ["目录"] and current is not None and pno == current.page + 1
                                and not PART_HEADING.match(t) and ln.size <= body_size * 1.15 and _toc_like(t)):
            if current is None or current.heading != ["目录"]:
                path[:] = []
                levels[:] = []
                set_heading(0, "目录")
                current = Section(heading=["目录"], text=ln.text, page=pno)
                sections.append(current)
            else:
                current.text += "\n" + ln.text
            continue
        if path[:1] == ["目录"]:
            path[:] = []
            levels[:] = []
        short = len(t) <= 40 and not t.endswith(("。", "；", "，"))
        if PART_HEADING.match(t) and short:
            set_heading(0, t)
        elif ln.size > body_size * 1.15 and short:
            set_heading(1, t)
        elif CN_ENUM.match(t) and short:
            set_heading(2, t)
        elif CN_PAREN_ENUM.match(t) and short and "。" not in t:
            set_heading(3, t)
        else:
            new_par = (
                current is None
                or AR_ENUM.match(t)
                or CN_ENUM.match(t)
                or CN_PAREN_ENUM.match(t)
                or current.page is None
                or (ln.x0 - margins.get(pno, ln.x0) > 1.5 * max(ln.size, 1) and pno == current.page)
            )
            if new_par:
                current = Section(heading=list(path), text=t, page=pno)
                sections.append(current)
            else:
                current.text += t
    return [s for s in sections if s.text]


def _toc_like(text: str) -> bool:
    return "…" in text or bool(CN_ENUM.match(text)) or bool(AR_ENUM.match(text)) or bool(PART_HEADING.match(text))
