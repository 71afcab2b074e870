"""answer: turn ranked facts into the JSON answer of DESIGN.md — figures only from facts,
unit conversions shown, citations for every number used."""
from __future__ import annotations

from decimal import Decimal

from budgetqa.facts import Fact
from budgetqa.model import DocumentMeta, convert_unit


def format_decimal(value: Decimal) -> str:
    """A computed value in plain notation, trailing zeros dropped: 2170.3947, 147.87, 9. (Figures
    taken from a document are shown as printed, not through this.)"""
    return format(value.normalize(), "f")


def convert(fact: Fact, unit: str) -> tuple[Decimal, str, str]:
    """The fact's value in `unit` when both are money units; returns (value, unit, work shown)."""
    value = convert_unit(fact.value, fact.unit, unit) if unit and unit != fact.unit else None
    if value is None:
        return fact.value, fact.unit, ""
    return value, unit, f"{fact.printed} {fact.unit} = {format_decimal(value)} {unit}"


def citation(fact: Fact, meta: DocumentMeta) -> dict:
    return {
        "doc": fact.source, "entity": fact.entity, "year": fact.year, "doc_kind": fact.doc_kind,
        "level": fact.level, "page": fact.page, "line": fact.line,
        "table": fact.table or None, "table_id": fact.table_id or None, "part": fact.part or None,
        "row": fact.row if fact.kind == "cell" else None, "column": fact.column or None,
        "value": float(fact.value), "printed": fact.printed, "unit": fact.unit, "quote": fact.quote,
        "doc_id": fact.doc_id, "fact_id": fact.id, "kind": fact.kind,
        "table_kind": fact.table_kind or None, "measure": fact.measure or None, "ocr": fact.ocr,
    }


OCR_NOTE = "（OCR 识别 — 请核对页面图像）"


def place(fact: Fact) -> str:
    note = OCR_NOTE if fact.ocr else ""
    if fact.kind == "narrative":
        return f"原文（{fact.where}）{note}：“{fact.quote}”"
    table = f"《{fact.table}》" + (f"（{fact.part}）" if fact.part else "")
    return f"{table} {fact.row or '（无行名）'} · {fact.column}（{fact.where}）{note}"


def answered(question: str, fact: Fact, meta: DocumentMeta, unit: str = "") -> dict:
    value, value_unit, work = convert(fact, unit)
    shown = fact.printed if not work else format_decimal(value)
    statement = f"{meta.label}：{_item_name(fact)} 为 {shown} {value_unit}。"
    lines = [statement, f"来源：{fact.source}，{place(fact)}"]
    if work:
        lines.append(f"换算：{work}")
    return {
        "question": question, "status": "answered", "answer": "\n".join(lines),
        "value": float(value), "value_text": format_decimal(value), "printed": shown, "unit": value_unit,
        "citations": [citation(fact, meta)], "work": [work] if work else [], "candidates": [],
    }


def explained(question: str, fact: Fact, meta: DocumentMeta) -> dict:
    """A why / what-for question: the document's own sentence, quoted with its place."""
    lines = [f"{meta.label} 的说明（{fact.source}，{fact.where}）：", f"“{fact.quote}”"]
    return {"question": question, "status": "answered", "answer": "\n".join(lines),
            "value": float(fact.value), "value_text": fact.printed, "printed": fact.printed, "unit": fact.unit,
            "citations": [citation(fact, meta)], "work": [], "candidates": []}


def not_found(question: str, reason: str, nearest: list[tuple[Fact, DocumentMeta]], suggestions: list[str]) -> dict:
    lines = [f"未找到：{reason}。"]
    candidates = []
    if nearest:
        lines.append("最接近的数据：")
        for fact, meta in nearest:
            lines.append(f"- {meta.label} {_item_name(fact)} = {fact.printed} {fact.unit}（{place(fact)}）")
            candidates.append({"label": f"{meta.label} · {_item_name(fact)}",
                               "question": f"{meta.entity}{meta.year}年{meta.level}{meta.kind}{_item_name(fact)}是多少？"})
    for text in suggestions:
        candidates.append({"label": text, "question": text})
    return {"question": question, "status": "not_found", "answer": "\n".join(lines), "value": None,
            "unit": None, "citations": [citation(f, m) for f, m in nearest], "work": [],
            "candidates": candidates}


def ambiguous(question: str, per_doc: list[tuple[DocumentMeta, Fact | None]], unit: str = "") -> dict:
    lines = [f"问题可对应 {len(per_doc)} 份文档，请指明单位、年份或预算/决算。各文档中的数据："]
    candidates, citations = [], []
    for meta, fact in per_doc:
        if fact is None:
            lines.append(f"- {meta.label}{_scope(meta)}：未找到对应数据")
        else:
            value, value_unit, work = convert(fact, unit)
            shown = fact.printed if not work else format_decimal(value)
            lines.append(f"- {meta.label}{_scope(meta)}：{_item_name(fact)} = {shown} {value_unit}"
                         f"（{place(fact)}）")
            citations.append(citation(fact, meta))
        candidates.append({"label": meta.label, "doc": meta.source,
                           "question": f"{meta.entity}{meta.year}年{meta.level}{meta.kind}" + (
                               f"{_item_name(fact)}是多少？" if fact else "的情况")})
    return {"question": question, "status": "ambiguous", "answer": "\n".join(lines), "value": None,
            "unit": None, "citations": citations, "work": [], "candidates": candidates}


def one_figure(per_doc: list[tuple[DocumentMeta, Fact | None]]) -> bool:
    """Every document holds the item, names it alike and prints the same amount."""
    facts = [fact for _, fact in per_doc]
    if any(f is None or f.kind != "cell" for f in facts):
        return False
    amounts = {f.amount for f in facts}
    items = {f.row_code or f.row_label for f in facts}
    return len(amounts) == 1 and len(items) == 1


def answered_by_each(question: str, per_doc: list[tuple[DocumentMeta, Fact]], unit: str = "") -> dict:
    """Several documents fit and print one figure: the figure, cited in each of them."""
    first = per_doc[0][1]
    value, value_unit, work = convert(first, unit)
    shown = first.printed if not work else format_decimal(value)
    lines = [f"{_item_name(first)} 为 {shown} {value_unit}：{len(per_doc)} 份文档印的是同一数字。"]
    lines += [f"- {meta.label}{_scope(meta)}：{fact.source}，{place(fact)}" for meta, fact in per_doc]
    if work:
        lines.append(f"换算：{work}")
    return {"question": question, "status": "answered", "answer": "\n".join(lines),
            "value": float(value), "value_text": format_decimal(value), "printed": shown, "unit": value_unit,
            "citations": [citation(fact, meta) for meta, fact in per_doc], "work": [work] if work else [],
            "candidates": []}


def answered_where_found(question: str, fact: Fact, meta: DocumentMeta, absent: list[DocumentMeta],
                         unit: str = "") -> dict:
    """The 部门 and 单位 documents of one unit and year fit, and only one of them has the item."""
    result = answered(question, fact, meta, unit)
    result["answer"] += "\n（" + "、".join(f"{m.label}{_scope(m)}" for m in absent) + " 中没有这一项。）"
    return result


def _scope(meta: DocumentMeta) -> str:
    """What a document covers: a 部门 document includes its subordinate units."""
    return {"汇总": "（部门汇总，含所属单位）", "本级": "（本单位）"}.get(meta.scope, "")


def _item_name(fact: Fact) -> str:
    if fact.kind == "narrative":
        return fact.item or "所述数字"
    name = fact.row_label if fact.row_label else fact.row
    column = fact.column.split(" / ")[-1] if fact.column else ""
    table = fact.table + (f"（{fact.part}）" if fact.part else "")
    if not name:  # a table of one unlabeled row (三公): the header path names the figure
        return f"{table}中“{fact.column}”" if fact.column else table
    return f"{table}中“{name}”的{column}" if column else f"{table}中“{name}”"
