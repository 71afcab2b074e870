"""Per-document measures of the parser: closure share (勾稽) and high audit findings of every corpus document, and
metadata against the hand-read gold in eval/metadata.csv (entity, year, kind, scope, and
whether the file is a budget disclosure at all)."""
from __future__ import annotations

import csv
from pathlib import Path

from budgetqa.checks.audit import audit_document
from budgetqa.checks.closure import closure_summary
from budgetqa.parse import SUPPORTED_SUFFIXES, NotABudget, ParseError, parse_file
from budgetqa.parse.metadata import canonical_name


def corpus_closure(corpus: Path, log=print) -> list[dict]:
    docs = []
    for path in sorted(p for p in corpus.rglob("*") if p.suffix.lower() in SUPPORTED_SUFFIXES):
        try:
            docs.append(parse_file(path))
        except ParseError as error:
            log(f"eval: closure: {path.name}: {error}")
    high = {doc.meta.source: sum(f.severity == "high" for f in audit_document(doc)) for doc in docs}
    return [{k: v for k, v in row.items() if k != "failures"}
            | {"failures": [f"p{c.page} {c.table}: {c.description}" for c in row["failures"]],
               "audit_high": high[row["doc"]]}
            for row in closure_summary(docs)]


def metadata_accuracy(gold_csv: Path, root: Path) -> dict:
    """Share of files whose field is right, per field, and the rows that are wrong."""
    rows = list(csv.DictReader(gold_csv.open(encoding="utf-8")))
    fields = ("is_budget", "entity", "year", "kind", "scope")
    right = dict.fromkeys(fields, 0)
    counted = dict.fromkeys(fields, 0)
    wrong = []
    for gold in rows:
        got = _read(root / gold["file"])
        for field in fields:
            if field != "is_budget" and gold["is_budget"] != "yes":
                continue
            expected = {"scope": gold["level"], "year": gold["year"]}.get(field, gold.get(field, ""))
            if field == "scope" and not expected:
                continue
            value = got.get(field, "")
            if field == "entity":
                value, expected = canonical_name(value), canonical_name(expected)
            counted[field] += 1
            if str(value) == str(expected):
                right[field] += 1
            else:
                wrong.append({"file": gold["file"], "field": field, "expected": expected, "got": value})
    return {"fields": {f: (right[f] / counted[f] if counted[f] else None) for f in fields},
            "n": len(rows), "wrong": wrong}


def _read(path: Path) -> dict:
    try:
        doc = parse_file(path)
    except NotABudget:
        return {"is_budget": "no"}
    except ParseError as error:
        return {"is_budget": f"error: {error}"}
    m = doc.meta
    return {"is_budget": "yes", "entity": m.entity, "year": m.year or "", "kind": f"{m.level}{m.kind}",
            "scope": m.scope}
