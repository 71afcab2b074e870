"""parse: a document file -> ParsedDocument (tables, narrative sections, metadata)."""
from __future__ import annotations

import hashlib
from pathlib import Path

from budgetqa import standard
from budgetqa.model import ParsedDocument

SUPPORTED_SUFFIXES = (".pdf", ".txt")


class ParseError(Exception):
    """A file that cannot be ingested; the message is one line naming the reason."""


class NotABudget(ParseError):
    """A readable file that is no budget disclosure (a report, a notice, a template)."""


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


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
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ParseError(f"not UTF-8 text (byte {error.start})") from None
    from budgetqa.parse.text_layout import parse_text

    return _settle(classify(parse_text(path, text, content_hash(data))))


def _settle(doc: ParsedDocument) -> ParsedDocument:
    from budgetqa.parse.metadata import settle

    problem = settle(doc.meta, doc.tables, doc.sections)
    if problem:
        raise NotABudget(problem)
    return doc


def classify(doc: ParsedDocument) -> ParsedDocument:
    """Give each table its standard type, phase and canonical measures (budgetqa.standard)."""
    for table in doc.tables:
        table.kind = standard.table_type(table.title)
        table.phase = standard.table_phase(table.title, doc.meta.kind)
        table.measures = [standard.measure(path, table.phase) for path in table.columns]
    return doc
