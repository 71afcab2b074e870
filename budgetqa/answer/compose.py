"""answer: the typed answer (Answer, Citation, Candidate, Operand) and the ways to write one from
ranked facts — figures only from facts, unit conversions shown, citations for every number used.
`Answer.to_json()` is the JSON shape of DESIGN.md / docs/CONTRACTS.md."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from budgetqa.model import standard
from budgetqa.model.document import DocumentMeta, convert_unit, parse_number
from budgetqa.model.facts import Fact
from budgetqa.model.text import normalize


@dataclass(frozen=True)
class Citation:
    """One cell or sentence an answer rests on."""
    fact: Fact

    def to_json(self) -> dict:
        fact = self.fact
        return {
            "doc": fact.source, "entity": fact.entity, "year": fact.year, "doc_kind": fact.doc_kind,
            "level": fact.level, "page": fact.page, "line": fact.line,
            "table": fact.table or None, "table_id": fact.table_id or None, "part": fact.part or None,
            "row": fact.row if fact.kind == "cell" else None, "column": fact.column or None,
            "value": None if fact.value is None else float(fact.value), "printed": fact.printed, "unit": fact.unit, "quote": fact.quote,
            "doc_id": fact.doc_id, "fact_id": fact.id, "kind": fact.kind,
            "table_kind": fact.table_kind or None, "measure": fact.measure or None, "ocr": fact.ocr,
        }


@dataclass(frozen=True)
class Candidate:
    """A question the user may ask instead (a document that fits, a nearby figure, a unit we have)."""
    label: str
    question: str
    doc: str | None = None  # the document's file name, when the candidate is one document

    def to_json(self) -> dict:
        doc = {} if self.doc is None else {"doc": self.doc}
        return {"label": self.label, **doc, "question": self.question}


@dataclass(frozen=True)
class Operand:
    """A figure a computation uses, in the computation's unit."""
    fact: Fact
    meta: DocumentMeta
    value: Decimal  # in the common unit


@dataclass(frozen=True)
class Answer:
    status: str  # answered | not_found | ambiguous
    text: str  # the answer in Chinese, figures with units and sources ("answer" in JSON)
    value: Decimal | None = None  # the principal figure (a computed result, a percentage as 4.58)
    unit: str | None = None
    citations: tuple[Citation, ...] = ()
    work: tuple[str, ...] = ()  # conversions and formulas shown
    candidates: tuple[Candidate, ...] = ()
    value_text: str | None = None  # the value in plain decimals (answered only)
    printed: str | None = None  # the figure as the answer shows it (a looked-up figure as printed)
    operands: tuple[Operand, ...] = ()  # a computed answer's figures (their facts are the citations)
    exact: Decimal | None = None  # a quotient before it was rounded to `value` (rounded again only from it)
    question: str = ""  # set by Engine.ask, with the warnings and the context
    warnings: tuple[str, ...] = ()  # contradictions the document has about a cited figure
    context: dict = field(default_factory=dict)  # what a follow-up question needs (pass it back to ask)

    def to_json(self) -> dict:
        out = {"question": self.question, "status": self.status, "answer": self.text,
               "value": None if self.value is None else float(self.value)}
        if self.value_text is not None:
            out["value_text"] = self.value_text
        if self.printed is not None:
            out["printed"] = self.printed
        out |= {"unit": self.unit, "citations": [c.to_json() for c in self.citations], "work": list(self.work),
                "candidates": [c.to_json() for c in self.candidates], "warnings": list(self.warnings),
                "context": self.context}
        return out

    def asked(self, question: str, context: dict, warnings: Sequence[str] = ()) -> Answer:
        """The answer as Engine.ask returns it: the question, the context for a follow-up, and the
        document's contradictions about the cited figures (said in the text too)."""
        text = self.text + ("\n注意（文件自相矛盾）：" + "；".join(warnings) if warnings else "")
        return replace(self, question=question, context=context, warnings=tuple(warnings), text=text)


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


OCR_NOTE = "（OCR 识别 — 请核对页面图像）"


def place(fact: Fact) -> str:
    note = OCR_NOTE if fact.ocr else ""
    if fact.kind == "narrative":
        return f"原文（{fact.where}）{note}：“{fact.quote}”"
    table = f"《{fact.table}》" + _qualifier(fact)
    return f"{table} {fact.row or '（无行名）'} · {fact.column}（{fact.where}）{note}"


def _qualifier(fact: Fact) -> str:
    """Which half of a side-by-side table (收入/支出), or which project's table (绩效目标表), a cell is in."""
    return "".join(f"（{words}）" for words in (fact.part, fact.item) if words)


def answered(fact: Fact, meta: DocumentMeta, unit: str = "") -> Answer:
    value, value_unit, work = convert(fact, unit)
    shown = fact.printed if not work else format_decimal(value)
    nothing = ""
    if fact.kind == "cell" and fact.value == 0 and parse_number(fact.printed) is None:  # "-" or a blank: 0
        shown, nothing = "0", f"（表中印作“{fact.printed}”）" if fact.printed else "（表中此栏空白）"
    statement = f"{meta.label}：{_item_name(fact)} 为 {shown} {value_unit}{nothing}。"
    lines = [statement, f"来源：{fact.source}，{place(fact)}"]
    if work:
        lines.append(f"换算：{work}")
    return Answer("answered", "\n".join(lines), value, value_unit, (Citation(fact),), (work,) if work else (),
                  value_text=format_decimal(value), printed=shown)


def answered_beside(fact: Fact, other: Fact, meta: DocumentMeta, unit: str, scope: str) -> Answer:
    """The figure asked, with the same item printed at another amount in another scope said beside it
    (公务接待费 of the 三公 table, and its 30217 row of basic spending)."""
    found = answered(fact, meta, unit)
    value, value_unit, work = convert(other, unit)
    shown = other.printed if not work else format_decimal(value)
    return replace(found, text=f"{found.text}\n另：{_item_name(other)}（{scope}）为 {shown} {value_unit}（{place(other)}），口径不同。")


def blank(fact: Fact, meta: DocumentMeta) -> Answer:
    """A cell the table leaves blank in a row that prints other figures: nothing, which is 0."""
    lines = [f"{meta.label}：{_item_name(fact)} 一栏为空白（表中未列数，即 0 {fact.unit}）。",
             f"来源：{fact.source}，{place(fact)}"]
    return Answer("answered", "\n".join(lines), Decimal(0), fact.unit, (Citation(fact),),
                  value_text="0", printed="")


def stated_none(fact: Fact, meta: DocumentMeta, unit: str) -> Answer:
    """The document says the unit has none of the item asked: 0, with its sentence."""
    lines = [f"{meta.label}：文件写明没有这一项，即 0 {unit}。", f"原文（{fact.source}，{fact.where}）：“{fact.quote}”"]
    return Answer("answered", "\n".join(lines), Decimal(0), unit, (Citation(fact),), value_text="0", printed="")


def explained(fact: Fact, meta: DocumentMeta, change: Fact | None = None) -> Answer:
    """A why / what-for question, or one asking what the document writes in words: its own
    sentence, quoted with its place; a reason without a figure gives the `change` it explains."""
    # a sentence with no figure is quoted after its paragraph's opening, which names its item
    # (and so is a clause that only states a change: "较上年减少 1.01 万元…")
    said = f"{fact.lead.strip()}……{fact.quote}" if fact.lead and fact.lead.strip() not in fact.quote else fact.quote
    lines = [f"{meta.label} 的说明（{fact.source}，{fact.where}）：", f"“{said}”"]
    if change is not None and change.kind == "cell":  # the figure asked beside the reason, from its table
        lines.append(f"所问的数：{_item_name(change)} {change.printed} {change.unit}（{place(change)}）")
    elif change is not None and change.quote not in said:  # the figure explained, from the sentence before
        lines.append(f"所说的数：{change.item} {change.printed} {change.unit}（{change.where}：“{change.quote}”）")
    figure = change or fact
    return Answer("answered", "\n".join(lines), figure.value, figure.unit or None,
                  (Citation(fact),) + ((Citation(change),) if change else ()),
                  value_text=figure.printed or None, printed=figure.printed or None)


def computed(value: Decimal, unit: str, text: str, formula: str, operands: list[Operand],
             exact: Decimal | None = None) -> Answer:
    """An arithmetic answer (budgetqa.answer.compute writes the text): every operand cited, the formula shown."""
    return Answer("answered", text, value, unit, tuple(Citation(op.fact) for op in operands), (formula,),
                  value_text=format_decimal(value), operands=tuple(operands), exact=exact)


def in_unit_asked(result: Answer, unit: str) -> Answer:
    """An amount answered in another money unit than the one asked ("增加了多少元" of a sentence in 万元):
    the same amount in the unit asked, the conversion shown."""
    if result.status != "answered" or result.value is None or not unit or result.unit == unit:
        return result
    value = convert_unit(result.value, result.unit or "", unit)
    if value is None:
        return result
    work = f"{format_decimal(result.value)} {result.unit} = {format_decimal(value)} {unit}"
    exact = None if result.exact is None else convert_unit(result.exact, result.unit or "", unit)
    return replace(result, value=value, unit=unit, value_text=format_decimal(value), exact=exact,
                   text=f"{result.text}\n换算：{work}", work=(*result.work, work))


def rounded(result: Answer, places: int) -> Answer:
    """A computed answer rounded as the question asks ("保留两位小数"), the exact result kept in its text."""
    if result.status != "answered" or result.value is None:
        return result
    exact = result.value if result.exact is None else result.exact  # (17.5468 → 17.5, never via 17.55 → 17.6)
    value = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if value == result.value:
        return result
    shown = f"{value:f} {result.unit or ''}".strip()
    return replace(result, value=value, value_text=f"{value:f}",
                   text=f"{result.text}\n保留 {places} 位小数：{shown}（精确值约 {format_decimal(exact.quantize(Decimal('0.0001'), ROUND_HALF_UP))}）")


def not_found(reason: str, nearest: Sequence[tuple[Fact, DocumentMeta]] = (), suggestions: Sequence[str] = ()) -> Answer:
    lines = [f"未找到：{reason}。"]
    candidates = []
    if nearest:
        lines.append("最接近的数据：")
        for fact, meta in nearest:
            lines.append(f"- {meta.label} {_item_name(fact)} = {fact.printed} {fact.unit}（{place(fact)}）")
            candidates.append(Candidate(f"{meta.label} · {_item_name(fact)}",
                                        f"{meta.entity}{meta.year}年{meta.level}{meta.kind}{_item_name(fact)}是多少？"))
    candidates += [Candidate(text, text) for text in suggestions]
    return Answer("not_found", "\n".join(lines), citations=tuple(Citation(f) for f, _ in nearest),
                  candidates=tuple(candidates))


def ambiguous(per_doc: list[tuple[DocumentMeta, Fact | None]], unit: str = "", header: str = "") -> Answer:
    lines = [header or f"问题可对应 {len(per_doc)} 份文档，请指明单位、年份或预算/决算。各文档中的数据："]
    candidates, citations = [], []
    for meta, fact in per_doc:
        if fact is None:
            lines.append(f"- {meta.label}{_scope(meta)}：未找到对应数据")
        else:
            value, value_unit, work = convert(fact, unit)
            shown = fact.printed if not work else format_decimal(value)
            lines.append(f"- {meta.label}{_scope(meta)}：{_item_name(fact)} = {shown} {value_unit}"
                         f"（{place(fact)}）")
            citations.append(Citation(fact))
        candidates.append(Candidate(meta.label, f"{meta.entity}{meta.year}年{meta.level}{meta.kind}" + (
            f"{_item_name(fact)}是多少？" if fact else "的情况"), doc=meta.source))
    return Answer("ambiguous", "\n".join(lines), citations=tuple(citations), candidates=tuple(candidates))


def ambiguous_names(unsure: list[tuple[str, list[DocumentMeta]]], question: str) -> Answer:
    """A name the question says fits several units' documents ("甲" of 甲市统计局 and 甲县自然资源局):
    each unit, and the question asked of it."""
    lines, candidates = [], []
    for surface, docs in unsure:
        units = len({m.entity for m in docs})
        lines.append(f"问题中的“{surface}”可指 {units} 个单位的文档，请指明是哪一个：" if units > 1 else
                     f"“{surface}”有 {len(docs)} 份文档（年份或类型不同），问题没有说是哪一份，请指明：")
        for meta in docs:
            lines.append(f"- {meta.label}{_scope(meta)}")
            asked = question.replace(surface, meta.entity, 1) if surface in question else f"（{meta.label}）{question}"
            candidates.append(Candidate(meta.label, asked, doc=meta.source))
    return Answer("ambiguous", "\n".join(lines), candidates=tuple(candidates))


def ambiguous_projects(facts: list[Fact], meta: DocumentMeta, unit: str = "") -> Answer:
    """Several projects' tables print the row asked, named alike: each with its figure."""
    lines = [f"{meta.label} 中有 {len(facts)} 个项目与问题同样相符，请指明项目："]
    for fact in facts:
        value, value_unit, work = convert(fact, unit)
        lines.append(f"- {fact.item}：{fact.row_label} · {fact.column} = "
                     f"{fact.printed if not work else format_decimal(value)} {value_unit}（{place(fact)}）")
    candidates = tuple(Candidate(meta.label, f"{meta.entity}{meta.year}年“{fact.item}”{fact.row_label}{fact.column}是多少？",
                                 doc=meta.source) for fact in facts)
    return Answer("ambiguous", "\n".join(lines), citations=tuple(Citation(f) for f in facts), candidates=candidates)


def ambiguous_rows(facts: list[Fact], meta: DocumentMeta, unit: str = "", why: str = "") -> Answer:
    """Rows named alike print different amounts: under different rows of one table (行政运行 under two
    款), or in two classifications' tables (`why` says so); each with its figure."""
    named = "、".join(dict.fromkeys(f"“{_printed_item(f)}”" for f in facts))
    lines = [f"{meta.label} 中有 {len(facts)} 处{named}，{why or '分属不同科目'}，请指明："]
    for fact in facts:
        value, value_unit, work = convert(fact, unit)
        lines.append(f"- {_item_name(fact)} = {fact.printed if not work else format_decimal(value)} {value_unit}"
                     f"（{place(fact)}）")
    candidates = tuple(Candidate(meta.label, f"{meta.entity}{meta.year}年《{fact.table}》中{fact.under}{fact.row_label}"
                                 f"{fact.column}是多少？", doc=meta.source) for fact in facts)
    return Answer("ambiguous", "\n".join(lines), citations=tuple(Citation(f) for f in facts), candidates=candidates)


def one_figure(per_doc: list[tuple[DocumentMeta, Fact | None]]) -> bool:
    """Every document holds the item, names it alike and prints the same amount."""
    facts = [fact for _, fact in per_doc]
    if any(f is None for f in facts) or len({f.kind for f in facts}) != 1 or facts[0].kind not in ("cell", "narrative"):
        return False
    amounts = {(f.amount, f.unit) for f in facts}
    items = {f.row_code or f.row_label if f.kind == "cell" else _WHOSE.sub("", normalize(f.item)) for f in facts}
    return len(amounts) == 1 and len(items) == 1


# a sentence's subject without whose it is ("2025年度本部门政府采购预算" = "本单位政府采购预算")
_WHOSE = re.compile(r"^(?:20[0-9]{2}年度?)?(?:本部门|本单位|部门|单位)?")


def answered_by_each(per_doc: list[tuple[DocumentMeta, Fact]], unit: str = "") -> Answer:
    """Several documents fit and print one figure: the figure, cited in each of them."""
    first = per_doc[0][1]
    value, value_unit, work = convert(first, unit)
    shown = first.printed if not work else format_decimal(value)
    lines = [f"{_item_name(first)} 为 {shown} {value_unit}：{len(per_doc)} 份文档印的是同一数字。"]
    lines += [f"- {meta.label}{_scope(meta)}：{fact.source}，{place(fact)}" for meta, fact in per_doc]
    if work:
        lines.append(f"换算：{work}")
    return Answer("answered", "\n".join(lines), value, value_unit, tuple(Citation(fact) for _, fact in per_doc),
                  (work,) if work else (), value_text=format_decimal(value), printed=shown)


def computed_in_each(results: list[tuple[DocumentMeta, Answer | None]]) -> Answer | None:
    """One computation asked of a unit whose 部门 and 单位 documents both fit: its result when they
    agree (or only one can compute it), each document's result when they differ; None when neither can."""
    found = [(meta, result) for meta, result in results if result is not None and result.status == "answered"]
    if not found:
        return None
    first = found[0][1]
    lacking = [meta for meta, result in results if result is None or result.status != "answered"]
    if len(found) == 1:
        lacking_said = "、".join(f"{m.label}{_scope(m)}" for m in lacking)
        return replace(first, text=f"{first.text}\n（{lacking_said} 中算不出这一项。）") if lacking else first
    if len({(result.value, result.unit) for _, result in found}) == 1:
        each = "、".join(f"{m.label}{_scope(m)}" for m, _ in found)
        return replace(first, text=f"{first.text}\n（{each} 算得同一结果。）",
                       citations=tuple(c for _, result in found for c in result.citations))
    lines = [f"问题可对应 {len(found)} 份文档，结果不同，请指明部门或单位："]
    lines += [f"- {meta.label}{_scope(meta)}：{format_decimal(result.value)} {result.unit}" for meta, result in found]
    return Answer("ambiguous", "\n".join(lines), citations=tuple(c for _, result in found for c in result.citations),
                  candidates=tuple(Candidate(meta.label, result.question or meta.label, doc=meta.source) for meta, result in found))


def answered_where_found(fact: Fact, meta: DocumentMeta, absent: list[DocumentMeta], unit: str = "") -> Answer:
    """The 部门 and 单位 documents of one unit and year fit, and only one of them has the item."""
    found = answered(fact, meta, unit)
    lacking = "、".join(f"{m.label}{_scope(m)}" for m in absent)
    return replace(found, text=f"{found.text}\n（{lacking} 中没有这一项。）")


def answered_only_here(fact: Fact, meta: DocumentMeta, checked: int, unit: str = "") -> Answer:
    """No unit named, and of the documents checked only this one prints the item (a code asked alone)."""
    found = answered(fact, meta, unit)
    return replace(found, text=f"{found.text}\n（问题没有指明单位；查了 {checked} 份文件，只有这一份有这一项。）")


def _scope(meta: DocumentMeta) -> str:
    """What a document covers: a 部门 document includes its subordinate units."""
    return {"汇总": "（部门汇总，含所属单位）", "本级": "（本单位）"}.get(meta.scope, "")


def _printed_item(fact: Fact) -> str:
    """The item a cell is of as printed: its row, or its column where the rows are periods (三公 tables)."""
    if fact.row_label in ("合计", "总计"):  # a table's total: the side or column it totals (支出总计, 本年支出合计)
        leaf = fact.column.split(" / ")[-1]
        return leaf if leaf.endswith(("合计", "总计")) else f"{fact.part}{fact.row_label}"
    if fact.row_label and not standard.is_period_row(fact.row_label):
        return fact.row_label
    return fact.column.split(" / ")[-1]


def _item_name(fact: Fact) -> str:
    if fact.kind == "narrative":
        return fact.item or "所述数字"
    name = fact.row_label if fact.row_label else fact.row
    if fact.under:  # 行政运行 printed under several rows: the one it is
        name = f"{fact.under}·{name}"
    column = fact.column.split(" / ")[-1] if fact.column else ""
    table = fact.table + _qualifier(fact)
    if not name:  # a table of one unlabeled row (三公): the header path names the figure
        return f"{table}中“{fact.column}”" if fact.column else table
    return f"{table}中“{name}”的{column}" if column else f"{table}中“{name}”"
