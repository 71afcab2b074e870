"""The export tables as pandas DataFrames, read from the engine's public interface: documents
(`documents()`, `parsed()`), facts (`finder.facts_of()`) and the audit (`run_audit`).

Every value stays exact: numbers are written as decimal text in plain notation, never floats;
missing values are None (an empty cell), never NaN.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from budgetqa.checks.commands import evidence_text, run_audit
from budgetqa.export.columns import CELLS, DOCUMENTS, FINDINGS, NARRATIVE, ExportTable
from budgetqa.model import standard
from budgetqa.model.document import MONEY_UNITS, ParsedDocument, Table
from budgetqa.model.facts import Fact, row_amounts
from budgetqa.model.text import normalize
from budgetqa.query import thesaurus


@dataclass
class ExportData:
    """The four export tables, one DataFrame each (columns as in budgetqa.export.columns)."""
    documents: pd.DataFrame
    cells: pd.DataFrame
    narrative: pd.DataFrame
    findings: pd.DataFrame

    def frames(self) -> dict[str, pd.DataFrame]:
        return {"documents": self.documents, "cells": self.cells, "narrative": self.narrative,
                "findings": self.findings}


def decimal_text(value: Decimal | None) -> str | None:
    """Plain notation that keeps every printed digit: Decimal('0.00000000') -> '0.00000000', not '0E-8'."""
    return None if value is None else format(value, "f")


def build(engine, doc_ids: list[str] | None = None, with_findings: bool = True) -> ExportData:
    """The export tables of these documents (all when None)."""
    docs = [d for d in engine.documents() if doc_ids is None or d["doc_id"] in doc_ids]
    wanted = [d["doc_id"] for d in docs]
    facts = engine.finder.facts_of(wanted)
    cells = [f for f in facts if f.kind == "cell"]
    narrative = [f for f in facts if f.kind == "narrative"]
    tables = {doc_id: {t.id: t for t in engine.parsed(doc_id).tables} for doc_id in wanted}
    audit = run_audit(engine, wanted) if with_findings and wanted else []
    counts = Counter((f.doc_id, f.kind) for f in facts)
    return ExportData(
        documents=_frame(DOCUMENTS, [_document_row(d, engine.parsed(d["doc_id"]), counts) for d in docs]),
        cells=_frame(CELLS, [_cell_row(f, tables[f.doc_id].get(f.table_id)) for f in cells]),
        narrative=_frame(NARRATIVE, [_narrative_row(f) for f in narrative]),
        findings=_frame(FINDINGS, _finding_rows(audit, facts)),
    )


def rows_of_facts(engine, fact_ids: list[str], doc_ids: list[str]) -> pd.DataFrame:
    """The cells and narrative rows of these facts of these documents, in the order given (an
    answer's citations): the columns of both tables, those of the other kind left empty."""
    data = build(engine, doc_ids, with_findings=False)
    rows = pd.concat([data.cells, data.narrative], ignore_index=True).astype(object)
    rows = rows.where(rows.notna(), None).set_index("fact_id", drop=False)
    return rows.loc[[i for i in dict.fromkeys(fact_ids) if i in rows.index]].reset_index(drop=True)


def model_cell_count(doc: ParsedDocument) -> int:
    """The amounts of a parsed document's tables the model keeps: what the cells table must hold for it."""
    return sum(len(row_amounts(t, r)) for t in doc.tables for r in t.rows)


def _frame(table: ExportTable, rows: list[dict]) -> pd.DataFrame:
    # object dtype: integers with gaps stay integers, None stays an empty cell
    return pd.DataFrame(rows, columns=table.names, dtype=object)


def _document_row(doc: dict, parsed: ParsedDocument, counts: Counter) -> dict:
    doc_id, closure = doc["doc_id"], doc.get("closure")
    return {**{k: doc.get(k) for k in DOCUMENTS.names}, "aliases": "；".join(doc["aliases"]),
            "cells": counts[doc_id, "cell"], "narrative": counts[doc_id, "narrative"],
            "closure": None if closure is None else f"{closure:.4f}",
            "doubtful": bool(doc.get("doubtful")), "missing_tables": "；".join(doc.get("missing_tables") or []),
            "ocr_pages": "，".join(str(p) for p in parsed.meta.ocr_pages) or None}


def _amounts(fact: Fact) -> dict:
    return {"value": decimal_text(fact.value), "unit": fact.unit,
            "currency": "CNY" if fact.unit in MONEY_UNITS else None,
            "value_yuan": decimal_text(fact.value_yuan), "printed": fact.printed,
            "page": fact.page, "line": fact.line, "ocr": fact.ocr}


def _source(fact: Fact) -> dict:
    return {"fact_id": fact.id, "doc_id": fact.doc_id, "source": fact.source, "entity": fact.entity,
            "year": fact.year or None, "doc_kind": fact.doc_kind, "level": fact.level}


def _cell_row(fact: Fact, table: Table | None) -> dict:
    scheme = standard.classification(fact.row_code)
    return {**_source(fact), "table_id": fact.table_id, "table_kind": fact.table_kind, "table_title": fact.table,
            "part": fact.part or None, "phase": (table.phase if table else "") or fact.doc_kind,
            "row_code": fact.row_code or None, "row_label": fact.row_label, "project": fact.item or None,
            "code_scheme": scheme.scheme or None, "code_level": scheme.level or None,
            **_code_levels(fact.row_code, scheme.scheme),
            "measure": fact.measure, "column": fact.column, **_amounts(fact), "row_text": fact.quote}


def _narrative_row(fact: Fact) -> dict:
    return {**_source(fact), "section": fact.row_label or None, "item": fact.item or None, **_amounts(fact),
            "sentence": fact.quote}


def _code_levels(code: str, scheme: str) -> dict:
    """'2010350' (功能) -> functional_l1_code 201, l2 20103, l3 2010350, each with its national name."""
    prefix = {"功能": "functional", "经济": "economic"}.get(scheme)
    if not prefix:
        return {}
    levels = {}
    for depth, length in enumerate((3, 5, 7), 1):
        if len(code) >= length:
            levels[f"{prefix}_l{depth}_code"] = code[:length]
            levels[f"{prefix}_l{depth}_name"] = thesaurus.code_name(code[:length])
    return levels


def _finding_rows(audit: list[dict], facts: list[Fact]) -> list[dict]:
    places = _FactPlaces(facts)
    rows = []
    for doc in audit:
        for number, finding in enumerate(doc["findings"], 1):
            ids = [i for e in finding["evidence"] for i in places.ids(e)]
            rows.append({"finding_id": f"{doc['doc_id']}:{number}", "doc_id": doc["doc_id"], "source": doc["doc"],
                         "kind": finding["kind"], "severity": finding["severity"], "size": finding["size"] or None,
                         "origin": finding["origin"], "difference": finding["difference"] or None,
                         "unit": finding["unit"] or None, "page": finding["page"],
                         "line": finding["line"], "message": finding["message"],
                         "evidence": evidence_text(finding["evidence"]),
                         "fact_ids": " ".join(dict.fromkeys(ids)) or None})
    return rows


class _FactPlaces:
    """The facts an audit finding's evidence names: a cell by its table, row, column and printed
    figure; a sentence's number by its printed figure in that sentence (a fact's quote may run on
    into the sentence that explains it)."""

    def __init__(self, facts: list[Fact]):
        self.cells: dict[tuple, list[str]] = {}
        self.numbers: dict[tuple, list[tuple[str, str]]] = {}
        for f in facts:
            if f.kind == "cell":  # the audit names a half of a side-by-side table "title（part）"
                for table in {f.table, f"{f.table}（{f.part}）" if f.part else f.table}:
                    self.cells.setdefault((f.source, table, f.row, f.column, f.printed), []).append(f.id)
            else:
                self.numbers.setdefault((f.source, f.printed), []).append((normalize(f.quote), f.id))

    def ids(self, evidence: dict) -> list[str]:
        if evidence.get("row") is not None:
            return self.cells.get((evidence.get("doc"), evidence.get("table"), evidence.get("row"),
                                   evidence.get("column"), evidence.get("printed")), [])
        quote = normalize(evidence.get("quote") or "")
        return [i for text, i in self.numbers.get((evidence.get("doc"), evidence.get("printed")), [])
                if quote and quote in text]
