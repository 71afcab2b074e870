"""Consistency audit: finds the errors the documents are known to contain, and no false alarms."""
from __future__ import annotations

import pytest

from budgetqa.checks.audit import audit_document
from budgetqa.checks.commands import run_audit, to_markdown


def _audit(engine, name):
    engine.load()
    doc_id = next(d["doc_id"] for d in engine.documents() if d["source"] == name)
    return audit_document(engine.parsed(doc_id), engine.finder.facts_of([doc_id]))


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
    # one finding per discrepancy: the 项目支出 of 20406 司法 (whose 项 printed 64,840,547.00 twice) does not
    # add up, and the same gap breaks the 行政运行 row's 合计 (14,348,853.34 + 64,840,547.00 ≠ 14,348,853.34);
    # figures written as the table prints them
    assert all("表中印的是 64,840,547.00 元，相差 -64,840,547.00 元" in f.message and "2040601 行政运行" in f.message
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


# Every high finding over corpus/, checked by hand against the page (pdftoppm image / .txt line):
# (document, kind, page or line, figures the evidence must hold, verdict: a real error of the document?)
HIGH_FINDINGS = [
    ("上海市普陀区人民政府万里街道办事处24年预算.pdf", "narrative-vs-table", 9, {"352.67", "3,503,499"}, True),
    # p9 item 31: 住房公积金（项）350.35万元 … 2024年预算安排352.67万元; tables print 3,503,499 元
    ("上海市普陀区司法局单位26年预算.pdf", "narrative-vs-table", 6, {"57.8", "561,240.00"}, True),  # reviewers' item 3
    ("上海市普陀区司法局单位26年预算.pdf", "stated-change", 6, {"1690.69", "1434.89", "1.10"}, True),  # reviewers' item 2
    # p6 item 7: 执行数 57.43, 预算安排 57.8, "减少2.27%": the sentence's own figures give +0.64%
    ("上海市普陀区司法局单位26年预算.pdf", "stated-change", 6, {"57.43", "57.8", "2.27"}, True),
    ("上海市普陀区司法局单位26年预算.pdf", "narrative-vs-table", 7, {"170.03", "2,070,000.00"}, True),  # item 4
    ("上海市普陀区司法局单位26年预算.pdf", "stated-change", 7, {"241.76", "170.03", "21.74"}, True),  # item 4
    # p8 收支总表 人员经费 20,374,181 / 公用经费 1,744,680 vs p19 合计 20,272,981.00 / 1,845,880.34
    ("上海市普陀区司法局单位26年预算.pdf", "table-vs-table", 8, {"20,374,181", "20,272,981.00"}, True),
    ("上海市普陀区司法局单位26年预算.pdf", "table-vs-table", 8, {"1,744,680", "1,845,880.34"}, True),
    ("上海市普陀区司法局单位26年预算.pdf", "cross-foot", 11, {"64,840,547.00", "14,348,853.34"}, True),  # item 6
    ("上海市普陀区司法局单位26年预算.pdf", "cross-foot", 14, {"64,840,547.00", "14,348,853.34"}, True),  # item 7
    # p18: 年初预算为0万元 … 完成年初预算的95.89%
    ("中共上海市普陀区委社会工作部_2024_年度部门决算.pdf", "stated-change", 18, {"0", "95.89"}, True),
    # line 116 总计 日常公用支出 4.31, line 128 302 商品和服务支出 5.18
    ("固原市12345便民服务中心_2024年部门预算.txt", "cross-foot", 116, {"4.31", "5.18"}, True),
]


def _matches(finding: dict, doc: str, expected) -> bool:
    _, kind, where, printed, _ = expected
    return (doc == expected[0] and finding["kind"] == kind and where in (finding["page"], finding["line"])
            and printed <= {e.get("printed") for e in finding["evidence"]})


@pytest.fixture(scope="module")
def corpus_report(engine):
    return run_audit(engine)


def test_every_high_finding_over_the_corpus_is_hand_checked(corpus_report):
    high = [(d["doc"], f) for d in corpus_report for f in d["findings"] if f["severity"] == "high"]
    unlisted = [f"{doc}: {f['message']}" for doc, f in high if not any(_matches(f, doc, e) for e in HIGH_FINDINGS)]
    assert unlisted == []
    missing = [e for e in HIGH_FINDINGS if not any(_matches(f, doc, e) for doc, f in high)]
    assert missing == []
    true = sum(1 for doc, f in high if next(e for e in HIGH_FINDINGS if _matches(f, doc, e))[4])
    assert true / len(high) >= 0.95
    assert "| high |" in to_markdown(corpus_report)


def test_high_counts_per_document(corpus_report):
    counts = {d["doc"]: d["counts"]["high"] for d in corpus_report if d["counts"]["high"]}
    assert counts == {"上海市普陀区人民政府万里街道办事处24年预算.pdf": 1, "上海市普陀区司法局单位26年预算.pdf": 9,
                      "中共上海市普陀区委社会工作部_2024_年度部门决算.pdf": 1,
                      "固原市12345便民服务中心_2024年部门预算.txt": 1}


def test_rounding_gaps_are_low_and_in_the_documents_unit(corpus_report):
    # 无锡人社 p27/p30: 301 printed 23,647.92 万元 where its 12 items sum to 23,647.94 (each rounded to 0.01)
    doc = next(d for d in corpus_report if d["doc"] == "无锡_人力资源和社会保障局_2026年部门预算.pdf")
    gaps = [f for f in doc["findings"] if f["kind"] == "cross-foot" and f["page"] in (27, 30)]
    assert len(gaps) == 2 and all(f["size"] == "rounding" and f["severity"] == "low" for f in gaps)
    assert all(f["unit"] == "万元" and f["difference"] == "0.02" for f in gaps)


def test_one_finding_per_discrepancy(putuo):
    # the 行政运行 项目支出 cell breaks its row and its 款 in the same table: one finding per table
    hits = [f for f in putuo if f.kind == "cross-foot" and "2040601" in f.message]
    assert len(hits) == 2 and all("20406 司法" in f.message and f.severity == "high" for f in hits)
    assert all({"64,840,547.00", "14,348,853.34"} <= _printed(f) for f in hits)


# the reviewers' checklist (上海市普陀区司法局单位26年预算_公开检查表.xlsx): each item -> the finding that makes it
CHECKLIST = [
    ("预算编制说明 1: “增加（减少）”", lambda f: f.kind == "placeholder" and "增加（减少）" in f.message),
    ("预算编制说明 2: 减少1.10% vs −15.13%", lambda f: f.kind == "stated-change" and "1.10" in f.message
     and "-15.13" in f.message),
    ("预算编制说明 3: 56.12 vs 57.8", lambda f: f.kind == "narrative-vs-table" and "57.8" in f.message),
    ("预算编制说明 4: 207 vs 170.03, 21.74%", lambda f: f.kind == "stated-change" and "21.74" in f.message),
    ("预算编制说明 5: 医疗卫生与计划生育支出（210类）", lambda f: f.kind == "code-name" and "医疗卫生与计划生育支出" in f.message
     and "卫生健康支出" in f.message),
    ("支出预算总表: 行政运行 项目支出", lambda f: f.kind == "cross-foot" and f.page == 11),
    ("一般公共预算支出功能分类预算表: 行政运行 项目支出", lambda f: f.kind == "cross-foot" and f.page == 14),
    ("其他相关说明 1: “主要原因是。”", lambda f: f.kind == "placeholder" and "原因是。" in f.message),
    ("其他相关说明 2: “部门预算安排” in a 单位预算", lambda f: f.kind == "wording" and "部门预算安排" in f.message),
]


def test_reviewers_checklist_nine_of_nine(putuo):
    missed = [item for item, found in CHECKLIST if not any(found(f) for f in putuo)]
    assert missed == []
    # and no high finding on that document beyond the hand-checked ones
    assert sum(f.severity == "high" for f in putuo) == sum(1 for e in HIGH_FINDINGS if e[0].startswith("上海市普陀区司法局"))
