"""The parsed shape of a budget disclosure: every stage after `parse` works on these.

Money is Decimal; every number keeps the text it was printed as. Units are explicit
strings ("元", "万元", "%", "人", ...). Locations are 1-based page numbers for PDFs and
1-based line numbers for text extractions (either may be None when unknown).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

MONEY_UNITS = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(100000000)}

_NUMBER = re.compile(r"^[-−–]?\(?[0-9][0-9,，]*(\.[0-9]+)?\)?%?$")


# what a table prints for nothing: a dash or 无 is an amount of 0; the others only leave the cell empty
NIL_MARKS = frozenset({"-", "—", "--", "——", "－", "无"})
BLANK_MARKS = NIL_MARKS | {"/", "…", "……", "空"}


def parse_number(printed: str) -> Decimal | None:
    """'21,601,733.00' -> Decimal('21601733.00'); '-' / '' / '无' -> None."""
    text = printed.strip().replace(" ", "")
    if not text or not _NUMBER.match(text):
        return None
    negative = text[0] in "-−–" or text.startswith("(")
    digits = text.strip("-−–()%").replace(",", "").replace("，", "")
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    return -value if negative else value


def convert_unit(value: Decimal, unit: str, target: str) -> Decimal | None:
    """The same amount in `target`: money converts between 元/千元/万元/亿元; any unit converts to
    itself; anything else (人 to 万元, % to 元) is None."""
    if unit == target:
        return value
    if unit in MONEY_UNITS and target in MONEY_UNITS:
        return value * MONEY_UNITS[unit] / MONEY_UNITS[target]
    return None


def to_yuan(value: Decimal, unit: str) -> Decimal | None:
    return convert_unit(value, unit, "元") if unit in MONEY_UNITS else None


def as_decimal(value) -> Decimal | None:
    """A JSON or printed number as Decimal: 1011.95, 9, '21,601,733.00', '4.58%'; None otherwise."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (int, float)):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return parse_number(str(value))


@dataclass
class Cell:
    column: int  # index into Table.columns
    printed: str  # exactly as in the document
    value: Decimal | None  # None when the cell is blank or not a number


@dataclass
class Row:
    code: str  # national classification code ("2010350", "30101") or "" when none
    label: str  # 科目名称 / 项目, whitespace-normalised ("合计" for total rows)
    cells: list[Cell]
    page: int | None = None
    line: int | None = None
    owner: str = ""  # the unit printed in the row's 单位名称 column, beside its item
    count_unit: str = ""  # what its 数量 counts, from its 计量单位 column (台, 套, 项)

    def cell(self, column: int) -> Cell | None:
        return next((c for c in self.cells if c.column == column), None)


@dataclass
class Table:
    id: str  # stable within a document: "t01", "t02", ... in document order
    title: str  # as printed without the year prefix, e.g. "支出预算总表"
    unit: str  # unit of measure of its amounts: "万元" or "元"
    columns: list[tuple[str, ...]]  # header path per value column, e.g. ("项目支出",) or ("收入", "预算数")
    rows: list[Row]
    page: int | None = None  # first page
    pages: list[int] = field(default_factory=list)
    line: int | None = None  # first line (text documents)
    part: str = ""  # for side-by-side tables split in two: "收入" / "支出"
    notes: list[str] = field(default_factory=list)  # "注：…", "本单位无…" (empty-table notes)
    empty: bool = False  # the document marks it as empty (无 / 空表 / 本单位没有…)
    kind: str = "other"  # standard table type (budgetqa.model.standard.TABLE_TYPES), "other" if none
    phase: str = ""  # "预算" | "决算"
    measures: list[str] = field(default_factory=list)  # canonical measure per column
    # forms without a unit line: the money unit a header row notes for its columns
    # ("项目资金(万元) | 年初预算数 | 全年执行数" -> {"年初预算数": "万元", …}), by column name
    column_units: dict[str, str] = field(default_factory=dict)

    def column_name(self, column: int) -> str:
        return " / ".join(p for p in self.columns[column] if p)


@dataclass
class Section:
    heading: list[str]  # heading path, outermost first
    text: str
    page: int | None = None
    line: int | None = None


@dataclass
class DocumentMeta:
    doc_id: str  # sha256 of the file content, first 16 hex digits
    source: str  # file name (no directory)
    entity: str  # the unit's canonical name, e.g. "泉州市12345政务服务便民热线中心"
    aliases: list[str] = field(default_factory=list)  # other names the document uses
    year: int | None = None
    kind: str = ""  # "预算" | "决算"
    level: str = ""  # "部门" | "单位"
    scope: str = ""  # "本级" (the unit itself) | "汇总" (a department with its subordinate units)
    ocr_pages: list[int] = field(default_factory=list)  # pages read by OCR (scanned, no text layer)
    region: str = ""  # e.g. "福建省泉州市", "上海市普陀区"
    members: list[str] = field(default_factory=list)  # units its tables print as rows (a department's own units)
    pages: int | None = None  # PDFs only
    lines: int | None = None  # text documents only
    encoding: str = ""  # text documents only: "UTF-8", "GB18030" or "UTF-16", as detected

    @property
    def label(self) -> str:
        """'泉州市12345政务服务便民热线中心 2026年 单位预算'"""
        return f"{self.entity} {self.year or '年份未知'}年 {self.level}{self.kind}".replace("年份未知年", "年份未知")


@dataclass
class ParsedDocument:
    meta: DocumentMeta
    tables: list[Table]
    sections: list[Section]
    warnings: list[str] = field(default_factory=list)  # "page 7: row '…' has 3 cells for 6 columns"


def document_to_dict(doc: ParsedDocument) -> dict:
    """JSON-ready form (Decimals as strings) — how a parsed document is stored in the index."""
    from dataclasses import asdict

    def convert(value):
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [convert(v) for v in value]
        return value

    return convert(asdict(doc))


def document_from_dict(data: dict) -> ParsedDocument:
    tables = []
    for t in data["tables"]:
        rows = [Row(code=r["code"], label=r["label"], page=r.get("page"), line=r.get("line"), owner=r.get("owner", ""),
                    count_unit=r.get("count_unit", ""), cells=[Cell(column=c["column"], printed=c["printed"],
                                value=None if c["value"] is None else Decimal(c["value"]))
                           for c in r["cells"]])
                for r in t["rows"]]
        tables.append(Table(**{**t, "rows": rows, "columns": [tuple(c) for c in t["columns"]]}))
    return ParsedDocument(meta=DocumentMeta(**data["meta"]), tables=tables,
                          sections=[Section(**s) for s in data["sections"]],
                          warnings=list(data.get("warnings", [])))
