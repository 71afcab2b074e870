"""Reviewers' structural checks on planted-problem documents: edited copies of real disclosures
(tests/fixtures/planted/, written by make_planted.py), one problem each. Each copy raises the finding
of its problem; the real, unedited originals raise none of these kinds."""
from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path

import pytest

from budgetqa.checks.audit import audit_document
from budgetqa.parse import parse_file

ROOT = Path(__file__).resolve().parent.parent
PLANTED = ROOT / "tests" / "fixtures" / "planted"
SEEDS = ROOT / "corpus" / "seeds"
STRUCTURAL_KINDS = {"placeholder", "year", "wording", "code-name", "narrative-total", "mixed-units", "table-set"}

_spec = importlib.util.spec_from_file_location("make_planted", PLANTED / "make_planted.py")
make_planted = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_planted)

# planted problem -> (kind, severity, words the message must hold)
EXPECTED = {
    "placeholder": ("placeholder", "high", ["XX"]),
    "template_leftover": ("placeholder", "medium", ["增加（减少）"]),
    "empty_reason": ("placeholder", "medium", ["原因是。"]),
    "as_of_year": ("year", "medium", ["截至2024年12月", "2025年"]),
    "heading_year": ("year", "medium", ["2025 年度单位预算情况说明"]),
    "flat_but_changed": ("wording", "high", ["持平", "0.50"]),
    "direction": ("wording", "high", ["增加 51.77", "下降 4.58"]),
    "level_word": ("wording", "medium", ["单位预算", "部门预算安排"]),
    "code_name": ("code-name", "medium", ["2010350", "事业单位运行费", "事业运行"]),
    "narrative_total_zero": ("narrative-total", "high", ["0 万元"]),
    "mixed_units": ("mixed-units", "medium", ["一般公共预算拨款支出预算表", "一万倍"]),
    "header_unit": ("mixed-units", "medium", ["预算数（元）", "万元"]),
    "missing_table": ("table-set", "medium", ["三公经费表"]),
    "final_more_than_budget": ("wording", "high", ["决算数大于预算数", "2.00", "0.10"]),
}
SUFFIXES = [e[0] for e in make_planted.EDITS] + [r[0] for r in make_planted.REMOVALS]


def _file(suffix: str) -> Path:
    original = next(e[1] for e in make_planted.EDITS + make_planted.REMOVALS if e[0] == suffix)
    return PLANTED / make_planted.planted_name(suffix, original)


def test_every_planted_problem_has_an_expectation():
    assert sorted(SUFFIXES) == sorted(EXPECTED)


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_planted_file_is_the_generators_output(suffix):
    edit = next((e for e in make_planted.EDITS if e[0] == suffix), None)
    if edit:
        expected = make_planted.planted_text(*edit[1:])
    else:
        removal = next(r for r in make_planted.REMOVALS if r[0] == suffix)
        expected = make_planted.removed_text(*removal[1:])
    assert _file(suffix).read_text(encoding="utf-8") == expected


@pytest.fixture(scope="module")
def originals():
    names = {e[1] for e in make_planted.EDITS + make_planted.REMOVALS}
    return {name: audit_document(parse_file(SEEDS / name)) for name in names}


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_planted_problem_is_found_once(suffix, originals):
    kind, severity, words = EXPECTED[suffix]
    original = _file(suffix).name.split("__")[0] + ".txt"
    before = {(f.kind, f.message) for f in originals[original]}
    new = [f for f in audit_document(parse_file(_file(suffix))) if (f.kind, f.message) not in before]
    hits = [f for f in new if f.kind == kind]
    assert len(hits) == 1, [f.message for f in new]
    assert hits[0].severity == severity and all(w in hits[0].message for w in words), hits[0].message
    assert hits[0].page or hits[0].line or kind == "table-set"  # located, except a table that is absent


def test_unedited_originals_have_no_structural_finding(originals):
    for name, findings in originals.items():
        assert [f.message for f in findings if f.kind in STRUCTURAL_KINDS] == [], name


def test_misread_table_is_one_parser_doubt_not_a_flood():
    """A table read one column off (as when a merged header cell is missed): every sum of it fails and
    every item it shares with other tables differs. That is our doubt, reported once, never high."""
    doc = parse_file(SEEDS / make_planted.QUANZHOU)
    table = next(t for t in doc.tables if t.kind == "支出总表")
    for row in table.rows:
        row.cells = [dataclasses.replace(c, column=(c.column + 1) % len(table.columns)) for c in row.cells]
    findings = audit_document(doc)
    doubts = [f for f in findings if f.kind == "parser-doubt" and f.origin == "parser"]
    assert len(doubts) == 1 and table.title in doubts[0].message and doubts[0].severity == "low"
    assert [f.message for f in findings if f.severity == "high" or f.kind in ("cross-foot", "table-vs-table")] == []
