"""Question tests over the bundled corpus: value, unit, status and citation of every case in
tests/cases/*.jsonl (gold answers read by hand from the documents, see eval/README.md)."""
from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from budgetqa.model.document import MONEY_UNITS
from budgetqa.model.text import normalize

CASES = [json.loads(line) for path in sorted((Path(__file__).parent / "cases").glob("*.jsonl"))
         for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def close_enough(found: float, unit: str, gold: str, gold_unit: str) -> bool:
    value = Decimal(str(found))
    if unit != gold_unit and unit in MONEY_UNITS and gold_unit in MONEY_UNITS:
        value = value * MONEY_UNITS[unit] / MONEY_UNITS[gold_unit]
    gold_value = Decimal(gold)
    places = max(-gold_value.as_tuple().exponent, 0)
    return abs(value - gold_value) <= Decimal(1).scaleb(-places) / 2


def cites(citation: dict, source: dict) -> bool:
    """The citation names the gold source, or one of the places the gold lists as printing the same
    figure (`alternatives`)."""
    return any(_cites(citation, {**source, **alt}) for alt in [{}] + source.get("alternatives", []))


def _cites(citation: dict, source: dict) -> bool:
    if citation["doc"] != source["doc"]:
        return False
    if source.get("sentence") and not source.get("row"):
        gold, quote = normalize(source["sentence"]), normalize(citation["quote"])
        return gold[:12] in quote or quote[:12] in gold
    gold_row = normalize(source.get("row") or "")
    if not gold_row and source.get("column"):  # tables whose items are columns (三公)
        gold_column, column = normalize(source["column"]), normalize(citation.get("column") or "")
        return bool(column) and (gold_column in column or column in gold_column)
    row = normalize(citation.get("row") or "")
    code, cited_code = re.match(r"[0-9]{3,}", gold_row), re.match(r"[0-9]{3,}", row)
    if not gold_row or not row:
        return False
    if gold_row in row or row in gold_row or bool(code and row.startswith(code.group())):
        return True
    # The same figure printed for the same item in another table (住房公积金 as 2210201 and as 30113),
    # or for its parent classification code (21508 for 2150899) when the parent holds nothing else.
    gold_label, label = gold_row.lstrip("0123456789"), row.lstrip("0123456789")
    same_item = gold_label in label or label in gold_label
    family = bool(code and cited_code) and (code.group().startswith(cited_code.group())
                                            or cited_code.group().startswith(code.group()))
    return same_item or family  # the figure itself is checked against the gold value separately


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_question(engine, case):
    result = engine.ask(case["question"]).to_json()  # judged as `ask --json` prints it
    assert result["status"] == case["status"], result["answer"]
    if case["status"] == "answered" and case["value"] is None:  # a why / what-for question: the sentence
        for source in case["sources"]:
            assert any(cites(c, source) for c in result["citations"]), (source, result["citations"])
    elif case["status"] == "answered":
        assert result["unit"] == case["unit"], result["answer"]
        assert close_enough(result["value"], result["unit"], case["value"], case["unit"]), result["answer"]
        for source in case["sources"]:
            assert any(cites(c, source) for c in result["citations"]), (source, result["citations"])
    elif case["status"] == "ambiguous":
        offered = {c.get("doc") for c in result["candidates"]}
        assert set(case["candidates"]) <= offered, result["candidates"]
    if result["status"] == "answered":
        assert result["citations"], "an answered question must cite its source"


@pytest.mark.parametrize("question, value, unit", [
    # 福建省 2024 lines 233–236 基本支出经济分类: 40.20 + 2.78 + 4.40 + 15.75 万元 (a thank-you closes the question)
    ("福建12345中心2024年基本工资、津贴补贴、奖金和绩效工资加起来多少，谢谢", "63.13", "万元"),
    ("您好，请问福建12345中心2024年基本工资、津贴补贴、奖金和绩效工资加起来多少？", "63.13", "万元"),
    # 三明 2025 line 711: "增加 0.42 万元，增长 0.28%" ("有多少", "为多少" ask what "是多少" asks)
    ("三明热线2025年一般公共预算拨款支出增长率有多少？", "0.28", "%"),
    ("三明热线2025年一般公共预算拨款支出增长率为多少？", "0.28", "%"),
    # 社工部 2024 决算 p18: 全年预算为 321.02 万元，支出决算为 307.82 万元 (the unit said before "没花掉")
    ("社会工作部2024年全年预算里有多少万元没花掉？", "13.20", "万元"),
    # 泉州 2026 line 387: "委托业务费预算总额819.86万元" (the year first, then the unit and 的: no unit "热线的委")
    ("2026年泉州热线的委托业务费预算总额是多少？", "819.86", "万元"),
    # 财政局 2024 决算 p23: "公务接待费支出决算为0.00万元" ("实际花了多少万元": 实际花了 names no item)
    ("财政局2024年公务接待费实际花了多少万元？", "0.00", "万元"),
    # 万里 2024 p10 财务收支预算总表（元）: 城乡社区支出 119,385,303 + 社会保障和就业支出 19,604,064 ("一共为": no item 为)
    ("万里街道2024年城乡社区支出加上社会保障和就业支出，一共为多少亿元？保留两位小数", "1.39", "亿元"),
    # 区府办 2025 p11: 一般行政管理事务 46,140,000.00 元 ("我想知道区…": no district 知道区)
    ("我想知道区政府办2025年一般行政管理事务预算是多少元？", "46140000", "元"),
    # 泉州 2026: 项目支出 1011.95 万元 ("请告诉我", a full stop for the question mark)
    ("请告诉我泉州12345热线中心2026年项目支出是多少。", "1011.95", "万元"),
    # 固原 2024 line 102: 2080506 的 2023年执行数 6.59 万元 (a year in two digits is that year)
    ("固原 2024 2080506 23年执行数", "6.59", "万元"),
    # 三明 2023 决算 公开06表: 人员经费合计 146.44 万元
    ("三明热线中心23年花在人身上的钱——工资奖金、社保公积金这些——实际一共用了多少？", "146.44", "万元"),
    # 区府办 2025 p18: 30201 办公费 259,400.00 元 (digits typed full-width)
    ("区府办 ２０２５ ３０２０１", "259400", "元"),
    # 三明 2023 决算 本年收入合计 402.64, 2025 预算 收入合计 147.87 万元: 254.77 万元 asked in 元 ("相差多少元")
    ("三明12345热线中心2023年决算的收入和2025年预算的收入相差多少元？", "2547700", "元"),
    # 泉州 2026 项目支出 1011.95 万元, asked in spoken money words (块钱 is 元, 万块 is 万元)
    ("泉州12345中心2026年项目支出是多少块钱？", "10119500", "元"),
    ("泉州12345中心2026年项目支出有几万块？", "1011.95", "万元"),
])
def test_a_question_reworded_keeps_its_answer(engine, question, value, unit):
    answer = engine.ask(question)
    assert answer.status == "answered" and answer.unit == unit and close_enough(answer.value, unit, value, unit), answer.text
