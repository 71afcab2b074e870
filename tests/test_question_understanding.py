"""Questions the corpus cannot answer must say so, never borrow a neighbouring figure."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("question, named", [
    ("火星市12345热线中心2024年公积金多少", "火星市"),      # a place no document names
    ("杭州市12345中心2024年预算", "杭州市"),
    ("普陀区教育局2025年部门预算总额是多少？", "教育局"),  # a unit of a known district that we do not have
])
def test_unknown_units_are_not_found(engine, question, named):
    result = engine.ask(question)
    assert result["status"] == "not_found" and named in result["answer"]
    assert result["value"] is None


def test_a_stated_change_never_answers_a_level(engine):
    # 泉州 2026 says "本单位增加2名在职人员" (line 273) but never states its staff count
    result = engine.ask("泉州热线中心有多少在职人员？")
    assert result["status"] == "not_found"


def test_an_item_the_document_lacks_is_not_its_total(engine):
    result = engine.ask("泉州12345中心2026年购买火星探测器花了多少钱？")
    assert result["status"] == "not_found"  # not the 1182.04 万元 total


def test_punctuation_only(engine):
    assert engine.ask("？？？")["status"] == "not_found"


def test_a_year_given_for_one_of_several_units(engine):
    # 三明 has 2023 决算 and 2025 预算; the year qualifies 三明 only, 福建/泉州/固原 have one document each
    result = engine.ask("福建省、固原、泉州、三明（2025年）这四家12345中心的支出预算，哪家最高？")
    assert (result["value"], result["unit"]) == (1182.04, "万元")  # 泉州 2026 支出合计 (line 107)
    assert len(result["citations"]) == 4
