"""Claim check against the bundled corpus (each expected figure checked against the source text)."""
from __future__ import annotations

import pytest

from budgetqa.checks.claims import check_claim, figures, in_figures
from budgetqa.evaluation.claims import evaluate, load_claims

SANMING = "三明市12345热线中心2023年花了"  # 收入支出决算总表 本年支出合计 402.64 万元


@pytest.mark.parametrize("claim, verdict", [
    (SANMING + "400多万元", "supported"),
    (SANMING + "500多万元", "contradicted"),
    (SANMING + "约400万元", "supported"),
    (SANMING + "超过450万元", "contradicted"),
    (SANMING + "不到450万元", "supported"),
    (SANMING + "402.64万元", "supported"),
    (SANMING + "4026400元", "supported"),  # unit conversion
])
def test_sanming_total(engine, claim, verdict):
    result = check_claim(engine, claim)
    assert result["verdict"] == verdict, result["explanation"]
    assert result["checks"][0]["found"] == pytest.approx(402.64 if "元" != result["checks"][0]["unit"] else 4026400)


def test_true_claim_cites_the_cell(engine):
    result = check_claim(engine, SANMING + "400多万元")
    cite = result["checks"][0]["citations"][0]
    assert cite["doc"] == "三明市12345政务服务便民热线中心_2023年度部门决算.txt" and cite["printed"] == "402.64"


def test_two_figures_partly(engine):
    # 泉州 2026: 一般公共预算拨款支出 1182.04 万元, 增长 4.58% (line 279)
    base = "泉州市12345政务服务便民热线中心2026年一般公共预算拨款支出1182.04万元，比上年增长"
    assert check_claim(engine, base + "4.58%")["verdict"] == "supported"
    result = check_claim(engine, base + "9%")
    assert result["verdict"] == "partly"
    assert [c["verdict"] for c in result["checks"]] == ["supported", "contradicted"]


def test_exact_figure_wrong_in_last_digit(engine):
    # 司法局 三公 table p20: 公务用车运行费 9.98 万元
    assert check_claim(engine, "上海市普陀区司法局2026年公务用车运行费9.98万元")["verdict"] == "supported"
    assert check_claim(engine, "上海市普陀区司法局2026年公务用车运行费9.89万元")["verdict"] == "contradicted"


def test_unverifiable_unit_not_in_corpus(engine):
    result = check_claim(engine, "北京市12345热线中心2024年花了300万元")
    assert result["verdict"] == "unverifiable"
    assert "北京" in result["explanation"]


def test_self_contradictory_document(engine):
    # 固原: narrative (line 213) 卫生健康支出 4.24 万元, table (line 69) 4.25 万元
    result = check_claim(engine, "固原市12345便民服务中心2024年卫生健康支出4.24万元")
    check = result["checks"][0]
    assert check.get("document_conflict") and "4.24" in check["explanation"] and "4.25" in check["explanation"]
    assert {c["printed"] for c in check["citations"]} >= {"4.24", "4.25"}


def test_no_figure(engine):
    assert check_claim(engine, "三明市12345热线中心的工作很辛苦")["verdict"] == "unverifiable"


def test_figure_parsing():
    figs = figures("花了400多万元，增长约5%，共有车辆3辆，2023年")
    assert [(f["printed"], f["unit"], f["qualifier"], f["many"]) for f in figs] == [
        ("400", "万元", "", True), ("5", "%", "约", False), ("3", "辆", "", False)]


def test_each_figure_is_checked_against_its_own_item(engine):
    # 福建省 2024 基本支出表 (lines 233, 235): 基本工资 40.2, 奖金 4.4 万元
    result = check_claim(engine, "福建省12345政务服务便民热线中心2024年基本工资40.2万元，奖金40.2万元")
    assert result["verdict"] == "partly"
    wage, bonus = result["checks"]
    assert wage["verdict"] == "supported" and bonus["verdict"] == "contradicted" and bonus["found"] == 4.4


@pytest.mark.parametrize("claim, verdict, found", [
    # 三明 2023 决算 line 447: 公务接待费 较上年减少 1.01 万元，下降 90.99%
    ("三明市12345热线中心2023年公务接待费比上年下降约九成", "supported", 90.99),
    ("三明市12345热线中心2023年公务接待费比上年下降约五成", "contradicted", 90.99),
    # 泉州 2026 line 275: 项目支出 1011.95 of 支出预算 1182.04 万元 = 85.61 %
    ("泉州市12345政务服务便民热线中心2026年项目支出占总支出的八成以上", "supported", 85.61),
    ("泉州市12345政务服务便民热线中心2026年项目支出占总支出的九成以上", "contradicted", 85.61),
])
def test_shares_and_changes_in_words(engine, claim, verdict, found):
    result = check_claim(engine, claim)
    assert result["verdict"] == verdict, result["explanation"]
    assert result["checks"][0]["found"] == pytest.approx(found) and result["checks"][0]["unit"] == "%"


def test_words_become_percentages():
    assert in_figures("下降约九成，八成以上，近七成，一半，翻番") == "下降约90%，80%以上，近70%，50%，增长100%"


def test_one_verdict_per_document(engine):
    # both the 部门预算 and the 单位预算 of 商务委 2025 print on p22 "涉及项目预算资金11381.60万元"
    result = check_claim(engine, "上海市普陀区商务委员会2025年涉及项目预算资金11381.60万元")
    assert result["verdict"] == "supported"
    assert {d["doc"]: d["verdict"] for d in result["per_document"]} == {
        "上海市普陀区商务委员会25年预算.pdf": "supported", "上海市普陀区商务委员会单位25年预算.pdf": "supported"}


def test_claims_set(engine):
    """eval/claims.jsonl: 64 claims with verdicts read from the documents by hand; ≥ 90 % right."""
    summary = evaluate(engine, load_claims())
    assert summary["total"] >= 60 and summary["accuracy"] >= 0.9, summary["wrong"]
