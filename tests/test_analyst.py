"""Analyst questions: follow-ups that reuse the previous question, arithmetic with every operand
cited. Gold figures read from the seed documents (line numbers in comments)."""
from __future__ import annotations

from decimal import Decimal

FUJIAN = "福建省12345政务服务便民热线中心_2024年度单位预算.txt"
SANMING_2023 = "三明市12345政务服务便民热线中心_2023年度部门决算.txt"
QUANZHOU = "泉州市12345政务服务便民热线中心_2026年度单位预算.txt"


def test_follow_up_reuses_item_and_unit_with_a_new_year(engine):
    first = engine.ask("三明热线2025年住房公积金多少？")
    assert (first.value, first.unit) == (Decimal("12.12"), "万元")  # 三明 2025 30113 住房公积金 12.12
    follow = engine.ask("那2023年呢？", first.context)
    assert follow.status == "answered"
    assert (follow.value, follow.unit) == (Decimal("9.4"), "万元")  # 三明 2023 决算 30113 住房公积金 9.40
    assert follow.citations[0].fact.source == SANMING_2023


def test_follow_up_with_another_unit(engine):
    first = engine.ask("三明热线2025年住房公积金多少？")
    follow = engine.ask("泉州呢？", first.context)
    assert (follow.value, follow.citations[0].fact.source) == (Decimal("13.86"), QUANZHOU)  # 2210201 住房公积金 13.86


def test_per_person_uses_the_stated_staff_count(engine):
    result = engine.ask("福建12345中心2024年人均支出预算多少？")
    assert (result.value, result.unit) == (Decimal("29.73"), "万元")  # 267.58 / 9 在职人数
    cited = {(c.fact.source, c.fact.printed) for c in result.citations}
    assert (FUJIAN, "267.58") in cited and (FUJIAN, "9") in cited
    assert "÷" in result.work[0]


def test_share_is_a_percentage_with_both_operands_cited(engine):
    result = engine.ask("泉州热线2026年项目支出占总支出的比重是多少？")
    assert (result.value, result.unit) == (Decimal("85.61"), "%")  # 1011.95 / 1182.04
    assert {c.fact.printed for c in result.citations} == {"1011.95", "1182.04"}


def test_unit_conversion_is_shown(engine):
    result = engine.ask("三明2023年决算基本工资多少元")
    assert (result.value, result.unit) == (Decimal("352200"), "元")  # 30101 基本工资 35.22 万元
    assert result.work == ("35.22 万元 = 352200 元",)


def test_why_question_quotes_the_documents_sentence(engine):
    result = engine.ask("泉州热线2026年2010399科目的钱主要用于什么？")
    assert result.status == "answered"
    citation = result.citations[0]
    assert citation.fact.source == QUANZHOU and citation.fact.line == 283  # "(二) 2010399-… 1011.95 万元。主要用于话务外包费用支出。"
    assert "话务外包" in result.text and "话务外包" in citation.fact.quote


def test_why_question_for_a_change(engine):
    result = engine.ask("三明热线2023年收入为什么增加？")
    assert result.citations[0].fact.line == 366  # "…各增加 55.62 万元，增长 16.03%，主要是人员工资福利待遇上调及热线外包服务费的增加。"
    assert "热线外包服务费" in result.text


def test_answer_warns_when_the_document_contradicts_itself(engine):
    result = engine.ask("固原便民服务中心2024年职业年金缴多少？")
    # 4.30 in 一般公共预算财政拨款支出表 (line 102), 4.29 in the 基本支出表: the answer must say so
    assert result.status == "answered"
    assert result.warnings and any("4.29" in w and "4.30" in w for w in result.warnings)
    assert "自相矛盾" in result.text


def test_recomputed_change_disagrees_with_the_stated_percentage(engine):
    result = engine.ask("司法局2026年行政运行为什么减少？")
    # p6: "2025年当年预算执行数为1690.69万元，2026年预算安排1434.89万元，比2025年预算执行数减少1.10%" — really −15.13%
    assert result.status == "answered" and result.citations[0].fact.page == 6
    assert any("-15.13%" in w for w in result.warnings)


def test_a_question_in_english_gets_a_clear_message(engine):
    result = engine.ask("What is the 2026 budget of the Quanzhou hotline centre?")
    assert result.status == "not_found" and result.citations == ()
    assert "请用中文提问" in result.text


def test_documents_printing_the_same_figure_answer_it_and_cite_each(engine):
    # 商务委员会 2025: the 部门 and the 单位 budget both print 机关运行经费 171.01 万元 (p21 of each)
    result = engine.ask("商务委2025年机关运行经费预算是多少？")
    assert result.status == "answered" and (result.value, result.unit) == (Decimal("171.01"), "万元")
    assert {c.fact.source for c in result.citations} == {"上海市普陀区商务委员会25年预算.pdf",
                                                        "上海市普陀区商务委员会单位25年预算.pdf"}
    assert "含所属单位" in result.text and "本单位" in result.text


def test_a_final_accounts_question_is_never_answered_from_a_budget_column(engine):
    # 普陀区财政局 2024 决算, 三公 table p18: only the 预算数 cells are printed (0.95); the 决算数 cells are blank
    result = engine.ask("普陀区财政局2024年三公经费决算数是多少？")
    assert not (result.status == "answered" and result.value == Decimal("0.95")), result.text
    assert all(c.fact.measure not in ("本年预算", "年初预算", "上年预算") for c in result.citations)
