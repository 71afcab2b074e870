"""Consistency audit: finds the errors the documents are known to contain, and no false alarms."""
from __future__ import annotations

import pytest

from budgetqa.checks.audit import audit_document
from budgetqa.checks.commands import run_audit, to_markdown


def _audit(engine, name):
    engine.load()
    doc_id = next(d["doc_id"] for d in engine.documents() if d["source"] == name)
    return audit_document(engine.parsed(doc_id), [f for f in engine.facts if f.doc_id == doc_id])


@pytest.fixture(scope="module")
def putuo(engine):
    return _audit(engine, "上海市普陀区司法局单位26年预算.pdf")


def _printed(finding):
    return {e.get("printed") for e in finding.evidence}


def test_putuo_xingzheng_yunxing_project_cell_p11_and_p14(putuo):
    # reviewers: 行政运行 项目支出 64,840,547.00 printed on p11 and p14, parts ≠ 合计
    hits = [f for f in putuo if f.kind == "cross-foot" and f.severity == "high" and "2040601" in f.message]
    assert {f.page for f in hits} == {11, 14}
    assert all("64,840,547.00" in _printed(f) and "14,348,853.34" in _printed(f) for f in hits)
    # figures written as the table prints them: 14,348,853.34 + 64,840,547.00 = 79,189,400.34
    assert all("各分项之和为 79,189,400.34 元，表中印的是 14,348,853.34 元，相差 -64,840,547.00 元" in f.message
               for f in hits), [f.message for f in hits]


def test_putuo_stated_changes(putuo):
    msgs = [f.message for f in putuo if f.kind == "stated-change" and f.severity == "high"]
    assert any("1.10" in m and "-15.13" in m for m in msgs)  # 行政运行 1434.89 vs 1690.69
    assert any("21.74" in m and "-29.67" in m for m in msgs)  # 购房补贴 170.03 vs 241.76
    assert not any("22.22" in m for m in msgs)  # 0.62 vs 0.50: only a rounding artefact


def test_putuo_item_amounts_vs_table(putuo):
    msgs = [f.message for f in putuo if f.kind == "narrative-vs-table" and f.severity == "high"]
    assert any("57.8" in m and "561,240.00" in m for m in msgs)  # 行政单位离退休 56.12 vs 57.8
    assert any("170.03" in m and "2,070,000.00" in m for m in msgs)  # 购房补贴 207 vs 170.03


def test_putuo_personnel_split_p8_vs_p19(putuo):
    hits = [f for f in putuo if f.kind == "table-vs-table" and f.severity == "high"]
    printed = set().union(*(_printed(f) for f in hits))
    assert {"20,374,181", "20,272,981.00", "1,744,680", "1,845,880.34"} <= printed


def test_putuo_totals_without_decimals_are_low(putuo):
    low = [f for f in putuo if f.severity == "low" and "22,118,861" in _printed(f)]
    assert low and all(f.page in (12, 15) for f in low)


def test_guyuan_narrative_4_24_vs_table_4_25(engine):
    findings = _audit(engine, "固原市12345便民服务中心_2024年部门预算.txt")
    hit = [f for f in findings if f.kind == "narrative-vs-table" and {"4.24", "4.25"} <= _printed(f)]
    assert len(hit) == 1 and hit[0].severity == "low" and hit[0].line == 213


def test_guyuan_zhiye_nianjin_4_30_vs_4_29(engine):
    findings = _audit(engine, "固原市12345便民服务中心_2024年部门预算.txt")
    hit = [f for f in findings if f.kind == "table-vs-table" and {"4.29", "4.30"} <= _printed(f)]
    assert len(hit) == 1 and hit[0].severity == "low"


def test_guyuan_daily_public_4_31_vs_5_18_is_high(engine):
    findings = _audit(engine, "固原市12345便民服务中心_2024年部门预算.txt")
    assert any(f.kind == "cross-foot" and f.severity == "high" and "4.31" in _printed(f) for f in findings)


def test_caizhengju_326_71_vs_326_72(engine):
    findings = _audit(engine, "上海市普陀区财政局2024年度部门决算.pdf")
    hits = [f for f in findings if f.kind == "table-vs-table" and {"326.71", "326.72"} <= _printed(f)]
    assert {f.page for f in hits} == {6, 12} and all(f.severity == "low" for f in hits)


@pytest.mark.parametrize("name", ["泉州市12345政务服务便民热线中心_2026年度单位预算.txt",
                                  "三明市12345政务服务便民热线中心_2025年度单位预算.txt",
                                  "福建省12345政务服务便民热线中心_2024年度单位预算.txt",
                                  "上海市普陀区商务委员会单位25年预算.pdf"])
def test_clean_documents_have_no_alarm(engine, name):
    assert [f.message for f in _audit(engine, name) if f.severity == "high"] == []


def test_every_high_finding_over_the_corpus_is_known(engine):
    """The reviewed list of high-severity findings over all bundled documents (all real errors)."""
    report = run_audit(engine)
    high = {d["doc"]: d["counts"]["high"] for d in report if d["counts"]["high"]}
    assert high == {"上海市普陀区司法局单位26年预算.pdf": 11,
                    "固原市12345便民服务中心_2024年部门预算.txt": 2,
                    "中共上海市普陀区委社会工作部_2024_年度部门决算.pdf": 1,  # 完成年初预算(0万元)的95.89%
                    "上海市普陀区人民政府万里街道办事处24年预算.pdf": 2,  # 住房公积金 350.35 vs 352.67
                    # p23 支出总计 152,585.76 vs 本年支出 152,585.74; p27/p30 301 printed 23,647.92, items 23,647.94
                    "无锡_人力资源和社会保障局_2026年部门预算.pdf": 3}
    assert "| high |" in to_markdown(report)
