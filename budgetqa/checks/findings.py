"""What every check reports: a typed finding with its severity, its size, the cells involved and the
document's own unit; and the helpers the checks share (rounding of printed figures, sentences of
the narrative, evidence records).

Severity follows the size of a discrepancy, relative and absolute:
- "rounding" (severity low): the difference is within the rounding of the printed digits;
- "small" (severity medium): beyond rounding but under both 1 % of the amount and 10,000 元;
- "large" (severity high): anything more.
A finding whose origin is "parser" is a doubt about our reading of a table (e.g. most of its sums fail
to close), reported apart from the document's own errors and never "high".
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from budgetqa.model.document import MONEY_UNITS, ParsedDocument, Row, Table

ZERO = Decimal(0)
HIGH, MEDIUM, LOW = "high", "medium", "low"
SEVERITY_ORDER = {HIGH: 0, MEDIUM: 1, LOW: 2}
ROUNDING, SMALL, LARGE = "rounding", "small", "large"
SEVERITY_OF_SIZE = {ROUNDING: LOW, SMALL: MEDIUM, LARGE: HIGH}
DOCUMENT, PARSER = "document", "parser"
# beyond rounding, a gap is "small" only when it is under both of these
SMALL_SHARE = Decimal("0.01")
SMALL_YUAN = Decimal(10000)


@dataclass
class Finding:
    kind: str  # cross-foot | table-vs-table | narrative-vs-table | stated-change | table-set |
    #            placeholder | year | wording | code-name | mixed-units | narrative-total | parser-doubt
    severity: str  # high | medium | low
    page: int | None
    line: int | None
    message: str
    evidence: list[dict] = field(default_factory=list)  # every cell / sentence involved
    doc: str = ""
    size: str = ""  # rounding | small | large for a difference of amounts, "" otherwise
    unit: str = ""  # the unit the message's amounts are in (the document's own)
    difference: str = ""  # the gap as printed in the message, in `unit`
    origin: str = DOCUMENT  # document (an error printed in the document) | parser (a doubt about our reading)

    def to_dict(self) -> dict:
        return asdict(self)


def half_step(printed: str) -> Decimal:
    """Half a unit of the last printed digit: '4.25' -> 0.005, '12,604,173' -> 0.5."""
    text = printed.strip().rstrip("%％").replace(",", "").replace("，", "")
    decimals = len(text.split(".")[1]) if "." in text else 0
    return Decimal(5) / (Decimal(10) ** (decimals + 1))


def size_of(diff_yuan: Decimal, amount_yuan: Decimal, rounding_yuan: Decimal) -> str:
    """How big a gap between amounts (all in 元) is: rounding | small | large."""
    diff = abs(diff_yuan)
    if diff <= rounding_yuan:
        return ROUNDING
    if diff < SMALL_YUAN and diff < abs(amount_yuan) * SMALL_SHARE:
        return SMALL
    return LARGE


def fmt(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def fmt_like(value: Decimal, printed: list[str]) -> str:
    """A computed amount written as the table writes its figures (thousands separators, decimals),
    so that it reads, and can be searched for, like the printed ones."""
    style = next((p for p in printed if p and p != "(blank)"), "")
    if not style:
        return fmt(value)
    decimals = len(style.split(".")[1]) if "." in style else 0
    exact = value.quantize(Decimal(1).scaleb(-decimals)) if -value.as_tuple().exponent <= decimals else value
    return f"{exact:,}" if "," in style else f"{exact}"


def in_unit(value_yuan: Decimal, unit: str) -> str:
    """An amount in 元 written in `unit` ('万元' -> 12.89 for 128900 元)."""
    return fmt(value_yuan / MONEY_UNITS.get(unit, Decimal(1)))


def document_unit(doc: ParsedDocument) -> str:
    """The unit most of the document's tables print their amounts in."""
    units = [t.unit for t in doc.tables if t.unit in MONEY_UNITS]
    return max(set(units), key=units.count) if units else "元"


def cell_evidence(doc: ParsedDocument, table: Table, row: Row, col: int) -> dict:
    cell = row.cell(col)
    return {
        "doc": doc.meta.source, "table": table.title, "table_id": table.id, "part": table.part or None,
        "row": f"{row.code} {row.label}".strip(), "column": table.column_name(col) if col < len(table.columns) else "",
        "printed": cell.printed if cell is not None else "", "unit": table.unit,
        "page": row.page or table.page, "line": row.line,
    }


def sentence_evidence(doc: ParsedDocument, sentence: str, printed: str, unit: str, page, line) -> dict:
    return {"doc": doc.meta.source, "table": None, "row": None, "column": None, "printed": printed,
            "unit": unit, "page": page, "line": line, "quote": sentence}


def table_evidence(doc: ParsedDocument, table: Table) -> dict:
    return {"doc": doc.meta.source, "table": table.title, "table_id": table.id, "row": None, "column": None,
            "printed": "", "unit": table.unit, "page": table.page, "line": table.line}


def sentences(doc: ParsedDocument):
    """(sentence, page, line, section index) for every sentence of the narrative."""
    for index, section in enumerate(doc.sections):
        line = section.line
        for piece in re.split(r"(?<=[。；;！？\n])", section.text):
            sentence = re.sub(r"\s*\n\s*", "", piece).strip()
            if sentence:
                yield sentence, section.page, line, index
            if line is not None:
                line += piece.count("\n")
