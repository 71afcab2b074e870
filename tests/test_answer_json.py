"""Answer.to_json() is the `ask --json` contract (DESIGN.md, docs/CONTRACTS.md): its keys, in their
order, carry what the typed Answer holds. Gold figures read from the seed text files (line numbers)."""
from __future__ import annotations

import json
from decimal import Decimal

SANMING_2023 = "三明市12345政务服务便民热线中心_2023年度部门决算.txt"
SANMING_2025 = "三明市12345政务服务便民热线中心_2025年度单位预算.txt"
QUANZHOU = "泉州市12345政务服务便民热线中心_2026年度单位预算.txt"

CITATION_KEYS = ["doc", "entity", "year", "doc_kind", "level", "page", "line", "table", "table_id", "part", "row",
                 "column", "value", "printed", "unit", "quote", "doc_id", "fact_id", "kind", "table_kind", "measure",
                 "ocr"]
TAIL = ["unit", "citations", "work", "candidates", "warnings", "context"]


def _round_trip(answer) -> dict:
    """The JSON of an answer, through a JSON text and back (no Decimal or tuple left in it)."""
    payload = answer.to_json()
    assert json.loads(json.dumps(payload, ensure_ascii=False)) == payload
    assert payload["question"] == answer.question and payload["status"] == answer.status
    assert payload["answer"] == answer.text and payload["unit"] == answer.unit
    assert payload["value"] == (None if answer.value is None else float(answer.value))
    assert payload["work"] == list(answer.work) and payload["warnings"] == list(answer.warnings)
    assert payload["context"] == answer.context
    assert [c["fact_id"] for c in payload["citations"]] == [c.fact.id for c in answer.citations]
    for cited in payload["citations"]:
        assert list(cited) == CITATION_KEYS
    return payload


def test_a_looked_up_figure(engine):
    answer = engine.ask("三明热线2025年住房公积金多少？")
    payload = _round_trip(answer)
    assert list(payload) == ["question", "status", "answer", "value", "value_text", "printed"] + TAIL
    # line 465: "30113 住房公积金 12.12"
    assert (payload["status"], payload["value"], payload["value_text"], payload["printed"], payload["unit"]) == (
        "answered", 12.12, "12.12", "12.12", "万元")
    cited = payload["citations"][0]
    assert (cited["doc"], cited["line"], cited["printed"], cited["unit"]) == (SANMING_2025, 465, "12.12", "万元")
    assert payload["context"]["question"] == "三明热线2025年住房公积金多少？"


def test_a_computed_figure_lists_its_operands(engine):
    answer = engine.ask("泉州热线2026年项目支出占总支出的比重是多少？")
    payload = _round_trip(answer)
    assert list(payload) == ["question", "status", "answer", "value", "value_text"] + TAIL
    # line 126 支出预算总表 合计: 项目支出 1011.95; line 105 本年支出合计 1182.04; 1011.95 / 1182.04 = 85.61 %
    assert (payload["value"], payload["value_text"], payload["unit"]) == (85.61, "85.61", "%")
    assert answer.value == Decimal("85.61")
    assert [(op.fact.printed, op.value) for op in answer.operands] == [("1011.95", Decimal("1011.95")),
                                                                       ("1182.04", Decimal("1182.04"))]
    assert [(c["line"], c["printed"]) for c in payload["citations"]] == [(126, "1011.95"), (105, "1182.04")]
    assert payload["work"] == ["1011.95 万元 ÷ 1182.04 万元 × 100%"]


def test_an_ambiguous_question_offers_each_document(engine):
    answer = engine.ask("三明12345热线中心的基本支出是多少？")
    payload = _round_trip(answer)
    assert list(payload) == ["question", "status", "answer", "value"] + TAIL
    assert (payload["status"], payload["value"], payload["unit"]) == ("ambiguous", None, None)
    # 2025 line 292 "合计 147.87 147.87 …"; 2023 line 166 "合计 402.64 153.29 …" (基本支出)
    assert {(c["doc"], c["line"], c["printed"]) for c in payload["citations"]} == {
        (SANMING_2025, 292, "147.87"), (SANMING_2023, 166, "153.29")}
    assert all(list(c) == ["label", "doc", "question"] for c in payload["candidates"])
    assert {c["doc"] for c in payload["candidates"]} == {SANMING_2023, SANMING_2025}


def test_a_figure_the_documents_lack_is_not_found(engine):
    answer = engine.ask("泉州12345中心2026年购买火星探测器花了多少钱？")
    payload = _round_trip(answer)
    assert list(payload) == ["question", "status", "answer", "value"] + TAIL
    assert (payload["status"], payload["value"], payload["unit"], payload["work"]) == ("not_found", None, None, [])
    assert payload["answer"].startswith("未找到：")
    assert all(c["doc"] == QUANZHOU for c in payload["citations"])  # the nearest figures, shown as such
    assert all(list(c) == ["label", "question"] for c in payload["candidates"])
