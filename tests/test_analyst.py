"""Analyst questions: follow-ups that reuse the previous question, arithmetic with every operand
cited. Gold figures read from the seed documents (line numbers in comments)."""
from __future__ import annotations

FUJIAN = "福建省12345政务服务便民热线中心_2024年度单位预算.txt"
SANMING_2023 = "三明市12345政务服务便民热线中心_2023年度部门决算.txt"
QUANZHOU = "泉州市12345政务服务便民热线中心_2026年度单位预算.txt"


def test_follow_up_reuses_item_and_unit_with_a_new_year(engine):
    first = engine.ask("三明热线2025年住房公积金多少？")
    assert (first["value"], first["unit"]) == (12.12, "万元")  # 三明 2025 30113 住房公积金 12.12
    follow = engine.ask("那2023年呢？", first["context"])
    assert follow["status"] == "answered"
    assert (follow["value"], follow["unit"]) == (9.4, "万元")  # 三明 2023 决算 30113 住房公积金 9.40
    assert follow["citations"][0]["doc"] == SANMING_2023


def test_follow_up_with_another_unit(engine):
    first = engine.ask("三明热线2025年住房公积金多少？")
    follow = engine.ask("泉州呢？", first["context"])
    assert (follow["value"], follow["citations"][0]["doc"]) == (13.86, QUANZHOU)  # 2210201 住房公积金 13.86


def test_per_person_uses_the_stated_staff_count(engine):
    result = engine.ask("福建12345中心2024年人均支出预算多少？")
    assert (result["value"], result["unit"]) == (29.73, "万元")  # 267.58 / 9 在职人数
    cited = {(c["doc"], c["printed"]) for c in result["citations"]}
    assert (FUJIAN, "267.58") in cited and (FUJIAN, "9") in cited
    assert "÷" in result["work"][0]


def test_share_is_a_percentage_with_both_operands_cited(engine):
    result = engine.ask("泉州热线2026年项目支出占总支出的比重是多少？")
    assert (result["value"], result["unit"]) == (85.61, "%")  # 1011.95 / 1182.04
    assert {c["printed"] for c in result["citations"]} == {"1011.95", "1182.04"}


def test_unit_conversion_is_shown(engine):
    result = engine.ask("三明2023年决算基本工资多少元")
    assert (result["value"], result["unit"]) == (352200.0, "元")  # 30101 基本工资 35.22 万元
    assert result["work"] == ["35.22 万元 = 352200 元"]
