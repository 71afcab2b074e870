"""parse: a document file -> ParsedDocument (tables, narrative sections, metadata)."""
from __future__ import annotations

import codecs
import hashlib
from dataclasses import replace
from pathlib import Path

from budgetqa.model import standard
from budgetqa.model.document import ParsedDocument, Row, Table
from budgetqa.model.text import unify_ideographs

SUPPORTED_SUFFIXES = (".pdf", ".txt")


class ParseError(Exception):
    """A file that cannot be ingested; the message is one line naming the reason."""


class NotABudget(ParseError):
    """A readable file that is no budget disclosure (a report, a notice, a template)."""


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding) of a text file: UTF-16 when it starts with its byte-order mark, else UTF-8,
    else GB18030 (a superset of GBK and GB2312, what Chinese Windows tools save); ParseError when
    none of them reads it."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8-sig", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:  # NUL characters: a binary file that happens to decode
            return text, {"utf-8-sig": "UTF-8", "gb18030": "GB18030", "utf-16": "UTF-16"}[encoding]
    raise ParseError("无法识别的文本编码（支持 UTF-8、GBK/GB18030、带 BOM 的 UTF-16）")


def parse_file(path: str | Path) -> ParsedDocument:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ParseError(f"unsupported file type '{suffix or path.name}' (supported: {', '.join(SUPPORTED_SUFFIXES)})")
    data = path.read_bytes()
    if not data.strip():
        raise ParseError("empty file")
    if suffix == ".pdf":
        from budgetqa.parse.pdf_layout import parse_pdf

        return _settle(classify(parse_pdf(path, data)))
    text, encoding = decode_text(data)
    from budgetqa.parse.text_layout import parse_text

    doc = parse_text(path, unify_ideographs(text), content_hash(data))
    doc.meta.encoding = encoding
    return _settle(classify(doc))


def _settle(doc: ParsedDocument) -> ParsedDocument:
    from budgetqa.parse.metadata import settle

    problem = settle(doc.meta, doc.tables, doc.sections)
    if problem:
        raise NotABudget(problem)
    return doc


def classify(doc: ParsedDocument) -> ParsedDocument:
    """Give each table its standard type, phase and canonical measures (budgetqa.model.standard)."""
    doc.tables = [part for table in doc.tables for part in split_sections(table)]
    for i, table in enumerate(doc.tables, 1):
        table.id = f"t{i:02d}"
    for table in doc.tables:
        table.kind = standard.table_type(table.title)
        table.phase = standard.table_phase(table.title, doc.meta.kind)
        table.measures = [standard.measure(path, table.phase, doc.meta.year) for path in table.columns]
    return doc


_PARTS = ("收入", "支出")


def split_sections(table: Table) -> list[Table]:
    """A 收支总表 printed as one list, its 收入 rows under a "收入" heading row and its 支出 rows
    under a "支出" one: two parts, as a side-by-side one is read (the heading rows are no figures,
    nor is the first one a level of the column header)."""
    if table.part:
        return [table]
    heads = [i for i, row in enumerate(table.rows) if _section_word(row) == _PARTS[1]]
    if len(heads) != 1 or not any(_PARTS[0] in path for path in table.columns) and not any(
            _section_word(row) == _PARTS[0] for row in table.rows[:heads[0]]):
        return [table]
    columns = [tuple(p for p in path if p not in _PARTS) or path for path in table.columns]
    before = [row for row in table.rows[:heads[0]] if not _section_word(row)]
    return [replace(table, columns=columns, rows=before, part=_PARTS[0]),
            replace(table, columns=list(columns), rows=table.rows[heads[0] + 1:], part=_PARTS[1], notes=[])]


def _section_word(row: Row) -> str:
    """"收入" / "支出" when the row is only that heading (in its label or its one text cell)."""
    texts = [row.label.strip()] + [c.printed.strip() for c in row.cells if c.value is None]
    words = [t for t in texts if t]
    numbers = [c for c in row.cells if c.value is not None]
    return words[0] if len(words) == 1 and words[0] in _PARTS and not numbers and not row.code else ""
