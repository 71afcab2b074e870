"""Documents from places the parser was not written on: the national sample.

Gold: eval/metadata.csv (read from each file's cover and first pages by hand),
tests/fixtures/not_budgets/ocr_gold.csv (figures read from the scanned page images).
"""
from __future__ import annotations

import csv
from pathlib import Path

import pdfplumber
import pytest

from budgetqa.model import standard
from budgetqa.parse import NotABudget, ocr, parse_file
from budgetqa.parse.metadata import canonical_name

ROOT = Path(__file__).resolve().parent.parent
METADATA = list(csv.DictReader((ROOT / "eval" / "metadata.csv").open(encoding="utf-8")))
BUDGETS = [m for m in METADATA if m["is_budget"] == "yes"]
NOT_BUDGETS = [m for m in METADATA if m["is_budget"] == "no"]
SCANNED = ROOT / "tests" / "fixtures" / "not_budgets" / "长沙_市场监督管理局_2026年部门预算.pdf"
_docs: dict = {}


def doc(path: str):
    if path not in _docs:
        _docs[path] = parse_file(ROOT / path)
    return _docs[path]


@pytest.mark.parametrize("gold", BUDGETS, ids=[m["file"].split("/")[-1] for m in BUDGETS])
def test_metadata_from_content(gold):
    meta = doc(gold["file"]).meta
    assert canonical_name(meta.entity) == canonical_name(gold["entity"])
    assert meta.year == int(gold["year"])
    assert meta.kind == gold["kind"][-2:]  # 预算 / 决算


@pytest.mark.parametrize("gold", NOT_BUDGETS, ids=[m["file"].split("/")[-1] for m in NOT_BUDGETS])
def test_files_that_are_no_budget_are_refused(gold):
    with pytest.raises(NotABudget) as error:
        parse_file(ROOT / gold["file"])
    message = str(error.value)
    assert "\n" not in message and len(message) < 200


def test_scanned_report_is_read_by_ocr_and_named_in_the_refusal():
    with pytest.raises(NotABudget, match="绩效评价"):
        parse_file(SCANNED)


def test_ocr_reads_the_hand_read_figures():
    gold = list(csv.DictReader((SCANNED.parent / "ocr_gold.csv").open(encoding="utf-8")))
    pages = {int(g["page"]) for g in gold}
    with pdfplumber.open(SCANNED) as pdf:
        assert all(ocr.needs_ocr(page) for page in pdf.pages)
        text = {p: "".join("".join(ln.text.split()) for ln in ocr.page_lines(pdf.pages[p - 1])) for p in pages}
    found = [g for g in gold if g["printed"] in text[int(g["page"])]]
    assert len(gold) >= 12
    assert len(found) >= len(gold) - 1, [g["printed"] for g in gold if g not in found]


NATIONAL = [m["file"] for m in BUDGETS if m["file"].startswith("corpus/national/")]


@pytest.mark.parametrize("path", NATIONAL, ids=[p.split("/")[-1] for p in NATIONAL])
def test_standard_tables_found(path):
    kinds = {t.kind for t in doc(path).tables}
    assert {"收支总表", "收入总表", "支出总表", "财政拨款收支总表", "一般公共预算支出表",
            "一般公共预算基本支出表", "三公经费表"} <= kinds


# a project's form (项目名称 | name, 资金总额 | amount, indicator rows) under a title printed inside its
# grid, and one the page cuts after its name; gold read from the page images
@pytest.mark.parametrize("path,project,amounts,target", [
    ("corpus/national/福州_2026年福州市民政局部门预算.pdf", "办公楼租金及物业",
     {"资金总额": "133.78", "财政拨款": "133.78", "其他资金": "0.00"}, "=2873.46平方米"),
    ("corpus/national/福州_医疗保障局_2026年部门预算.pdf", "2026年医疗服务与保障能力提升补助资金",
     {"资金总额": "745.00", "财政拨款": "745.00", "其他资金": "0.00"}, "≥18次"),
])
def test_performance_forms_give_each_project_its_amounts_and_targets(path, project, amounts, target):
    parsed = doc(path)
    rows = [(t, r) for t in parsed.tables if t.kind == "项目支出绩效目标表" for r in t.rows if r.label == project]
    assert len(rows) == 1
    table, row = rows[0]
    assert {table.column_name(c.column): c.printed for c in row.cells} == amounts
    assert table.measures[table.columns.index(("资金总额",))] == "合计"
    assert any(project in s.text and target in "".join(s.text.split()) for s in parsed.sections)


@pytest.mark.parametrize("path,expected", [
    (("本年预算", "基本支出", "小计"), "基本支出"),
    (("上年预算数",), "上年预算"),
    (("本年支出", "预算数", "基本支出", "人员经费"), "人员经费"),
    (("一般公共预算支出", "合计"), "合计"),
    (("收入预算", "事业收入"), "其他资金"),
    (("年初结转和结余",), "上年结转"),
    (("上年结转结余", "一般公共预算"), "上年结转"),  # a fund's part of the carry-over, not this year's income
    (("上年结转结余", "小计"), "上年结转"),
    (("部门",), "other"),
    (("公用经费", "金额"), "公用经费"),
    (("财政拨款“三公”经费", "合计", "预算数"), "本年预算"),
])
def test_measures_from_printed_headers(path, expected):
    assert standard.measure(path) == expected


def test_amount_columns_take_the_phase_of_their_table():
    assert standard.measure(("金额",), "决算") == "决算数"
    assert standard.measure(("金额",), "预算") == "本年预算"
    assert standard.measure(("财政拨款“三公”经费", "合计", "预算数"), "决算") == "本年预算"


@pytest.mark.parametrize("path,phase,year,expected", [
    (("上年决算数",), "决算", 2024, "上年执行数"),  # last year's actual, never this year's 决算数
    (("2023年决算数",), "决算", 2024, "上年执行数"),
    (("2024年决算数",), "决算", 2024, "决算数"),
    (("上年数",), "预算", 2026, "上年预算"),
    (("上年数",), "决算", 2024, "上年执行数"),
    (("本年数",), "决算", 2024, "决算数"),
    (("2025年",), "预算", 2026, "上年预算"),  # 三公 tables headed by bare years
    (("2026年",), "预算", 2026, "本年预算"),
    (("2026年度",), "预算", 2026, "本年预算"),
    (("年度预算安排(万元)",), "预算", 2024, "本年预算"),  # a unit note is not part of the measure
    (("金额（元）",), "决算", 2024, "决算数"),
])
def test_measures_of_year_and_unit_headers(path, phase, year, expected):
    assert standard.measure(path, phase, year) == expected


@pytest.mark.parametrize("title, project", [
    ("96196 电梯应急处置服务平台项目绩效目标表", "96196电梯应急处置服务平台"),
    ("2022年三明市12345平台热线外包服务运营费项目绩效自评表", "三明市12345平台热线外包服务运营费"),
    ("项目支出绩效目标表", ""),  # the template's own title names no project
    ("部门整体绩效目标表", ""),
    ("单位预算项目绩效目标表", ""),
])
def test_a_per_project_tables_title_names_its_project(title, project):
    assert standard.titled_project(title) == project


def test_classification_levels():
    assert standard.classification("2080505") == standard.Classification("功能", "项")
    assert standard.classification("30101") == standard.Classification("经济", "款")
    assert standard.classification("12345") == standard.Classification("", "")


def test_a_departments_units_are_the_ones_its_text_lists():
    """无锡人社 p.5: "预算单位共计 8 家，具体包括：…" — a unit whose name extends the department's
    (…综合服务中心) is one of them, and a name the page break cuts is read whole."""
    listed = ["无锡市人力资源和社会保障局(本级)", "无锡市劳动就业管理中心", "无锡市劳动保障监察支队",
              "无锡市劳动人事争议仲裁院", "无锡市社会保险基金管理中心", "无锡市人力资源和社会保障综合服务中心",
              "无锡市人才服务中心", "江苏省无锡技师学院"]
    assert sorted(doc("corpus/national/无锡_人力资源和社会保障局_2026年部门预算.pdf").meta.members) == sorted(listed)


def test_a_label_cut_by_the_page_break_joins_its_row():
    """政府采购支出表 pp.35–36 (printed -35-/-36-): "无锡市社会保" | 66.00 at the foot, "险基金管理中心"
    alone atop the next page, both cells ruled closed."""
    parsed = doc("corpus/national/无锡_人力资源和社会保障局_2026年部门预算.pdf")
    table = next(t for t in parsed.tables if t.kind == "政府采购表")
    rows = [r for r in table.rows if "基金管理中心" in r.label]
    assert [(r.label, [c.printed for c in r.cells][-1]) for r in rows] == [
        ("无锡市社会保险基金管理中心", "11.00"), ("无锡市社会保险基金管理中心", "66.00")]
