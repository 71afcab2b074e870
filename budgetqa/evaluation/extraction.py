"""Extraction accuracy: parsed table cells against the hand-transcribed ground truth.

A ground-truth cell and a parsed cell match on (normalised table title, part, row code — or the
normalised row label when the ground truth has no code —, normalised column path); their printed
values are compared as Decimals after removing thousands separators. Precision counts the parsed
numeric cells of the tables the ground truth covers; recall counts the ground-truth cells.
"""
from __future__ import annotations

import csv
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from budgetqa.evaluation.matching import norm_column, norm_label, norm_table
from budgetqa.model.document import ParsedDocument, as_decimal


@dataclass
class GTCell:
    doc: str
    table: str
    part: str
    row_code: str
    row_label: str
    column: str
    printed: str
    unit: str

    def key(self) -> tuple:
        row = ("code", self.row_code.strip()) if self.row_code.strip() else ("label", norm_label(self.row_label))
        return (norm_table(self.table), self.part.strip(), row, norm_column(self.column))


@dataclass
class ParsedCell:
    table: str
    part: str
    row_code: str
    row_label: str
    column: str
    printed: str
    unit: str
    page: int | None
    line: int | None

    def keys(self) -> list[tuple]:
        base = (norm_table(self.table), self.part.strip())
        keys = []
        if self.row_code.strip():
            keys.append((*base, ("code", self.row_code.strip()), norm_column(self.column)))
        keys.append((*base, ("label", norm_label(self.row_label)), norm_column(self.column)))
        return keys


@dataclass
class Counts:
    gt: int = 0
    parsed: int = 0
    matched: int = 0  # recall numerator: gt cells found with the right value
    parsed_matched: int = 0  # precision numerator: parsed cells matching a gt cell with the right value
    unit_agree: int = 0

    @property
    def precision(self) -> float | None:
        return self.parsed_matched / self.parsed if self.parsed else None

    @property
    def recall(self) -> float | None:
        return self.matched / self.gt if self.gt else None

    def add(self, other: "Counts") -> None:
        for name in ("gt", "parsed", "matched", "parsed_matched", "unit_agree"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict:
        return {"gt_cells": self.gt, "parsed_cells": self.parsed, "matched": self.matched,
                "precision": self.precision, "recall": self.recall}


@dataclass
class DocResult:
    doc: str
    path: str | None
    error: str = ""
    seconds: float = 0.0
    counts: Counts = field(default_factory=Counts)
    tables: dict = field(default_factory=dict)  # (table, part) -> Counts
    mismatches: list[dict] = field(default_factory=list)
    warnings: int = 0

    def as_dict(self) -> dict:
        return {"doc": self.doc, "path": self.path, "error": self.error, "seconds": round(self.seconds, 2),
                "parser_warnings": self.warnings, **self.counts.as_dict(),
                "tables": [{"table": t, "part": p, **c.as_dict()} for (t, p), c in self.tables.items()],
                "mismatches": self.mismatches}


def load_ground_truth(path: Path) -> list[GTCell]:
    cells = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if not (row.get("printed") or "").strip():
                continue
            cells.append(GTCell(**{k: (row.get(k) or "").strip() for k in
                                   ("doc", "table", "part", "row_code", "row_label", "column", "printed", "unit")}))
    return cells


def parsed_cells(doc: ParsedDocument) -> list[ParsedCell]:
    cells = []
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                if cell.value is None or not cell.printed.strip():
                    continue
                cells.append(ParsedCell(table=table.title, part=table.part or "", row_code=row.code or "",
                                        row_label=row.label or "", column=table.column_name(cell.column),
                                        printed=cell.printed, unit=table.unit,
                                        page=row.page or table.page, line=row.line))
    return cells


def compare(gt: list[GTCell], parsed: list[ParsedCell]) -> tuple[Counts, dict, list[dict]]:
    """Match cells; returns overall counts, counts per (table, part) and the mismatches."""
    covered = {(norm_table(c.table), c.part.strip()) for c in gt}
    in_scope = [p for p in parsed if (norm_table(p.table), p.part.strip()) in covered]
    # index parsed cells by every key they answer to; each parsed cell is used at most once
    by_key: dict[tuple, list[int]] = defaultdict(list)
    for i, cell in enumerate(in_scope):
        for key in cell.keys():
            by_key[key].append(i)
    used: set[int] = set()
    titles = {}
    per_table: dict[tuple, Counts] = {}
    mismatches = []
    total = Counts()

    def counts_for(table: str, part: str) -> Counts:
        key = (norm_table(table), part.strip())
        titles.setdefault(key, (table, part))
        return per_table.setdefault(titles[key], Counts())

    # first pass: exact value matches (so duplicated keys pair up by value), then the rest
    pending = []
    for g in gt:
        counts = counts_for(g.table, g.part)
        counts.gt += 1
        total.gt += 1
        gold = as_decimal(g.printed)
        hit = next((i for i in by_key.get(g.key(), []) if i not in used
                    and as_decimal(in_scope[i].printed) == gold), None)
        if hit is None:
            pending.append(g)
            continue
        used.add(hit)
        counts.matched += 1
        total.matched += 1
        if in_scope[hit].unit == g.unit:
            counts.unit_agree += 1
            total.unit_agree += 1
    by_row: dict[tuple, set[str]] = defaultdict(set)  # (table, part, row) -> parsed column paths
    for cell in in_scope:
        for key in cell.keys():
            by_row[key[:3]].add(cell.column)
    for g in pending:
        other = next((i for i in by_key.get(g.key(), []) if i not in used), None)
        if other is None:
            columns = sorted(by_row.get(g.key()[:3], ()))
            hint = ("row found; parsed columns: " + "; ".join(columns[:4])) if columns else "row not found"
            mismatches.append({"kind": "missing", "table": g.table, "part": g.part, "row": _row(g),
                               "column": g.column, "expected": g.printed, "parsed": None, "where": hint})
        else:
            used.add(other)
            cell = in_scope[other]
            mismatches.append({"kind": "wrong value", "table": g.table, "part": g.part, "row": _row(g),
                               "column": g.column, "expected": g.printed, "parsed": cell.printed,
                               "where": _where(cell)})
    gt_keys = {g.key() for g in gt}
    for i, cell in enumerate(in_scope):
        counts = counts_for(cell.table, cell.part)
        counts.parsed += 1
        total.parsed += 1
        if i in used:
            continue
        if not any(k in gt_keys for k in cell.keys()):
            mismatches.append({"kind": "extra", "table": cell.table, "part": cell.part,
                               "row": f"{cell.row_code} {cell.row_label}".strip(), "column": cell.column,
                               "expected": None, "parsed": cell.printed, "where": _where(cell)})
    # precision numerator: parsed cells paired one-to-one with a gt cell of equal value
    total.parsed_matched = total.matched
    for counts in per_table.values():
        counts.parsed_matched = counts.matched
    return total, per_table, mismatches


def _row(g: GTCell) -> str:
    return f"{g.row_code} {g.row_label}".strip()


def _where(cell: ParsedCell) -> str:
    if cell.page:
        return f"p.{cell.page}"
    return f"l.{cell.line}" if cell.line else ""


def find_document(stem: str, corpus: Path) -> Path | None:
    matches = sorted(p for p in corpus.rglob("*") if p.is_file() and p.stem == stem
                     and p.suffix.lower() in (".pdf", ".txt"))
    return matches[0] if matches else None


def run_extraction(gt_dir: Path, corpus: Path, parse=None, log=print) -> list[DocResult]:
    if parse is None:
        from budgetqa.parse import parse_file as parse
    results = []
    for gt_path in sorted(gt_dir.glob("*.csv")):
        gt = load_ground_truth(gt_path)
        doc_path = find_document(gt_path.stem, corpus)
        result = DocResult(doc=gt_path.stem, path=str(doc_path) if doc_path else None)
        if doc_path is None:
            result.error = "document not found under corpus/"
            result.counts.gt = len(gt)
            results.append(result)
            continue
        started = time.perf_counter()
        try:
            doc = parse(doc_path)
        except Exception as error:  # noqa: BLE001 — a parser failure is a measured result
            result.error = f"{type(error).__name__}: {error}"
            result.counts.gt = len(gt)
            results.append(result)
            log(f"extraction: {doc_path.name}: {result.error}")
            continue
        result.seconds = time.perf_counter() - started
        result.warnings = len(doc.warnings)
        result.counts, result.tables, result.mismatches = compare(gt, parsed_cells(doc))
        results.append(result)
    return results


def overall(results: list[DocResult]) -> Counts:
    total = Counts()
    for r in results:
        total.add(r.counts)
    return total
